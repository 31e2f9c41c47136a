// libFuzzer target: the save-file loader must turn any input into either a
// save or a SaveFileError: no crash, no leak, no allocation the input merely
// claims to need. tools/fuzz.sh builds and runs it (clang, ASan + UBSan).
#include <cstddef>
#include <cstdint>
#include <span>

#include "save/save_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    spindle::save::Limits limits;
    limits.max_section_bytes = std::uint64_t{64} << 20;  // keep each run small
    try {
        const auto save = spindle::save::decode(std::span(data, size), "fuzz", limits);
        // A file that decodes must encode again to something that decodes the same.
        const auto again = spindle::save::decode(spindle::save::encode(save), "fuzz", limits);
        if (again.sections.size() != save.sections.size()) __builtin_trap();
    } catch (const spindle::save::SaveFileError&) {
    }
    return 0;
}
