// The script version of a save (script_version.hpp).
#include "save/script_version.hpp"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace spindle::save {
namespace {

// The container stores the version in at most 65535 bytes.
constexpr std::size_t kMaxScriptVersion = 60000;
// Scripts are small: a bigger "script" is not read for a digest.
constexpr std::uintmax_t kMaxScriptBytes = std::uintmax_t{16} << 20;

std::string hex64(std::uint64_t v) {
    char text[17];
    std::snprintf(text, sizeof text, "%016" PRIx64, v);
    return text;
}

}  // namespace

std::uint64_t source_digest(std::string_view text) noexcept {
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (unsigned char c : text) {
        h ^= c;
        h *= 0x100000001b3ull;
    }
    return h;
}

std::string hex_digest(std::string_view text) { return hex64(source_digest(text)); }

std::optional<std::string> file_digest(const std::filesystem::path& file) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec) || ec || std::filesystem::file_size(file, ec) > kMaxScriptBytes || ec)
        return std::nullopt;
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) return std::nullopt;
    return hex_digest(text.str());
}

std::string format_script_version(const ScriptDigests& digests) {
    std::string out;
    for (const auto& [name, digest] : digests) {
        if (!out.empty()) out += ';';
        out += name + '=' + digest;
    }
    if (out.size() <= kMaxScriptVersion) return out;
    return "all " + std::to_string(digests.size()) + " scripts=" + hex_digest(out);
}

ScriptDigests parse_script_version(std::string_view version) {
    ScriptDigests digests;
    while (!version.empty()) {
        const std::size_t end = std::min(version.find(';'), version.size());
        const std::string_view entry = version.substr(0, end);
        const std::size_t eq = entry.find('=');
        if (eq != std::string_view::npos && eq > 0) digests.emplace(entry.substr(0, eq), entry.substr(eq + 1));
        version.remove_prefix(std::min(end + 1, version.size()));
    }
    return digests;
}

}  // namespace spindle::save
