#include "save/save_file.hpp"

#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstdio>
#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace spindle::save {
namespace {

constexpr char kMagic[8] = {'S', 'P', 'N', 'D', 'L', 'S', 'A', 'V'};
constexpr std::size_t kNameBytes = 4;
constexpr std::size_t kTableEntryBytes = kNameBytes + 8 + 8 + 4;

// A fuzzing build ignores checksum mismatches, so that mutated inputs reach
// the parsers behind the checksums instead of stopping at them.
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
constexpr bool kVerifyChecksums = false;
#else
constexpr bool kVerifyChecksums = true;
#endif

std::uint32_t crc32_of(std::span<const std::uint8_t> bytes) {
    uLong crc = crc32(0L, Z_NULL, 0);
    // zlib takes lengths as uInt: feed big spans in pieces.
    constexpr std::size_t kChunk = 1u << 30;
    for (std::size_t at = 0; at < bytes.size(); at += kChunk) {
        const std::size_t n = std::min(kChunk, bytes.size() - at);
        crc = crc32(crc, bytes.data() + at, static_cast<uInt>(n));
    }
    return static_cast<std::uint32_t>(crc);
}

// ---- writing

class Writer {
public:
    void raw(const void* data, std::size_t n) {
        const auto* p = static_cast<const std::uint8_t*>(data);
        out_.insert(out_.end(), p, p + n);
    }
    template <class T>
    void integer(T value) {
        for (std::size_t i = 0; i < sizeof(T); ++i) out_.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
    }
    void text(std::string_view s, const char* field) {
        if (s.size() > 0xffff) throw std::invalid_argument(std::string("save file: ") + field + " is longer than 65535 bytes");
        integer<std::uint16_t>(static_cast<std::uint16_t>(s.size()));
        raw(s.data(), s.size());
    }
    void reserve(std::size_t n) { out_.reserve(n); }
    std::vector<std::uint8_t>& bytes() noexcept { return out_; }

private:
    std::vector<std::uint8_t> out_;
};

// One compression context per thread, kept between saves: making one per
// section allocates and faults in megabytes of match tables every time. An
// encoder takes it while it works (a second encoder at once on the same
// thread makes its own).
struct CompressionContext {
    ZSTD_CCtx* ctx = ZSTD_createCCtx();
    bool busy = false;
    ~CompressionContext() { ZSTD_freeCCtx(ctx); }
};
thread_local CompressionContext t_compression;

}  // namespace

// The background thread of an encoder made with workers > 0: the writer
// hands it copies of its pieces and goes on; it compresses them in order,
// with the same single zstd stream the writer would have used, so the bytes
// are exactly those of a compression on the writer's thread. (zstd's own
// worker threads cut a frame in jobs of at least 512 KiB: the last job, and
// for a save of a few MiB most of the work, would wait for the writer.)
struct SectionEncoder::Background {
    std::mutex lock;
    std::condition_variable wake;
    std::deque<std::vector<std::uint8_t>> pieces;  // to compress, in order
    std::vector<std::vector<std::uint8_t>> spare;  // compressed, for reuse
    bool finishing = false;
    bool abandoned = false;  // the writer failed: stop at once
    std::exception_ptr error;
    std::thread thread;
};

struct SectionEncoder::Context {
    ZSTD_CCtx* ctx = nullptr;
    bool owned = false;
};

SectionEncoder::SectionEncoder(std::string name, int compression_level, int workers) : context_(new Context) {
    section_.name = std::move(name);
    if (!t_compression.busy && t_compression.ctx) {
        context_->ctx = t_compression.ctx;
        t_compression.busy = true;
    } else {
        context_->ctx = ZSTD_createCCtx();
        context_->owned = true;
    }
    if (!context_->ctx) {
        delete context_;
        throw std::bad_alloc();
    }
    ZSTD_CCtx* ctx = context_->ctx;
    ZSTD_CCtx_reset(ctx, ZSTD_reset_session_and_parameters);
    ZSTD_CCtx_setParameter(ctx, ZSTD_c_compressionLevel, compression_level);
    ZSTD_CCtx_setParameter(ctx, ZSTD_c_checksumFlag, 1);  // the frame verifies its content on reading
    background_wanted_ = workers > 0;
}

SectionEncoder::~SectionEncoder() {
    if (background_) {
        {
            std::lock_guard<std::mutex> hold(background_->lock);
            background_->abandoned = true;
        }
        background_->wake.notify_one();
        background_->thread.join();
    }
    if (context_->owned) ZSTD_freeCCtx(context_->ctx);
    else t_compression.busy = false;
    delete context_;
}

void SectionEncoder::pledge(std::uint64_t raw_bytes) {
    const std::size_t r = ZSTD_CCtx_setPledgedSrcSize(context_->ctx, raw_bytes);
    if (ZSTD_isError(r)) throw std::logic_error(std::string("save file: pledge after the first write: ") + ZSTD_getErrorName(r));
}

void SectionEncoder::write(const void* data, std::size_t n) {
    section_.raw_bytes += n;
    if (!background_wanted_) return compress(data, n, false);
    if (!background_) start_background();
    Background& b = *background_;
    std::vector<std::uint8_t> piece;
    {
        std::lock_guard<std::mutex> hold(b.lock);
        if (b.error) std::rethrow_exception(b.error);
        if (!b.spare.empty()) {
            piece = std::move(b.spare.back());
            b.spare.pop_back();
        }
    }
    const auto* bytes = static_cast<const std::uint8_t*>(data);
    piece.assign(bytes, bytes + n);
    {
        std::lock_guard<std::mutex> hold(b.lock);
        b.pieces.push_back(std::move(piece));
    }
    b.wake.notify_one();
}

void SectionEncoder::start_background() {
    background_ = std::make_unique<Background>();
    background_->thread = std::thread([this] { run_background(); });
}

// The background thread: compresses pieces until the writer finishes (the
// frame is then ended) or gives up.
void SectionEncoder::run_background() {
    Background& b = *background_;
    std::unique_lock<std::mutex> hold(b.lock);
    for (;;) {
        b.wake.wait(hold, [&] { return b.abandoned || b.finishing || !b.pieces.empty(); });
        if (b.abandoned) return;
        if (b.pieces.empty()) break;  // finishing, and nothing left
        std::vector<std::uint8_t> piece = std::move(b.pieces.front());
        b.pieces.pop_front();
        hold.unlock();
        try {
            compress(piece.data(), piece.size(), false);
        } catch (...) {
            hold.lock();
            b.error = std::current_exception();
            return;
        }
        hold.lock();
        b.spare.push_back(std::move(piece));
    }
    hold.unlock();
    try {
        compress(nullptr, 0, true);
    } catch (...) {
        hold.lock();
        b.error = std::current_exception();
    }
}

StoredSection SectionEncoder::finish() {
    if (background_) {
        {
            std::lock_guard<std::mutex> hold(background_->lock);
            background_->finishing = true;
        }
        background_->wake.notify_one();
        background_->thread.join();
        const std::exception_ptr error = background_->error;
        background_.reset();
        if (error) std::rethrow_exception(error);
    } else {
        compress(nullptr, 0, true);
    }
    section_.stored.resize(out_total_);
    std::uint8_t* to = section_.stored.data();
    for (const OutChunk& c : out_) to = std::copy_n(c.bytes.get(), c.used, to);
    out_.clear();
    return std::move(section_);
}

// Feeds zstd and appends what it gives to the chunks: the first as big as
// zstd suggests, then each as big as all before it, up to 1 MiB, so that a
// small section takes one small chunk and a big one few.
void SectionEncoder::compress(const void* data, std::size_t n, bool last) {
    constexpr std::size_t kMaxChunk = std::size_t{1} << 20;
    ZSTD_inBuffer in{data, n, 0};
    for (;;) {
        if (out_.empty() || out_.back().used == out_.back().size) {
            const std::size_t size = std::clamp(out_total_, ZSTD_CStreamOutSize(), std::max(kMaxChunk, ZSTD_CStreamOutSize()));
            out_.push_back(OutChunk{std::make_unique_for_overwrite<std::uint8_t[]>(size), size, 0});
        }
        OutChunk& chunk = out_.back();
        ZSTD_outBuffer o{chunk.bytes.get(), chunk.size, chunk.used};
        const std::size_t left = ZSTD_compressStream2(context_->ctx, &o, &in, last ? ZSTD_e_end : ZSTD_e_continue);
        out_total_ += o.pos - chunk.used;
        chunk.used = o.pos;
        if (ZSTD_isError(left)) throw std::runtime_error(std::string("save file: compression failed: ") + ZSTD_getErrorName(left));
        if (last ? left == 0 : in.pos == in.size) return;
    }
}

namespace {

// ---- reading

// A cursor over the file that names the field it fails on.
class Reader {
public:
    Reader(std::span<const std::uint8_t> bytes, std::string_view source) : bytes_(bytes), source_(source) {}

    [[noreturn]] void fail(std::uint64_t offset, const std::string& what) const {
        throw SaveFileError(std::string(source_) + ": offset " + std::to_string(offset) + ": " + what);
    }
    void need(std::size_t n, const char* field) const {
        if (bytes_.size() - at_ < n) {
            fail(at_, std::string("truncated: ") + field + " needs " + std::to_string(n) + " bytes, " +
                          std::to_string(bytes_.size() - at_) + " left");
        }
    }
    template <class T>
    T integer(const char* field) {
        need(sizeof(T), field);
        T value = 0;
        for (std::size_t i = 0; i < sizeof(T); ++i) value |= static_cast<T>(static_cast<T>(bytes_[at_ + i]) << (8 * i));
        at_ += sizeof(T);
        return value;
    }
    std::string text(const char* field) {
        const auto n = integer<std::uint16_t>(field);
        need(n, field);
        std::string s(reinterpret_cast<const char*>(bytes_.data() + at_), n);
        at_ += n;
        return s;
    }
    std::span<const std::uint8_t> take(std::size_t n, const char* field) {
        need(n, field);
        auto span = bytes_.subspan(at_, n);
        at_ += n;
        return span;
    }
    std::size_t offset() const noexcept { return at_; }
    std::size_t remaining() const noexcept { return bytes_.size() - at_; }
    std::span<const std::uint8_t> consumed() const noexcept { return bytes_.first(at_); }

private:
    std::span<const std::uint8_t> bytes_;
    std::string_view source_;
    std::size_t at_ = 0;
};

struct TableEntry {
    std::string name;
    std::uint64_t raw_bytes;
    std::uint64_t stored_bytes;
    std::uint32_t crc;
    std::uint64_t offset = 0;
};

struct Header {
    std::string build_version;
    std::string script_version;
    std::vector<TableEntry> table;
};

bool printable_name(std::string_view name) {
    for (char c : name)
        if (c < 0x21 || c > 0x7e) return false;
    return true;
}

std::string section_label(std::string_view name) {
    return printable_name(name) ? "'" + std::string(name) + "'" : std::string("(unprintable name)");
}

// Reads and checks the header and the section table; leaves the reader at
// the first section's stored bytes, with every section's offset filled in.
Header read_header(Reader& in, std::uint64_t file_size, const Limits& limits) {
    if (file_size > limits.max_file_bytes) {
        in.fail(0, "the file is " + std::to_string(file_size) + " bytes, more than the limit of " +
                       std::to_string(limits.max_file_bytes));
    }
    auto magic = in.take(sizeof kMagic, "magic");
    if (std::memcmp(magic.data(), kMagic, sizeof kMagic) != 0) in.fail(0, "not a Spindle save file (bad magic)");
    const std::size_t version_at = in.offset();
    const auto version = in.integer<std::uint32_t>("format version");
    if (version != kFormatVersion) {
        in.fail(version_at, "format version " + std::to_string(version) + " is not supported (this build reads version " +
                                std::to_string(kFormatVersion) + ")");
    }
    Header h;
    h.build_version = in.text("build version");
    h.script_version = in.text("script version");
    const std::size_t count_at = in.offset();
    const auto count = in.integer<std::uint32_t>("section count");
    if (count > limits.max_sections) {
        in.fail(count_at, "section count " + std::to_string(count) + " is more than the limit of " +
                              std::to_string(limits.max_sections));
    }
    std::uint64_t stored_total = 0;
    for (std::uint32_t i = 0; i < count; ++i) {
        const std::size_t entry_at = in.offset();
        in.need(kTableEntryBytes, "section table entry");
        TableEntry e;
        auto name = in.take(kNameBytes, "section name");
        e.name.assign(reinterpret_cast<const char*>(name.data()), kNameBytes);
        e.raw_bytes = in.integer<std::uint64_t>("section raw size");
        e.stored_bytes = in.integer<std::uint64_t>("section stored size");
        e.crc = in.integer<std::uint32_t>("section checksum");
        if (!printable_name(e.name)) in.fail(entry_at, "section " + std::to_string(i) + " has an unprintable name");
        for (const TableEntry& earlier : h.table)
            if (earlier.name == e.name) in.fail(entry_at, "section " + section_label(e.name) + " appears twice");
        if (e.raw_bytes > limits.max_section_bytes) {
            in.fail(entry_at, "section " + section_label(e.name) + " declares " + std::to_string(e.raw_bytes) +
                                  " bytes, more than the limit of " + std::to_string(limits.max_section_bytes));
        }
        if (e.stored_bytes > file_size) {
            in.fail(entry_at, "section " + section_label(e.name) + " declares " + std::to_string(e.stored_bytes) +
                                  " stored bytes, more than the whole file");
        }
        stored_total += e.stored_bytes;
        h.table.push_back(std::move(e));
    }
    const std::size_t crc_at = in.offset();
    const std::uint32_t expected = crc32_of(in.consumed());
    if (in.integer<std::uint32_t>("header checksum") != expected && kVerifyChecksums) in.fail(crc_at, "header checksum mismatch");
    if (stored_total != in.remaining()) {
        in.fail(in.offset(), "the sections declare " + std::to_string(stored_total) + " stored bytes but " +
                                 std::to_string(in.remaining()) + " follow the header" +
                                 (stored_total > in.remaining() ? " (truncated file)" : " (trailing bytes)"));
    }
    std::uint64_t offset = in.offset();
    for (TableEntry& e : h.table) {
        e.offset = offset;
        offset += e.stored_bytes;
    }
    return h;
}

std::vector<std::uint8_t> decompress(Reader& in, const TableEntry& e, std::span<const std::uint8_t> stored) {
    const std::string where = "section " + section_label(e.name);
    const unsigned long long declared = ZSTD_getFrameContentSize(stored.data(), stored.size());
    if (declared == ZSTD_CONTENTSIZE_ERROR) in.fail(e.offset, where + ": not a zstd frame");
    // A frame compressed in pieces (SectionEncoder) declares no size: then
    // the table's raw size bounds the output, and must be exactly what comes out.
    if (declared != ZSTD_CONTENTSIZE_UNKNOWN && declared != e.raw_bytes) {
        in.fail(e.offset, where + ": the compressed frame's size does not match the section table");
    }
    std::vector<std::uint8_t> raw(e.raw_bytes);
    const std::size_t n = ZSTD_decompress(raw.data(), raw.size(), stored.data(), stored.size());
    if (ZSTD_isError(n)) in.fail(e.offset, where + ": corrupt compressed data (" + ZSTD_getErrorName(n) + ")");
    if (n != e.raw_bytes) in.fail(e.offset, where + ": decompressed to " + std::to_string(n) + " bytes, not " + std::to_string(e.raw_bytes));
    return raw;
}

}  // namespace

const Section* SaveFile::find(std::string_view name) const noexcept {
    for (const Section& s : sections)
        if (s.name == name) return &s;
    return nullptr;
}

std::vector<std::uint8_t> encode(const SaveFile& save, int compression_level) {
    std::vector<StoredSection> stored;
    stored.reserve(save.sections.size());
    for (const Section& s : save.sections) {
        SectionEncoder encoder(s.name, compression_level);
        encoder.pledge(s.bytes.size());
        encoder.write(s.bytes.data(), s.bytes.size());
        stored.push_back(encoder.finish());
    }
    return encode_stored(save.build_version, save.script_version, stored);
}

std::vector<std::uint8_t> encode_stored(std::string_view build_version, std::string_view script_version,
                                        const std::vector<StoredSection>& sections) {
    for (const StoredSection& s : sections) {
        if (s.name.size() != kNameBytes || !printable_name(s.name)) {
            throw std::invalid_argument("save file: section name '" + s.name + "' must be four printable characters");
        }
    }
    Writer out;
    // The whole file at once: grown by doubling, a big save's file would
    // pass through twice its size.
    std::size_t total = sizeof kMagic + 4 + 2 + build_version.size() + 2 + script_version.size() + 4 + 4;
    for (const StoredSection& s : sections) total += kNameBytes + 8 + 8 + 4 + s.stored.size();
    out.reserve(total);
    out.raw(kMagic, sizeof kMagic);
    out.integer<std::uint32_t>(kFormatVersion);
    out.text(build_version, "build version");
    out.text(script_version, "script version");
    out.integer<std::uint32_t>(static_cast<std::uint32_t>(sections.size()));
    for (const StoredSection& s : sections) {
        out.raw(s.name.data(), kNameBytes);
        out.integer<std::uint64_t>(s.raw_bytes);
        out.integer<std::uint64_t>(s.stored.size());
        out.integer<std::uint32_t>(crc32_of(s.stored));
    }
    out.integer<std::uint32_t>(crc32_of(out.bytes()));
    for (const StoredSection& s : sections) out.raw(s.stored.data(), s.stored.size());
    return std::move(out.bytes());
}

SaveFile decode(std::span<const std::uint8_t> bytes, std::string_view source, const Limits& limits) {
    Reader in(bytes, source);
    Header h = read_header(in, bytes.size(), limits);
    SaveFile save;
    save.build_version = std::move(h.build_version);
    save.script_version = std::move(h.script_version);
    for (const TableEntry& e : h.table) {
        auto stored = in.take(e.stored_bytes, "section data");
        if (crc32_of(stored) != e.crc && kVerifyChecksums) in.fail(e.offset, "section " + section_label(e.name) + ": checksum mismatch");
        save.sections.push_back(Section{e.name, decompress(in, e, stored)});
    }
    return save;
}

std::vector<SectionInfo> describe(std::span<const std::uint8_t> bytes, std::string_view source, const Limits& limits) {
    Reader in(bytes, source);
    const Header h = read_header(in, bytes.size(), limits);
    std::vector<SectionInfo> info;
    for (const TableEntry& e : h.table) info.push_back(SectionInfo{e.name, e.raw_bytes, e.stored_bytes, e.offset});
    return info;
}

void write_atomically(const std::filesystem::path& path, std::span<const std::uint8_t> bytes) {
    auto failed = [&](const std::string& step, int error) {
        return std::runtime_error(path.string() + ": " + step + ": " + std::strerror(error));
    };
    std::string temp = path.string() + ".tmp-XXXXXX";
    const int fd = ::mkstemp(temp.data());
    if (fd < 0) throw failed("cannot create a temporary file beside it", errno);
    auto abandon = [&](const std::string& step) {
        const int error = errno;
        ::close(fd);
        ::unlink(temp.c_str());
        throw failed(step, error);
    };
    std::size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (n < 0) {
            if (errno == EINTR) continue;
            abandon("write failed");
        }
        written += static_cast<std::size_t>(n);
    }
    if (::fchmod(fd, 0644) != 0) abandon("cannot set permissions");
    if (::fsync(fd) != 0) abandon("flush to disk failed");
    if (::close(fd) != 0) {
        const int error = errno;
        ::unlink(temp.c_str());
        throw failed("close failed", error);
    }
    if (std::rename(temp.c_str(), path.c_str()) != 0) {
        const int error = errno;
        ::unlink(temp.c_str());
        throw failed("cannot replace the file", error);
    }
    // The rename itself reaches the disk once the directory is synced.
    const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (dir_fd >= 0) {
        ::fsync(dir_fd);
        ::close(dir_fd);
    }
}

std::vector<std::uint8_t> read_file(const std::filesystem::path& path, std::uint64_t max_bytes) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) throw SaveFileError(path.string() + ": cannot open: " + std::strerror(errno));
    std::vector<std::uint8_t> bytes;
    std::uint8_t buffer[1 << 16];
    for (;;) {
        const std::size_t n = std::fread(buffer, 1, sizeof buffer, f);
        if (bytes.size() + n > max_bytes) {
            std::fclose(f);
            throw SaveFileError(path.string() + ": bigger than the limit of " + std::to_string(max_bytes) + " bytes");
        }
        bytes.insert(bytes.end(), buffer, buffer + n);
        if (n < sizeof buffer) break;
    }
    const bool error = std::ferror(f) != 0;
    std::fclose(f);
    if (error) throw SaveFileError(path.string() + ": read error");
    return bytes;
}

}  // namespace spindle::save
