// Writes a few valid save files into a directory: the fuzzer's seed corpus.
#include <cstdio>
#include <string>

#include "save/save_file.hpp"

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s DIR\n", argv[0]);
        return 2;
    }
    using namespace spindle::save;
    SaveFile small;
    small.build_version = "0.1.0";
    small.script_version = "seed";
    small.sections.push_back(Section{"WRLD", {1, 2, 3}});
    small.sections.push_back(Section{"HEAP", std::vector<std::uint8_t>(64, 0x41)});
    SaveFile empty;
    SaveFile many;
    for (int i = 0; i < 8; ++i) many.sections.push_back(Section{"S00" + std::to_string(i), std::vector<std::uint8_t>(i * 17, static_cast<std::uint8_t>(i))});
    const SaveFile* seeds[] = {&small, &empty, &many};
    for (int i = 0; i < 3; ++i) write_atomically(std::string(argv[1]) + "/seed" + std::to_string(i) + ".sav", encode(*seeds[i]));
    return 0;
}
