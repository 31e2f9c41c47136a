// The save file: the container a save game is written in.
//
// A save is a few named sections (the world, the interpreter heap, the
// scheduler ...), each compressed with zstd and checksummed, behind a header
// that says what wrote it. The container knows nothing of what the sections
// hold; the pickler fills them and reads them back.
//
// Layout (integers little-endian):
//   magic "SPNDLSAV" (8 bytes), format version (u32),
//   build version (u16 length + bytes), script version (u16 length + bytes),
//   section count (u32), then per section: name (4 bytes), raw size (u64),
//   stored size (u64), CRC-32 of the stored bytes (u32);
//   CRC-32 of everything above (u32);
//   the sections' stored bytes (zstd frames with content checksums), in order,
//   ending exactly at the end of the file.
//
// Reading validates everything before it returns anything: a truncated,
// corrupt or hostile file gives a SaveFileError naming the field (and the
// section and byte offset), never a crash or an allocation the file merely
// claims to need. Writing goes to a temporary file that is flushed, synced
// and renamed over the target, so a crash mid-save leaves the old save.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace spindle::save {

inline constexpr std::uint32_t kFormatVersion = 1;

// What a reader accepts at most: a file or section bigger than this is
// refused as hostile before anything is allocated for it.
struct Limits {
    std::uint64_t max_file_bytes = std::uint64_t{1} << 30;     // 1 GiB
    std::uint64_t max_section_bytes = std::uint64_t{1} << 31;  // 2 GiB, once decompressed
    std::uint32_t max_sections = 64;
};

struct Section {
    std::string name;  // exactly four characters, e.g. "HEAP"
    std::vector<std::uint8_t> bytes;
};

struct SaveFile {
    std::string build_version;   // the runtime that wrote it (spindle::kVersion)
    std::string script_version;  // whatever the host uses to tell its scripts apart
    std::vector<Section> sections;

    const Section* find(std::string_view name) const noexcept;
};

// A file that is not a valid save. what() reads
// "<source>: offset <byte>: <what is wrong>", e.g.
// "game.sav: offset 212: section 'HEAP': checksum mismatch".
class SaveFileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Sizes of one section as stored, for listings (`spindle dump`).
struct SectionInfo {
    std::string name;
    std::uint64_t raw_bytes;
    std::uint64_t stored_bytes;
    std::uint64_t offset;  // of its stored bytes in the file
};

// Level 1: on 10,000 parked agents (2 MB of pickle) it compresses in about
// two thirds of level 3's time to 26 bytes an agent, where level 3 makes 22.
std::vector<std::uint8_t> encode(const SaveFile& save, int compression_level = 1);

// A section as the file stores it: its raw size and its zstd frame.
struct StoredSection {
    std::string name;
    std::uint64_t raw_bytes = 0;
    std::vector<std::uint8_t> stored;
};

// Compresses one section as its bytes arrive, so that a writer that makes a
// big section in pieces (the heap's pickle) never holds all of it: only the
// compressed frame grows. A frame written in pieces does not declare its
// size; the section table does, and reading checks the two agree.
// encode() makes every section through one of these.
// With `workers` > 0, the pieces are compressed on a thread of the
// encoder's own while the writer goes on (one thread, whatever the count):
// the writer's wall time then leaves out all but the last piece's
// compression, and the bytes are the same as without it.
class SectionEncoder {
public:
    SectionEncoder(std::string name, int compression_level, int workers = 0);
    ~SectionEncoder();
    SectionEncoder(const SectionEncoder&) = delete;
    SectionEncoder& operator=(const SectionEncoder&) = delete;
    // The section's whole size, if known before the first write: the frame
    // then declares it, as a frame compressed in one piece does.
    void pledge(std::uint64_t raw_bytes);
    void write(const void* data, std::size_t n);
    // The section, once every byte is written (call once).
    StoredSection finish();

private:
    void compress(const void* data, std::size_t n, bool last);
    void start_background();
    void run_background();
    StoredSection section_;
    // The compressed frame as zstd gives it, in chunks: grown by doubling, a
    // big section's frame would pass through twice its size in copies.
    // finish() joins them into section_.stored, sized exactly.
    struct OutChunk {
        std::unique_ptr<std::uint8_t[]> bytes;
        std::size_t size = 0, used = 0;
    };
    std::vector<OutChunk> out_;
    std::size_t out_total_ = 0;  // bytes used in out_
    struct Context;
    Context* context_;
    struct Background;
    bool background_wanted_ = false;
    std::unique_ptr<Background> background_;
};

// The save file around sections already compressed, in order.
std::vector<std::uint8_t> encode_stored(std::string_view build_version, std::string_view script_version,
                                        const std::vector<StoredSection>& sections);
SaveFile decode(std::span<const std::uint8_t> bytes, std::string_view source = "save file",
                const Limits& limits = {});
// The header and section table only (validated as decode does, without
// decompressing): what a listing shows.
std::vector<SectionInfo> describe(std::span<const std::uint8_t> bytes, std::string_view source = "save file",
                                  const Limits& limits = {});

// Writes `bytes` to `path` atomically; throws std::runtime_error naming the
// path and the system's reason, and leaves any existing file untouched.
void write_atomically(const std::filesystem::path& path, std::span<const std::uint8_t> bytes);
// Reads a whole file, refusing one bigger than max_bytes (SaveFileError).
std::vector<std::uint8_t> read_file(const std::filesystem::path& path, std::uint64_t max_bytes = Limits{}.max_file_bytes);

}  // namespace spindle::save
