#include "save/save_file.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <fstream>
#include <random>

namespace spindle::save {
namespace {

SaveFile sample() {
    SaveFile save;
    save.build_version = "0.1.0";
    save.script_version = "demo-7";
    save.sections.push_back(Section{"WRLD", {1, 2, 3, 4, 5}});
    save.sections.push_back(Section{"HEAP", std::vector<std::uint8_t>(300, 0x5a)});
    save.sections.push_back(Section{"SCHD", {}});
    return save;
}

std::string error_of(std::span<const std::uint8_t> bytes, const Limits& limits = {}) {
    try {
        decode(bytes, "t.sav", limits);
    } catch (const SaveFileError& e) {
        return e.what();
    }
    return "";
}

// Little-endian field surgery on an encoded file, then the header checksum
// made right again, so that only the edited field is wrong.
template <class T>
void poke(std::vector<std::uint8_t>& bytes, std::size_t at, T value) {
    for (std::size_t i = 0; i < sizeof(T); ++i) bytes[at + i] = static_cast<std::uint8_t>(value >> (8 * i));
}
std::size_t header_end(const SaveFile& save) {
    return 8 + 4 + 2 + save.build_version.size() + 2 + save.script_version.size() + 4 + 24 * save.sections.size();
}
void reseal(std::vector<std::uint8_t>& bytes, const SaveFile& save) {
    const std::size_t end = header_end(save);
    poke<std::uint32_t>(bytes, end, static_cast<std::uint32_t>(crc32(crc32(0L, Z_NULL, 0), bytes.data(), static_cast<uInt>(end))));
}
std::size_t table_entry(const SaveFile& save, std::size_t i) {
    return 8 + 4 + 2 + save.build_version.size() + 2 + save.script_version.size() + 4 + 24 * i;
}

TEST(SaveFile, RoundTripKeepsVersionsAndSections) {
    SaveFile save = sample();
    std::mt19937 random(7);
    std::vector<std::uint8_t> big(1 << 20);
    for (auto& b : big) b = static_cast<std::uint8_t>(random());
    save.sections.push_back(Section{"RAND", big});
    const auto bytes = encode(save);
    const SaveFile back = decode(bytes);
    EXPECT_EQ(back.build_version, "0.1.0");
    EXPECT_EQ(back.script_version, "demo-7");
    ASSERT_EQ(back.sections.size(), 4u);
    for (std::size_t i = 0; i < 4; ++i) {
        EXPECT_EQ(back.sections[i].name, save.sections[i].name);
        EXPECT_EQ(back.sections[i].bytes, save.sections[i].bytes);
    }
    ASSERT_NE(back.find("HEAP"), nullptr);
    EXPECT_EQ(back.find("HEAP")->bytes.size(), 300u);
    EXPECT_EQ(back.find("NONE"), nullptr);
}

// The file is made in one allocation of exactly its size: a big save's
// file grown by doubling would pass through twice its size in memory.
TEST(SaveFile, TheFileIsMadeInOneBlockOfItsSize) {
    SaveFile save = sample();
    std::mt19937 random(11);
    std::vector<std::uint8_t> noise(300000);
    for (auto& b : noise) b = static_cast<std::uint8_t>(random());
    save.sections.push_back(Section{"RAND", noise});
    const std::vector<std::uint8_t> bytes = encode(save);
    EXPECT_GT(bytes.size(), noise.size());
    EXPECT_EQ(bytes.capacity(), bytes.size());
}

TEST(SaveFile, CompressesRepetitiveSections) {
    SaveFile save;
    save.sections.push_back(Section{"HEAP", std::vector<std::uint8_t>(100000, 7)});
    EXPECT_LT(encode(save).size(), 1000u);
}

TEST(SaveFile, DescribeListsSectionsWithSizesAndOffsets) {
    const auto bytes = encode(sample());
    const auto info = describe(bytes);
    ASSERT_EQ(info.size(), 3u);
    EXPECT_EQ(info[0].name, "WRLD");
    EXPECT_EQ(info[1].raw_bytes, 300u);
    EXPECT_EQ(info[0].offset, header_end(sample()) + 4);
    EXPECT_EQ(info[1].offset, info[0].offset + info[0].stored_bytes);
    EXPECT_EQ(info[2].offset + info[2].stored_bytes, bytes.size());
}

TEST(SaveFile, EveryTruncationIsAnError) {
    const auto bytes = encode(sample());
    for (std::size_t n = 0; n < bytes.size(); ++n) {
        const std::string error = error_of(std::span(bytes).first(n));
        EXPECT_NE(error, "") << "a file cut to " << n << " bytes was accepted";
        EXPECT_EQ(error.rfind("t.sav: offset ", 0), 0u) << error;
    }
}

TEST(SaveFile, EverySingleBitFlipIsAnError) {
    const auto bytes = encode(sample());
    for (std::size_t at = 0; at < bytes.size(); ++at) {
        for (int bit = 0; bit < 8; ++bit) {
            auto flipped = bytes;
            flipped[at] ^= static_cast<std::uint8_t>(1u << bit);
            EXPECT_NE(error_of(flipped), "") << "flip of bit " << bit << " at byte " << at << " went unnoticed";
        }
    }
}

TEST(SaveFile, NamesWhatIsWrong) {
    const SaveFile save = sample();
    const auto good = encode(save);

    auto bad_magic = good;
    bad_magic[0] = 'X';
    EXPECT_EQ(error_of(bad_magic), "t.sav: offset 0: not a Spindle save file (bad magic)");

    auto future = good;
    poke<std::uint32_t>(future, 8, 2);
    EXPECT_EQ(error_of(future), "t.sav: offset 8: format version 2 is not supported (this build reads version 1)");

    auto header = good;
    header[15] ^= 1;  // a character of the build version
    EXPECT_NE(error_of(header).find("header checksum mismatch"), std::string::npos);

    auto data = good;
    data[good.size() - 1] ^= 0x40;
    EXPECT_NE(error_of(data).find("section 'SCHD': checksum mismatch"), std::string::npos) << error_of(data);

    auto trailing = good;
    trailing.push_back(0);
    EXPECT_NE(error_of(trailing).find("(trailing bytes)"), std::string::npos);
}

TEST(SaveFile, HugeDeclaredSizesAreRefusedBeforeAllocating) {
    const SaveFile save = sample();
    auto raw = encode(save);
    poke<std::uint64_t>(raw, table_entry(save, 1) + 4, std::uint64_t{1} << 60);
    reseal(raw, save);
    EXPECT_NE(error_of(raw).find("section 'HEAP' declares 1152921504606846976 bytes, more than the limit"),
              std::string::npos)
        << error_of(raw);

    auto stored = encode(save);
    poke<std::uint64_t>(stored, table_entry(save, 0) + 12, std::uint64_t{1} << 62);
    reseal(stored, save);
    EXPECT_NE(error_of(stored).find("stored bytes, more than the whole file"), std::string::npos);

    auto count = encode(save);
    poke<std::uint32_t>(count, table_entry(save, 0) - 4, 0xffffffffu);
    EXPECT_NE(error_of(count).find("section count 4294967295 is more than the limit of 64"), std::string::npos);

    // A raw size that passes the limit but disagrees with the frame.
    auto mismatch = encode(save);
    poke<std::uint64_t>(mismatch, table_entry(save, 0) + 4, 6);
    reseal(mismatch, save);
    EXPECT_NE(error_of(mismatch).find("does not match the section table"), std::string::npos);

    Limits small;
    small.max_file_bytes = 10;
    EXPECT_NE(error_of(encode(save), small).find("more than the limit of 10"), std::string::npos);
}

TEST(SaveFile, DuplicateAndBadSectionNames) {
    SaveFile twice = sample();
    twice.sections.push_back(Section{"HEAP", {}});
    EXPECT_NE(error_of(encode(twice)).find("section 'HEAP' appears twice"), std::string::npos);
    SaveFile bad;
    bad.sections.push_back(Section{"TOOLONG", {}});
    EXPECT_THROW(encode(bad), std::invalid_argument);
}

class SaveFileOnDisk : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("spindle-save-test-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    std::size_t files_in_dir() const {
        return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(dir_), {}));
    }
    std::filesystem::path dir_;
};

TEST_F(SaveFileOnDisk, WritesAtomicallyAndReplaces) {
    const auto path = dir_ / "game.sav";
    const auto first = encode(sample());
    write_atomically(path, first);
    EXPECT_EQ(read_file(path), first);
    SaveFile other = sample();
    other.script_version = "demo-8";
    const auto second = encode(other);
    write_atomically(path, second);
    EXPECT_EQ(decode(read_file(path)).script_version, "demo-8");
    EXPECT_EQ(files_in_dir(), 1u);  // no temporary left behind
}

TEST_F(SaveFileOnDisk, AFailedWriteLeavesTheOldFile) {
    const auto path = dir_ / "game.sav";
    write_atomically(path, encode(sample()));
    // A directory where the file should go: the rename fails.
    const auto blocked = dir_ / "dir.sav";
    std::filesystem::create_directories(blocked / "inside");
    EXPECT_THROW(write_atomically(blocked, encode(sample())), std::runtime_error);
    EXPECT_THROW(write_atomically(dir_ / "missing" / "x.sav", encode(sample())), std::runtime_error);
    EXPECT_EQ(decode(read_file(path)).script_version, "demo-7");
    EXPECT_EQ(files_in_dir(), 2u);  // game.sav and dir.sav only
}

TEST_F(SaveFileOnDisk, ReadFileRefusesMissingAndOversizedFiles) {
    EXPECT_THROW(read_file(dir_ / "nothing.sav"), SaveFileError);
    const auto path = dir_ / "big.sav";
    std::ofstream(path) << std::string(5000, 'x');
    try {
        read_file(path, 4096);
        FAIL() << "an oversized file was read";
    } catch (const SaveFileError& e) {
        EXPECT_NE(std::string(e.what()).find("bigger than the limit of 4096 bytes"), std::string::npos);
    }
    EXPECT_EQ(read_file(path, 5000).size(), 5000u);
}

// A section compressed as it arrives (SectionEncoder, in pieces and on
// zstd's threads) reads back whole; its frame declares no size, so the
// table's raw size is checked against what comes out, one byte either way.
TEST(SaveFile, ASectionCompressedInPiecesReadsBackAndIsChecked) {
    std::vector<std::uint8_t> raw(3u << 20);
    std::mt19937 random(7);
    for (std::size_t i = 0; i < raw.size(); ++i) raw[i] = static_cast<std::uint8_t>(i % 251 < 200 ? i % 7 : random());
    for (int workers : {0, 1}) {
        SectionEncoder heap("HEAP", 1, workers);
        for (std::size_t at = 0; at < raw.size(); at += 70001) heap.write(raw.data() + at, std::min<std::size_t>(70001, raw.size() - at));
        std::vector<StoredSection> sections;
        sections.push_back(heap.finish());
        EXPECT_EQ(sections[0].raw_bytes, raw.size());
        const std::vector<std::uint8_t> file = encode_stored("b", "s", sections);
        const SaveFile back = decode(file, "t.sav");
        ASSERT_EQ(back.sections.size(), 1u);
        EXPECT_TRUE(back.sections[0].bytes == raw) << "workers " << workers;

        sections[0].raw_bytes = raw.size() + 1;
        EXPECT_NE(error_of(encode_stored("b", "s", sections)).find("section 'HEAP': decompressed to 3145728 bytes, not 3145729"),
                  std::string::npos)
            << error_of(encode_stored("b", "s", sections));
        sections[0].raw_bytes = raw.size() - 1;
        EXPECT_NE(error_of(encode_stored("b", "s", sections)).find("section 'HEAP': corrupt compressed data"), std::string::npos)
            << error_of(encode_stored("b", "s", sections));
    }
}

}  // namespace
}  // namespace spindle::save
