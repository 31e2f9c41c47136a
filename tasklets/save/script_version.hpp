// The script version a save file records (SaveFile::script_version): which
// script sources the game was running, so that a host or `spindle dump`
// can tell whether the scripts on disk are still the ones that wrote it.
//
// It lists each script module with a digest of the source text it was
// compiled from, "name=digest" in name order with ';' between, the digest
// being FNV-1a (64 bits) of the file's bytes in 16 hex digits, e.g.
//   __main__=00d301a61fd5782e;helpers=1de37be8ad02200f
// A content digest, not the file's mtime and size: it is the same on every
// machine and after a checkout or a copy, it changes with any edit, and it
// describes the text really compiled (read once, at import), not what the
// file holds when the save is written. The save carries every function's
// code anyway (a game resumes with its saved code); this says at a glance
// which scripts changed since. A game of more scripts than the container's
// 65535-byte field holds records one digest over the whole list instead.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace spindle::save {

using ScriptDigests = std::map<std::string, std::string, std::less<>>;  // module name -> hex digest

std::uint64_t source_digest(std::string_view text) noexcept;
std::string hex_digest(std::string_view text);
// The digest of a plain file's bytes now; nothing if it cannot be read.
std::optional<std::string> file_digest(const std::filesystem::path& file);

std::string format_script_version(const ScriptDigests& digests);
// A recorded version back into digests; malformed entries are left out
// (the version is advisory and comes from a file).
ScriptDigests parse_script_version(std::string_view version);

}  // namespace spindle::save
