// Methods of str, with CPython 3.11's results and messages. Strings are UTF-8
// with code-point semantics: searching works on the bytes (UTF-8 is
// self-synchronising), indices and widths count code points, and character
// classes and case mappings come from the generated Unicode tables. Index:
//   [TEXT]      code points, offsets, slice arguments
//   [SEARCH]    find/index/count, startswith/endswith, partition, replace
//   [SPLIT]     split/rsplit/splitlines/join, strip
//   [SHAPE]     center/ljust/rjust/zfill/expandtabs, translate, removeprefix/removesuffix
//   [CASE]      upper/lower/title/capitalize/swapcase/casefold and the is* tests
//   [FORMAT]    str.format / str.format_map (unicode_format.h)
//   [PERCENT]   printf-style `str % args` (PyUnicode_Format)
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "script/lexer.hpp"
#include "vm/builtins_support.hpp"
#include "vm/unicode_case.hpp"

namespace spindle::vm {
namespace {

// ============================================================================
// [TEXT]
// ============================================================================

StrObj* self_str(const CallArgs& a) { return as_str(a[0]); }

// The code points of a string with the byte offset of each (and of the end).
struct Decoded {
    std::u32string cps;
    std::vector<std::size_t> offsets;
    explicit Decoded(std::string_view s) {
        cps.reserve(s.size());
        offsets.reserve(s.size() + 1);
        std::size_t i = 0;
        while (i < s.size()) {
            offsets.push_back(i);
            if (static_cast<unsigned char>(s[i]) < 0x80) cps.push_back(static_cast<char32_t>(s[i++]));
            else cps.push_back(script::decode_utf8(s, i));
        }
        offsets.push_back(s.size());
    }
    std::size_t size() const noexcept { return cps.size(); }
};

void append_cp(std::string& out, char32_t cp) {
    if (cp < 0x80) out += static_cast<char>(cp);
    else script::append_utf8(out, cp);
}

// Byte offset of code point `index` (0 <= index <= length).
std::size_t byte_offset(const StrObj* s, std::int64_t index) {
    if (s->ascii) return static_cast<std::size_t>(index);
    const std::string_view v = s->view();
    std::size_t i = 0;
    for (std::int64_t cp = 0; cp < index && i < v.size(); ++cp) {
        ++i;
        while (i < v.size() && (static_cast<unsigned char>(v[i]) & 0xC0) == 0x80) ++i;
    }
    return i;
}

// Code point index of byte offset `offset`.
std::int64_t cp_index(const StrObj* s, std::size_t offset) {
    if (s->ascii) return static_cast<std::int64_t>(offset);
    std::int64_t n = 0;
    const std::string_view v = s->view();
    for (std::size_t i = 0; i < offset && i < v.size(); ++i) n += (static_cast<unsigned char>(v[i]) & 0xC0) != 0x80;
    return n;
}

bool is_space(char32_t cp) noexcept {
    if (cp < 0x80) return cp == ' ' || (cp >= '\t' && cp <= '\r') || (cp >= 0x1C && cp <= 0x1F);
    return (unicode::properties(cp) & unicode::kSpace) != 0;
}

bool is_linebreak(char32_t cp) noexcept {
    switch (cp) {
        case '\n': case '\r': case 0x0B: case 0x0C: case 0x1C: case 0x1D: case 0x1E: case 0x85: case 0x2028: case 0x2029:
            return true;
        default: return false;
    }
}

// A start/end argument: None (or absent) keeps the default.
bool slice_argument(Interpreter& in, const CallArgs& a, std::uint32_t i, std::int64_t& out) {
    if (i >= a.count || a[i].is_none()) return true;
    if (a[i].is_intlike()) {
        out = a[i].as_int();
        return true;
    }
    if (a[i].is_obj() && (a[i].o->kind == ObjKind::Instance || a[i].o->kind == ObjKind::Exception) &&
        !in.lookup_in_class(in.type_of(a[i]), in.intern("__index__")).is_undef())
        return index_argument(in, a[i], out);
    return in.raise_type_error("slice indices must be integers or None or have an __index__ method");
}

// CPython's ADJUST_INDICES.
void adjust_indices(std::int64_t& start, std::int64_t& end, std::int64_t len) {
    if (end > len) end = len;
    else if (end < 0) {
        end += len;
        if (end < 0) end = 0;
    }
    if (start < 0) {
        start += len;
        if (start < 0) start = 0;
    }
}

bool require_str(Interpreter& in, Value v, const char* prefix) {
    if (is_str(v)) return true;
    return in.raise_type_error(std::string(prefix) + in.type_name(v));
}

// _PyArg_BadArgument names None as "None", other values by their type.
std::string bad_argument_name(Interpreter& in, Value v) { return v.is_none() ? "None" : in.type_name(v); }

Value make_str(Interpreter& in, std::string_view s) { return in.str(s); }

// ============================================================================
// [SEARCH]
// ============================================================================

enum class Find { Find, RFind, Index, RIndex, Count };

bool str_search(Interpreter& in, const CallArgs& a, Value& out, Find kind, const char* qualname) {
    if (!method_parse_tuple(in, a, qualname, 1, 3)) return false;
    std::int64_t start = 0, end = INT64_MAX;
    if (!slice_argument(in, a, 2, start) || !slice_argument(in, a, 3, end)) return false;
    if (!require_str(in, a[1], "must be str, not ")) return false;
    StrObj* s = self_str(a);
    StrObj* sub = as_str(a[1]);
    adjust_indices(start, end, s->length);
    std::int64_t result = -1;
    if (end - start >= sub->length) {
        const std::size_t from = byte_offset(s, start), to = byte_offset(s, end);
        const std::string_view hay = s->view().substr(from, to - from);
        const std::string_view needle = sub->view();
        if (kind == Find::Count) {
            if (needle.empty()) {
                result = end - start + 1;
            } else {
                result = 0;
                for (std::size_t p = hay.find(needle); p != std::string_view::npos; p = hay.find(needle, p + needle.size())) ++result;
            }
        } else {
            const bool reverse = kind == Find::RFind || kind == Find::RIndex;
            const std::size_t p = reverse ? hay.rfind(needle) : hay.find(needle);
            if (p != std::string_view::npos) result = cp_index(s, from + p);
        }
    } else if (kind == Find::Count) {
        result = 0;
    }
    if (result < 0 && (kind == Find::Index || kind == Find::RIndex)) return in.raise_value_error("substring not found");
    out = Value::integer(result);
    return true;
}

bool str_find(Interpreter& in, const CallArgs& a, Value& out) { return str_search(in, a, out, Find::Find, "str.find"); }
bool str_rfind(Interpreter& in, const CallArgs& a, Value& out) { return str_search(in, a, out, Find::RFind, "str.rfind"); }
bool str_index(Interpreter& in, const CallArgs& a, Value& out) { return str_search(in, a, out, Find::Index, "str.index"); }
bool str_rindex(Interpreter& in, const CallArgs& a, Value& out) { return str_search(in, a, out, Find::RIndex, "str.rindex"); }
bool str_count(Interpreter& in, const CallArgs& a, Value& out) { return str_search(in, a, out, Find::Count, "str.count"); }

// tailmatch: does s[start:end] start (or end) with `sub`?
bool tail_match(StrObj* s, StrObj* sub, std::int64_t start, std::int64_t end, bool at_end) {
    adjust_indices(start, end, s->length);
    end -= sub->length;
    if (end < start) return false;
    if (sub->length == 0) return true;
    const std::int64_t at = at_end ? end : start;
    const std::size_t from = byte_offset(s, at);
    return s->view().substr(from, sub->data.size()) == sub->view();
}

bool str_affix(Interpreter& in, const CallArgs& a, Value& out, bool at_end) {
    const char* name = at_end ? "endswith" : "startswith";
    if (!method_parse_tuple(in, a, at_end ? "str.endswith" : "str.startswith", 1, 3)) return false;
    std::int64_t start = 0, end = INT64_MAX;
    if (!slice_argument(in, a, 2, start) || !slice_argument(in, a, 3, end)) return false;
    StrObj* s = self_str(a);
    if (a[1].is_obj() && a[1].o->kind == ObjKind::Tuple) {
        for (const Value& v : static_cast<TupleObj*>(a[1].o)->items) {
            if (!is_str(v))
                return in.raise_type_error(std::string("tuple for ") + name + " must only contain str, not " + in.type_name(v));
            if (tail_match(s, as_str(v), start, end, at_end)) {
                out = Value::boolean(true);
                return true;
            }
        }
        out = Value::boolean(false);
        return true;
    }
    if (!is_str(a[1]))
        return in.raise_type_error(std::string(name) + " first arg must be str or a tuple of str, not " + in.type_name(a[1]));
    out = Value::boolean(tail_match(s, as_str(a[1]), start, end, at_end));
    return true;
}

bool str_startswith(Interpreter& in, const CallArgs& a, Value& out) { return str_affix(in, a, out, false); }
bool str_endswith(Interpreter& in, const CallArgs& a, Value& out) { return str_affix(in, a, out, true); }

bool str_partition_impl(Interpreter& in, const CallArgs& a, Value& out, bool reverse) {
    if (!method_one_arg(in, a, reverse ? "str.rpartition" : "str.partition")) return false;
    if (!require_str(in, a[1], "must be str, not ")) return false;
    const std::string_view s = self_str(a)->view();
    const std::string_view sep = as_str(a[1])->view();
    if (sep.empty()) return in.raise_value_error("empty separator");
    TupleObj* t = in.new_tuple(3);
    out = Value::object(t);
    const std::size_t p = reverse ? s.rfind(sep) : s.find(sep);
    if (p == std::string_view::npos) {
        const Value empty = make_str(in, "");
        if (reverse) {
            t->items.push_back(empty);
            t->items.push_back(empty);
            t->items.push_back(a[0]);
        } else {
            t->items.push_back(a[0]);
            t->items.push_back(empty);
            t->items.push_back(empty);
        }
        return true;
    }
    t->items.push_back(make_str(in, s.substr(0, p)));
    t->items.push_back(a[1]);
    t->items.push_back(make_str(in, s.substr(p + sep.size())));
    return true;
}

bool str_partition(Interpreter& in, const CallArgs& a, Value& out) { return str_partition_impl(in, a, out, false); }
bool str_rpartition(Interpreter& in, const CallArgs& a, Value& out) { return str_partition_impl(in, a, out, true); }

bool str_replace(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_positional(in, a, "str.replace", 2, 3)) return false;
    for (std::uint32_t i = 1; i <= 2; ++i) {
        if (!is_str(a[i]))
            return in.raise_type_error("replace() argument " + std::to_string(i) + " must be str, not " + bad_argument_name(in, a[i]));
    }
    std::int64_t count = -1;
    if (a.count == 4 && !index_argument(in, a[3], count)) return false;
    StrObj* s = self_str(a);
    const std::string_view text = s->view(), old = as_str(a[1])->view(), rep = as_str(a[2])->view();
    if (count < 0) count = INT64_MAX;
    std::string result;
    if (old.empty()) {
        const Decoded d(text);
        std::int64_t inserted = 0;
        for (std::size_t i = 0; i <= d.size(); ++i) {
            if (inserted < count) {
                result += rep;
                ++inserted;
            }
            if (i < d.size()) result.append(text.substr(d.offsets[i], d.offsets[i + 1] - d.offsets[i]));
        }
    } else {
        std::size_t from = 0;
        std::int64_t done = 0;
        for (std::size_t p = text.find(old); p != std::string_view::npos && done < count; p = text.find(old, from)) {
            result.append(text.substr(from, p - from));
            result += rep;
            from = p + old.size();
            ++done;
        }
        if (done == 0) {
            out = a[0];
            return true;
        }
        result.append(text.substr(from));
    }
    out = make_str(in, result);
    return true;
}

// ============================================================================
// [SPLIT]
// ============================================================================

bool split_arguments(Interpreter& in, const CallArgs& a, const char* qualname, Value& sep, std::int64_t& maxsplit) {
    Value args[2];
    if (!method_clinic(in, a, qualname, {"sep", "maxsplit"}, 0, args)) return false;
    sep = args[0].is_undef() ? Value() : args[0];
    maxsplit = -1;
    if (!args[1].is_undef() && !index_argument(in, args[1], maxsplit)) return false;
    if (maxsplit < 0) maxsplit = INT64_MAX;
    if (!sep.is_none() && !is_str(sep)) return in.raise_type_error(std::string("must be str or None, not ") + in.type_name(sep));
    if (is_str(sep) && as_str(sep)->data.empty()) return in.raise_value_error("empty separator");
    return true;
}

bool str_split(Interpreter& in, const CallArgs& a, Value& out) {
    Value sep;
    std::int64_t maxcount;
    if (!split_arguments(in, a, "str.split", sep, maxcount)) return false;
    const std::string_view s = self_str(a)->view();
    ListObj* list = in.new_list();
    out = Value::object(list);
    auto add = [&](std::size_t from, std::size_t to) { list->items.push_back(make_str(in, s.substr(from, to - from))); };
    if (sep.is_none() && self_str(a)->ascii) {
        auto space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1C && c <= 0x1F); };
        const std::size_t n = s.size();
        std::size_t i = 0;
        while (maxcount-- > 0) {
            while (i < n && space(s[i])) ++i;
            if (i == n) break;
            const std::size_t j = i++;
            while (i < n && !space(s[i])) ++i;
            add(j, i);
        }
        if (i < n) {
            while (i < n && space(s[i])) ++i;
            if (i != n) add(i, n);
        }
        return true;
    }
    if (sep.is_none()) {
        const Decoded d(s);
        const std::size_t n = d.size();
        std::size_t i = 0;
        while (maxcount-- > 0) {
            while (i < n && is_space(d.cps[i])) ++i;
            if (i == n) break;
            const std::size_t j = i++;
            while (i < n && !is_space(d.cps[i])) ++i;
            add(d.offsets[j], d.offsets[i]);
        }
        if (i < n) {
            while (i < n && is_space(d.cps[i])) ++i;
            if (i != n) add(d.offsets[i], d.offsets[n]);
        }
        return true;
    }
    const std::string_view separator = as_str(sep)->view();
    std::size_t i = 0;
    while (maxcount-- > 0) {
        const std::size_t p = s.find(separator, i);
        if (p == std::string_view::npos) break;
        add(i, p);
        i = p + separator.size();
    }
    add(i, s.size());
    return true;
}

bool str_rsplit(Interpreter& in, const CallArgs& a, Value& out) {
    Value sep;
    std::int64_t maxcount;
    if (!split_arguments(in, a, "str.rsplit", sep, maxcount)) return false;
    const std::string_view s = self_str(a)->view();
    ListObj* list = in.new_list();
    out = Value::object(list);
    auto add = [&](std::size_t from, std::size_t to) { list->items.push_back(make_str(in, s.substr(from, to - from))); };
    if (sep.is_none()) {
        const Decoded d(s);
        std::int64_t i = static_cast<std::int64_t>(d.size()) - 1;
        auto space = [&](std::int64_t k) { return is_space(d.cps[static_cast<std::size_t>(k)]); };
        auto off = [&](std::int64_t k) { return d.offsets[static_cast<std::size_t>(k)]; };
        while (maxcount-- > 0) {
            while (i >= 0 && space(i)) --i;
            if (i < 0) break;
            const std::int64_t j = i--;
            while (i >= 0 && !space(i)) --i;
            add(off(i + 1), off(j + 1));
        }
        if (i >= 0) {
            while (i >= 0 && space(i)) --i;
            if (i >= 0) add(0, off(i + 1));
        }
    } else {
        const std::string_view separator = as_str(sep)->view();
        std::size_t j = s.size();
        while (maxcount-- > 0) {
            if (j < separator.size()) break;
            const std::size_t p = s.substr(0, j).rfind(separator);
            if (p == std::string_view::npos) break;
            add(p + separator.size(), j);
            j = p;
        }
        add(0, j);
    }
    std::reverse(list->items.begin(), list->items.end());
    return true;
}

bool str_splitlines(Interpreter& in, const CallArgs& a, Value& out) {
    Value args[1];
    if (!method_clinic(in, a, "str.splitlines", {"keepends"}, 0, args)) return false;
    std::int64_t keepends = 0;
    if (!args[0].is_undef() && !index_argument(in, args[0], keepends)) return false;
    const std::string_view s = self_str(a)->view();
    const Decoded d(s);
    const std::size_t n = d.size();
    ListObj* list = in.new_list();
    out = Value::object(list);
    std::size_t i = 0, j = 0;
    while (i < n) {
        while (i < n && !is_linebreak(d.cps[i])) ++i;
        std::size_t eol = i;
        if (i < n) {
            i += (d.cps[i] == '\r' && i + 1 < n && d.cps[i + 1] == '\n') ? 2 : 1;
            if (keepends) eol = i;
        }
        list->items.push_back(make_str(in, s.substr(d.offsets[j], d.offsets[eol] - d.offsets[j])));
        j = i;
    }
    return true;
}

bool str_join(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_one_arg(in, a, "str.join")) return false;
    tracked_vector<Value> items;
    Value it;
    if (!in.get_iter(a[1], it)) {
        const Value error = in.take_pending();
        if (in.is_instance(error, in.types.TypeError)) return in.raise_type_error("can only join an iterable");
        return in.raise_value(error);
    }
    if (!in.to_list(it, items)) return false;
    const std::string_view sep = self_str(a)->view();
    std::size_t total = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (!is_str(items[i]))
            return in.raise_type_error("sequence item " + std::to_string(i) + ": expected str instance, " + in.type_name(items[i]) + " found");
        total += as_str(items[i])->data.size() + sep.size();
    }
    if (items.size() == 1) {
        out = items[0];
        return true;
    }
    std::string text;
    text.reserve(total);
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) text += sep;
        text += as_str(items[i])->view();
    }
    out = make_str(in, text);
    return true;
}

enum class Strip { Left = 1, Right = 2, Both = 3 };

bool str_strip_impl(Interpreter& in, const CallArgs& a, Value& out, Strip side, const char* qualname) {
    if (!method_positional(in, a, qualname, 0, 1)) return false;
    const Value chars = a.count > 1 ? a[1] : Value();
    const char* name = side == Strip::Both ? "strip" : side == Strip::Left ? "lstrip" : "rstrip";
    if (!chars.is_none() && !is_str(chars)) return in.raise_type_error(std::string(name) + " arg must be None or str");
    const std::string_view s = self_str(a)->view();
    if (self_str(a)->ascii && (chars.is_none() || as_str(chars)->ascii)) {
        const std::string_view set = chars.is_none() ? std::string_view(" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f") : as_str(chars)->view();
        std::size_t i = 0, j = s.size();
        if (static_cast<int>(side) & 1) {
            while (i < j && set.find(s[i]) != std::string_view::npos) ++i;
        }
        if (static_cast<int>(side) & 2) {
            while (j > i && set.find(s[j - 1]) != std::string_view::npos) --j;
        }
        out = i == 0 && j == s.size() ? a[0] : make_str(in, s.substr(i, j - i));
        return true;
    }
    const Decoded d(s);
    std::u32string set;
    if (!chars.is_none()) set = Decoded(as_str(chars)->view()).cps;
    auto strip_it = [&](char32_t c) { return chars.is_none() ? is_space(c) : set.find(c) != std::u32string::npos; };
    std::size_t i = 0, j = d.size();
    if (static_cast<int>(side) & 1) {
        while (i < j && strip_it(d.cps[i])) ++i;
    }
    if (static_cast<int>(side) & 2) {
        while (j > i && strip_it(d.cps[j - 1])) --j;
    }
    if (i == 0 && j == d.size()) {
        out = a[0];
        return true;
    }
    out = make_str(in, s.substr(d.offsets[i], d.offsets[j] - d.offsets[i]));
    return true;
}

bool str_strip(Interpreter& in, const CallArgs& a, Value& out) { return str_strip_impl(in, a, out, Strip::Both, "str.strip"); }
bool str_lstrip(Interpreter& in, const CallArgs& a, Value& out) { return str_strip_impl(in, a, out, Strip::Left, "str.lstrip"); }
bool str_rstrip(Interpreter& in, const CallArgs& a, Value& out) { return str_strip_impl(in, a, out, Strip::Right, "str.rstrip"); }

// ============================================================================
// [SHAPE]
// ============================================================================

bool fill_character(Interpreter& in, const CallArgs& a, std::string& fill) {
    fill = " ";
    if (a.count < 3) return true;
    if (!is_str(a[2])) return in.raise_type_error(std::string("The fill character must be a unicode character, not ") + in.type_name(a[2]));
    if (as_str(a[2])->length != 1) return in.raise_type_error("The fill character must be exactly one character long");
    fill = std::string(as_str(a[2])->view());
    return true;
}

std::string repeat(const std::string& piece, std::int64_t n) {
    std::string out;
    if (n <= 0) return out;
    out.reserve(piece.size() * static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) out += piece;
    return out;
}

enum class Justify { Left, Right, Center };

bool str_justify(Interpreter& in, const CallArgs& a, Value& out, Justify how, const char* qualname) {
    if (!method_positional(in, a, qualname, 1, 2)) return false;
    std::int64_t width;
    if (!index_argument(in, a[1], width)) return false;
    std::string fill;
    if (!fill_character(in, a, fill)) return false;
    StrObj* s = self_str(a);
    if (s->length >= width) {
        out = a[0];
        return true;
    }
    const std::int64_t marg = width - s->length;
    if (marg > (std::int64_t{1} << 32)) return in.raise_memory_error();
    std::int64_t left = 0;
    if (how == Justify::Right) left = marg;
    else if (how == Justify::Center) left = marg / 2 + (marg & width & 1);
    out = make_str(in, repeat(fill, left) + std::string(s->view()) + repeat(fill, marg - left));
    return true;
}

bool str_center(Interpreter& in, const CallArgs& a, Value& out) { return str_justify(in, a, out, Justify::Center, "str.center"); }
bool str_ljust(Interpreter& in, const CallArgs& a, Value& out) { return str_justify(in, a, out, Justify::Left, "str.ljust"); }
bool str_rjust(Interpreter& in, const CallArgs& a, Value& out) { return str_justify(in, a, out, Justify::Right, "str.rjust"); }

bool str_zfill(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_one_arg(in, a, "str.zfill")) return false;
    std::int64_t width;
    if (!index_argument(in, a[1], width)) return false;
    StrObj* s = self_str(a);
    if (s->length >= width) {
        out = a[0];
        return true;
    }
    const std::int64_t fill = width - s->length;
    if (fill > (std::int64_t{1} << 32)) return in.raise_memory_error();
    std::string text = std::string(static_cast<std::size_t>(fill), '0') + std::string(s->view());
    const char first = text[static_cast<std::size_t>(fill)];
    if (first == '+' || first == '-') {
        text[0] = first;
        text[static_cast<std::size_t>(fill)] = '0';
    }
    out = make_str(in, text);
    return true;
}

bool str_expandtabs(Interpreter& in, const CallArgs& a, Value& out) {
    Value args[1];
    if (!method_clinic(in, a, "str.expandtabs", {"tabsize"}, 0, args)) return false;
    std::int64_t tabsize = 8;
    if (!args[0].is_undef() && !index_argument(in, args[0], tabsize)) return false;
    const std::string_view s = self_str(a)->view();
    std::string text;
    std::int64_t column = 0;
    std::size_t i = 0;
    while (i < s.size()) {
        const std::size_t start = i;
        const char32_t c = static_cast<unsigned char>(s[i]) < 0x80 ? static_cast<char32_t>(s[i++]) : script::decode_utf8(s, i);
        if (c == '\t') {
            if (tabsize > 0) {
                const std::int64_t incr = tabsize - column % tabsize;
                if (incr > (std::int64_t{1} << 32)) return in.raise_memory_error();
                column += incr;
                text.append(static_cast<std::size_t>(incr), ' ');
            }
        } else {
            ++column;
            if (c == '\n' || c == '\r') column = 0;
            text.append(s.substr(start, i - start));
        }
    }
    out = make_str(in, text);
    return true;
}

bool str_remove_affix(Interpreter& in, const CallArgs& a, Value& out, bool suffix) {
    if (!method_one_arg(in, a, suffix ? "str.removesuffix" : "str.removeprefix")) return false;
    if (!is_str(a[1]))
        return in.raise_type_error(std::string(suffix ? "removesuffix" : "removeprefix") + "() argument must be str, not " + bad_argument_name(in, a[1]));
    const std::string_view s = self_str(a)->view(), affix = as_str(a[1])->view();
    const bool has = affix.size() <= s.size() && (suffix ? s.substr(s.size() - affix.size()) == affix : s.substr(0, affix.size()) == affix);
    if (!has || affix.empty()) {
        out = a[0];
        return true;
    }
    out = make_str(in, suffix ? s.substr(0, s.size() - affix.size()) : s.substr(affix.size()));
    return true;
}

// translate(table): table[ord(c)] is a str, a code point, None (delete), or missing (keep).
bool str_translate(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_one_arg(in, a, "str.translate")) return false;
    const std::string_view s = self_str(a)->view();
    const Decoded d(s);
    std::string text;
    for (std::size_t i = 0; i < d.size(); ++i) {
        Value mapped;
        if (!in.get_item(a[1], Value::integer(d.cps[i]), mapped)) {
            const Value error = in.take_pending();
            if (!in.is_instance(error, in.types.LookupError)) return in.raise_value(error);
            text.append(s.substr(d.offsets[i], d.offsets[i + 1] - d.offsets[i]));
            continue;
        }
        if (mapped.is_none()) continue;
        if (is_str(mapped)) {
            text += as_str(mapped)->view();
        } else if (mapped.is_intlike()) {
            if (mapped.as_int() < 0 || mapped.as_int() > 0x10FFFF) return in.raise_value_error("character mapping must be in range(0x110000)");
            append_cp(text, static_cast<char32_t>(mapped.as_int()));
        } else {
            return in.raise_type_error("character mapping must return integer, None or str");
        }
    }
    out = make_str(in, text);
    return true;
}

// maketrans(dict): its one-character str keys become code points.
bool maketrans_from_dict(Interpreter& in, Value mapping, DictObj* table) {
    if (!(mapping.is_obj() && mapping.o->kind == ObjKind::Dict))
        return in.raise_type_error("if you give only one argument to maketrans it must be a dict");
    for (const auto& e : static_cast<DictObj*>(mapping.o)->table.entries) {
        if (e.deleted) continue;
        Value key = e.key;
        if (is_str(key)) {
            const Decoded d(as_str(key)->view());
            if (d.size() != 1) return in.raise_value_error("string keys in translate table must be of length 1");
            key = Value::integer(d.cps[0]);
        } else if (!key.is_intlike()) {
            return in.raise_type_error("keys in translate table must be strings or integers");
        }
        if (!table::insert(in, table->table, key, e.value)) return false;
    }
    return true;
}

// maketrans(x, y[, z]): x[i] maps to y[i], and every character of z to None.
bool maketrans_from_strings(Interpreter& in, const CallArgs& a, DictObj* table) {
    if (!is_str(a[0])) return in.raise_type_error("first maketrans argument must be a string if there is a second argument");
    if (!is_str(a[1])) return in.raise_type_error(std::string("maketrans() argument 2 must be str, not ") + bad_argument_name(in, a[1]));
    if (a.count == 3 && !is_str(a[2])) return in.raise_type_error(std::string("maketrans() argument 3 must be str, not ") + bad_argument_name(in, a[2]));
    const Decoded from(as_str(a[0])->view()), to(as_str(a[1])->view());
    if (from.size() != to.size()) return in.raise_value_error("the first two maketrans arguments must have equal length");
    for (std::size_t i = 0; i < from.size(); ++i) {
        if (!table::insert(in, table->table, Value::integer(from.cps[i]), Value::integer(to.cps[i]))) return false;
    }
    if (a.count < 3) return true;
    const Decoded deleted(as_str(a[2])->view());
    for (std::size_t i = 0; i < deleted.size(); ++i) {
        if (!table::insert(in, table->table, Value::integer(deleted.cps[i]), Value())) return false;
    }
    return true;
}

// str.maketrans(x, y=None, z=None, /): a static method, so no receiver.
bool str_maketrans(Interpreter& in, const CallArgs& a, Value& out) {
    if (a.keyword_count() != 0) return in.raise_type_error("str.maketrans() takes no keyword arguments");
    if (a.count < 1) return in.raise_type_error("maketrans expected at least 1 argument, got 0");
    if (a.count > 3) return in.raise_type_error("maketrans expected at most 3 arguments, got " + std::to_string(a.count));
    DictObj* table = in.new_dict();
    out = Value::object(table);
    return a.count == 1 ? maketrans_from_dict(in, a[0], table) : maketrans_from_strings(in, a, table);
}

bool str_removeprefix(Interpreter& in, const CallArgs& a, Value& out) { return str_remove_affix(in, a, out, false); }
bool str_removesuffix(Interpreter& in, const CallArgs& a, Value& out) { return str_remove_affix(in, a, out, true); }

// ============================================================================
// [CASE]
// ============================================================================

// The properties of the ASCII range, cached (case-ignorable includes ' . : ^ `).
std::uint16_t props(char32_t cp) noexcept {
    static const auto ascii = [] {
        std::array<std::uint16_t, 128> table{};
        for (char32_t c = 0; c < 128; ++c) table[c] = unicode::properties(c);
        return table;
    }();
    return cp < 0x80 ? ascii[cp] : unicode::properties(cp);
}

void append_mapped(std::string& out, char32_t cp, unicode::Mapping which) {
    if (cp < 0x80) {
        char c = static_cast<char>(cp);
        if (which == unicode::Mapping::Upper || which == unicode::Mapping::Title) {
            if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
        } else if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c + 32);
        }
        out += c;
        return;
    }
    char32_t mapped[3];
    const int n = unicode::map_case(cp, which, mapped);
    for (int k = 0; k < n; ++k) append_cp(out, mapped[k]);
}

// lower_ucs4: a capital sigma is final after [cased][case-ignorable]* unless
// [case-ignorable]*[cased] follows (handle_capital_sigma).
void append_lower(std::string& out, const Decoded& d, std::size_t i) {
    const char32_t c = d.cps[i];
    if (c != 0x3A3) return append_mapped(out, c, unicode::Mapping::Lower);
    std::int64_t j = static_cast<std::int64_t>(i) - 1;
    while (j >= 0 && (props(d.cps[static_cast<std::size_t>(j)]) & unicode::kCaseIgnorable)) --j;
    bool final_sigma = j >= 0 && (props(d.cps[static_cast<std::size_t>(j)]) & unicode::kCased);
    if (final_sigma && i + 1 < d.size()) {
        std::size_t k = i + 1;
        while (k < d.size() && (props(d.cps[k]) & unicode::kCaseIgnorable)) ++k;
        final_sigma = k == d.size() || !(props(d.cps[k]) & unicode::kCased);
    }
    append_cp(out, final_sigma ? 0x3C2 : 0x3C3);
}

enum class CaseOp { Lower, Upper, Title, Capitalize, Swapcase, Casefold };

std::string convert_ascii_case(std::string_view s, CaseOp op) {
    std::string out(s);
    bool previous_cased = false;
    for (std::size_t i = 0; i < out.size(); ++i) {
        char& c = out[i];
        const bool upper = c >= 'A' && c <= 'Z', lower = c >= 'a' && c <= 'z';
        bool to_upper = false, to_lower = false;
        switch (op) {
            case CaseOp::Lower:
            case CaseOp::Casefold: to_lower = upper; break;
            case CaseOp::Upper: to_upper = lower; break;
            case CaseOp::Swapcase: to_lower = upper; to_upper = lower; break;
            case CaseOp::Capitalize: (i == 0 ? to_upper : to_lower) = true; break;
            case CaseOp::Title: (previous_cased ? to_lower : to_upper) = true; break;
        }
        previous_cased = upper || lower;
        if (to_upper && lower) c = static_cast<char>(c - 32);
        else if (to_lower && upper) c = static_cast<char>(c + 32);
    }
    return out;
}

std::string convert_case(std::string_view s, CaseOp op) {
    const Decoded d(s);
    std::string out;
    out.reserve(s.size());
    bool previous_cased = false;
    for (std::size_t i = 0; i < d.size(); ++i) {
        const char32_t c = d.cps[i];
        switch (op) {
            case CaseOp::Lower: append_lower(out, d, i); break;
            case CaseOp::Upper: append_mapped(out, c, unicode::Mapping::Upper); break;
            case CaseOp::Casefold: append_mapped(out, c, unicode::Mapping::Fold); break;
            case CaseOp::Title:
                if (previous_cased) append_lower(out, d, i);
                else append_mapped(out, c, unicode::Mapping::Title);
                previous_cased = (props(c) & unicode::kCased) != 0;
                break;
            case CaseOp::Capitalize:
                if (i == 0) append_mapped(out, c, unicode::Mapping::Title);
                else append_lower(out, d, i);
                break;
            case CaseOp::Swapcase: {
                const std::uint16_t p = props(c);
                if (p & unicode::kUpper) append_lower(out, d, i);
                else if (p & unicode::kLower) append_mapped(out, c, unicode::Mapping::Upper);
                else append_cp(out, c);
                break;
            }
        }
    }
    return out;
}

bool str_case(Interpreter& in, const CallArgs& a, Value& out, CaseOp op, const char* qualname) {
    if (!method_no_args(in, a, qualname)) return false;
    StrObj* s = self_str(a);
    out = make_str(in, s->ascii ? convert_ascii_case(s->view(), op) : convert_case(s->view(), op));
    return true;
}

bool str_lower(Interpreter& in, const CallArgs& a, Value& out) { return str_case(in, a, out, CaseOp::Lower, "str.lower"); }
bool str_upper(Interpreter& in, const CallArgs& a, Value& out) { return str_case(in, a, out, CaseOp::Upper, "str.upper"); }
bool str_title(Interpreter& in, const CallArgs& a, Value& out) { return str_case(in, a, out, CaseOp::Title, "str.title"); }
bool str_capitalize(Interpreter& in, const CallArgs& a, Value& out) { return str_case(in, a, out, CaseOp::Capitalize, "str.capitalize"); }
bool str_swapcase(Interpreter& in, const CallArgs& a, Value& out) { return str_case(in, a, out, CaseOp::Swapcase, "str.swapcase"); }
bool str_casefold(Interpreter& in, const CallArgs& a, Value& out) { return str_case(in, a, out, CaseOp::Casefold, "str.casefold"); }

// isalpha & co.: true if not empty and every character has one of `mask`.
bool str_all(Interpreter& in, const CallArgs& a, Value& out, std::uint16_t mask, const char* qualname) {
    if (!method_no_args(in, a, qualname)) return false;
    StrObj* s = self_str(a);
    if (s->ascii) {
        const std::string_view v = s->view();
        out = Value::boolean(!v.empty() && std::all_of(v.begin(), v.end(), [&](char c) { return (props(static_cast<char32_t>(c)) & mask) != 0; }));
        return true;
    }
    const Decoded d(s->view());
    bool ok = d.size() > 0;
    for (char32_t c : d.cps) {
        if (!(props(c) & mask)) {
            ok = false;
            break;
        }
    }
    out = Value::boolean(ok);
    return true;
}

bool str_isalpha(Interpreter& in, const CallArgs& a, Value& out) { return str_all(in, a, out, unicode::kAlpha, "str.isalpha"); }
bool str_isdecimal(Interpreter& in, const CallArgs& a, Value& out) { return str_all(in, a, out, unicode::kDecimal, "str.isdecimal"); }
bool str_isdigit(Interpreter& in, const CallArgs& a, Value& out) { return str_all(in, a, out, unicode::kDigit, "str.isdigit"); }
bool str_isnumeric(Interpreter& in, const CallArgs& a, Value& out) { return str_all(in, a, out, unicode::kNumeric, "str.isnumeric"); }
bool str_isspace(Interpreter& in, const CallArgs& a, Value& out) { return str_all(in, a, out, unicode::kSpace, "str.isspace"); }
bool str_isalnum(Interpreter& in, const CallArgs& a, Value& out) {
    return str_all(in, a, out, unicode::kAlpha | unicode::kDecimal | unicode::kDigit | unicode::kNumeric, "str.isalnum");
}

bool str_isupper_lower(Interpreter& in, const CallArgs& a, Value& out, bool upper) {
    if (!method_no_args(in, a, upper ? "str.isupper" : "str.islower")) return false;
    const Decoded d(self_str(a)->view());
    const std::uint16_t want = upper ? unicode::kUpper : unicode::kLower;
    const std::uint16_t reject = (upper ? unicode::kLower : unicode::kUpper) | unicode::kTitle;
    bool cased = false;
    for (char32_t c : d.cps) {
        const std::uint16_t p = props(c);
        if (p & reject) {
            out = Value::boolean(false);
            return true;
        }
        if (p & want) cased = true;
    }
    out = Value::boolean(cased);
    return true;
}

bool str_isupper(Interpreter& in, const CallArgs& a, Value& out) { return str_isupper_lower(in, a, out, true); }
bool str_islower(Interpreter& in, const CallArgs& a, Value& out) { return str_isupper_lower(in, a, out, false); }

bool str_istitle(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_no_args(in, a, "str.istitle")) return false;
    const Decoded d(self_str(a)->view());
    bool cased = false, previous_cased = false;
    for (char32_t c : d.cps) {
        const std::uint16_t p = props(c);
        if (p & (unicode::kUpper | unicode::kTitle)) {
            if (previous_cased) {
                out = Value::boolean(false);
                return true;
            }
            previous_cased = cased = true;
        } else if (p & unicode::kLower) {
            if (!previous_cased) {
                out = Value::boolean(false);
                return true;
            }
            previous_cased = cased = true;
        } else {
            previous_cased = false;
        }
    }
    out = Value::boolean(cased);
    return true;
}

bool str_isidentifier(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_no_args(in, a, "str.isidentifier")) return false;
    const Decoded d(self_str(a)->view());
    bool ok = d.size() > 0;
    for (std::size_t i = 0; ok && i < d.size(); ++i) {
        ok = (script::identifier_class(d.cps[i]) & (i == 0 ? script::kIdStart : script::kIdContinue)) != 0;
    }
    out = Value::boolean(ok);
    return true;
}

bool str_isprintable(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_no_args(in, a, "str.isprintable")) return false;
    const Decoded d(self_str(a)->view());
    out = Value::boolean(std::all_of(d.cps.begin(), d.cps.end(), [](char32_t c) { return script::is_printable(c); }));
    return true;
}

bool str_isascii(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_no_args(in, a, "str.isascii")) return false;
    out = Value::boolean(self_str(a)->ascii);
    return true;
}

// ============================================================================
// [FORMAT]
// ============================================================================

// The state of one str.format call (unicode_format.h).
struct Formatter {
    Interpreter& in;
    const CallArgs& call;
    bool has_args;        // false for format_map
    Value mapping;        // format_map's argument, or Undef
    enum { Init, Auto, Manual } numbering = Init;
    std::int64_t next_index = 0;

    bool error(const char* message) { return in.raise_value_error(message); }

    // get_integer: a decimal field name, or -1.
    static std::int64_t integer_of(std::string_view s) {
        if (s.empty()) return -1;
        std::int64_t n = 0;
        for (char c : s) {
            if (c < '0' || c > '9') return -1;
            if (n > (INT64_MAX - (c - '0')) / 10) return -2;
            n = n * 10 + (c - '0');
        }
        return n;
    }

    bool keyword_value(std::string_view name, Value& out) {
        const Value key = in.str(name);
        if (!mapping.is_undef()) return in.get_item(mapping, key, out);
        const std::uint32_t npos = call.positional_count();
        for (std::uint32_t k = 0; k < call.keyword_count(); ++k) {
            if (as_str(call.kwnames->items[k])->view() == name) {
                out = call[npos + k];
                return true;
            }
        }
        auto* e = in.heap().make<ExceptionObj>(in.types.KeyError);
        e->args = in.new_tuple();
        e->args->items.push_back(key);
        return in.raise_value(Value::object(e));
    }

    // get_field_object: "0", "name", "", then ".attr" and "[key]" parts.
    bool field_object(std::string_view field, Value& obj) {
        std::size_t i = 0;
        while (i < field.size() && field[i] != '.' && field[i] != '[') ++i;
        const std::string_view first = field.substr(0, i);
        std::int64_t index = integer_of(first);
        if (index == -2) return error("Too many decimal digits in format string");
        const bool empty = first.empty();
        if (empty || index >= 0) {
            if (numbering == Init) numbering = empty ? Auto : Manual;
            if (numbering == Manual && empty) return error("cannot switch from manual field specification to automatic field numbering");
            if (numbering == Auto && !empty) return error("cannot switch from automatic field numbering to manual field specification");
            if (empty) index = next_index++;
        }
        if (index < 0) {
            if (!keyword_value(first, obj)) return false;
        } else {
            if (!has_args) return error("Format string contains positional fields");
            const std::int64_t npos = static_cast<std::int64_t>(call.positional_count()) - 1;
            if (index >= npos)
                return in.raise(in.types.IndexError, "Replacement index " + std::to_string(index) + " out of range for positional args tuple");
            obj = call[static_cast<std::uint32_t>(index + 1)];
        }
        while (i < field.size()) {
            const char c = field[i++];
            std::string_view name;
            bool attribute = false;
            if (c == '.') {
                attribute = true;
                const std::size_t start = i;
                while (i < field.size() && field[i] != '.' && field[i] != '[') ++i;
                name = field.substr(start, i - start);
            } else if (c == '[') {
                const std::size_t start = i;
                while (i < field.size() && field[i] != ']') ++i;
                if (i >= field.size()) return error("Missing ']' in format string");
                name = field.substr(start, i - start);
                ++i;
            } else {
                return error("Only '.' or '[' may follow ']' in format field specifier");
            }
            if (name.empty()) return error("Empty attribute in format string");
            Value next;
            if (attribute) {
                if (!in.get_attr(obj, in.intern(name), next)) return false;
            } else {
                const std::int64_t key = integer_of(name);
                if (key == -2) return error("Too many decimal digits in format string");
                if (!in.get_item(obj, key >= 0 ? Value::integer(key) : in.str(name), next)) return false;
            }
            obj = next;
        }
        return true;
    }

    bool convert(Value& obj, char32_t conversion) {
        std::string text;
        switch (conversion) {
            case 'r':
                if (!in.repr(obj, text)) return false;
                break;
            case 's':
                if (!in.to_str(obj, text)) return false;
                break;
            case 'a': {
                std::string shown;
                if (!in.repr(obj, shown)) return false;
                text = ascii_escape(shown);
                break;
            }
            default: {
                char buffer[64];
                if (conversion > 32 && conversion < 127)
                    std::snprintf(buffer, sizeof buffer, "Unknown conversion specifier %c", static_cast<char>(conversion));
                else
                    std::snprintf(buffer, sizeof buffer, "Unknown conversion specifier \\x%x", static_cast<unsigned>(conversion));
                return in.raise_value_error(buffer);
            }
        }
        obj = in.str(text);
        return true;
    }

    // parse_field + output_markup for the text after a '{'.
    bool markup(std::string_view s, std::size_t& pos, int depth, std::string& out) {
        const std::size_t name_start = pos;
        char c = 0;
        bool stopped = false;
        while (pos < s.size()) {
            c = s[pos++];
            if (c == '{') return error("unexpected '{' in field name");
            if (c == '[') {
                while (pos < s.size() && s[pos] != ']') ++pos;
                continue;
            }
            if (c == '}' || c == ':' || c == '!') {
                stopped = true;
                break;
            }
        }
        if (!stopped) return error("expected '}' before end of string");
        const std::string_view field = s.substr(name_start, pos - 1 - name_start);
        char32_t conversion = 0;
        std::string_view spec;
        bool expand = false;
        if (c == '!' || c == ':') {
            bool spec_follows = true;
            if (c == '!') {
                if (pos >= s.size()) return error("end of string while looking for conversion specifier");
                conversion = static_cast<unsigned char>(s[pos]) < 0x80 ? static_cast<char32_t>(s[pos++]) : script::decode_utf8(s, pos);
                if (pos < s.size()) {
                    const char next = s[pos++];
                    if (next == '}') spec_follows = false;
                    else if (next != ':') return error("expected ':' after conversion specifier");
                }
            }
            if (spec_follows) {
                const std::size_t spec_start = pos;
                int count = 1;
                bool closed = false;
                while (pos < s.size()) {
                    const char d = s[pos++];
                    if (d == '{') {
                        expand = true;
                        ++count;
                    } else if (d == '}' && --count == 0) {
                        spec = s.substr(spec_start, pos - 1 - spec_start);
                        closed = true;
                        break;
                    }
                }
                if (!closed) return error("unmatched '{' in format spec");
            }
        }
        Value obj;
        if (!field_object(field, obj)) return false;
        if (conversion != 0 && !convert(obj, conversion)) return false;
        std::string expanded;
        if (expand) {
            if (!build(spec, depth - 1, expanded)) return false;
            spec = expanded;
        }
        return in.format_with_spec(obj, spec, out);
    }

    // build_string / MarkupIterator: literal text, "{{", "}}" and fields.
    bool build(std::string_view s, int depth, std::string& out) {
        if (depth <= 0) return error("Max string recursion exceeded");
        std::size_t pos = 0;
        while (pos < s.size()) {
            const std::size_t brace = s.find_first_of("{}", pos);
            if (brace == std::string_view::npos) {
                out.append(s.substr(pos));
                return true;
            }
            out.append(s.substr(pos, brace - pos));
            const char c = s[brace];
            pos = brace + 1;
            const bool at_end = pos >= s.size();
            if (c == '}') {
                if (at_end || s[pos] != '}') return error("Single '}' encountered in format string");
                out += '}';
                ++pos;
                continue;
            }
            if (at_end) return error("Single '{' encountered in format string");
            if (s[pos] == '{') {
                out += '{';
                ++pos;
                continue;
            }
            if (!markup(s, pos, depth, out)) return false;
        }
        return true;
    }
};

bool str_format(Interpreter& in, const CallArgs& a, Value& out) {
    if (a.positional_count() == 0) return in.raise_type_error("unbound method str.format() needs an argument");
    if (!is_str(a[0]))
        return in.raise_type_error(std::string("descriptor 'format' for 'str' objects doesn't apply to a '") + in.type_name(a[0]) + "' object");
    Formatter f{in, a, true, Value::undef()};
    std::string text;
    if (!f.build(self_str(a)->view(), 2, text)) return false;
    out = make_str(in, text);
    return true;
}

bool str_format_map(Interpreter& in, const CallArgs& a, Value& out) {
    if (!method_one_arg(in, a, "str.format_map")) return false;
    Formatter f{in, a, false, a[1]};
    std::string text;
    if (!f.build(self_str(a)->view(), 2, text)) return false;
    out = make_str(in, text);
    return true;
}

}  // namespace

// ============================================================================
// [PERCENT]
// ============================================================================

namespace {

// One conversion of printf-style formatting (unicode_format_arg_t).
struct PercentArg {
    char32_t ch = 0;
    bool ljust = false, plus = false, blank = false, alt = false, zero = false;
    std::int64_t width = -1;
    std::int64_t prec = -1;
    bool sign = false;  // the converted text may carry a sign (numbers)
};

// _PyUnicode_FormatLong: sign, "0x"/"0o" prefix with '#', digits zero-padded to prec.
std::string format_long(std::int64_t n, bool alt, std::int64_t prec, char32_t type) {
    const unsigned __int128 magnitude = n < 0 ? static_cast<unsigned __int128>(-static_cast<__int128>(n)) : static_cast<unsigned __int128>(n);
    const unsigned base = type == 'o' ? 8 : (type == 'x' || type == 'X') ? 16 : 10;
    std::string digits;
    unsigned __int128 m = magnitude;
    do {
        const int d = static_cast<int>(m % base);
        digits.insert(digits.begin(), static_cast<char>(d < 10 ? '0' + d : (type == 'X' ? 'A' : 'a') + d - 10));
        m /= base;
    } while (m != 0);
    if (prec > static_cast<std::int64_t>(digits.size())) digits.insert(0, static_cast<std::size_t>(prec) - digits.size(), '0');
    std::string out = n < 0 ? "-" : "";
    if (alt && base != 10) out += type == 'o' ? "0o" : type == 'X' ? "0X" : "0x";
    return out + digits;
}

}  // namespace

// PyUnicode_Format: `format % args`.
bool Interpreter::percent_format(StrObj* format, Value args, Value& out) {
    const bool args_tuple = args.is_obj() && args.o->kind == ObjKind::Tuple;
    const bool args_str = args.is_obj() && args.o->kind == ObjKind::Str;
    // PyMapping_Check: anything subscriptable by key (a list too), but not a tuple or str.
    bool mapping = false;
    if (args.is_obj() && !args_tuple && !args_str) {
        switch (args.o->kind) {
            case ObjKind::Dict: case ObjKind::List: case ObjKind::Range: mapping = true; break;
            case ObjKind::Instance: case ObjKind::Exception: mapping = !lookup_in_class(type_of(args), names.getitem).is_undef(); break;
            default: break;
        }
    }
    Value current = args;
    std::int64_t arglen = args_tuple ? static_cast<std::int64_t>(static_cast<TupleObj*>(args.o)->items.size()) : -1;
    std::int64_t argidx = args_tuple ? 0 : -2;
    auto next_arg = [&](Value& v) {
        if (argidx < arglen) {
            const std::int64_t i = argidx++;
            v = arglen < 0 ? current : static_cast<TupleObj*>(current.o)->items[static_cast<std::size_t>(i)];
            return true;
        }
        return raise_type_error("not enough arguments for format string");
    };
    const Decoded f(format->view());
    const std::string_view text = format->view();
    const std::size_t n = f.size();
    std::string result;
    std::size_t pos = 0;
    while (pos < n) {
        if (f.cps[pos] != '%') {
            const std::size_t start = pos;
            while (pos < n && f.cps[pos] != '%') ++pos;
            result.append(text.substr(f.offsets[start], f.offsets[pos] - f.offsets[start]));
            continue;
        }
        ++pos;
        if (pos < n && f.cps[pos] == '%') {
            result += '%';
            ++pos;
            continue;
        }
        PercentArg arg;
        arg.ch = pos < n ? f.cps[pos] : 0;
        if (pos < n && f.cps[pos] == '(') {
            if (!mapping) return raise_type_error("format requires a mapping");
            const std::size_t key_start = ++pos;
            int depth = 1;
            while (depth > 0 && pos < n) {
                if (f.cps[pos] == ')') --depth;
                else if (f.cps[pos] == '(') ++depth;
                ++pos;
            }
            if (depth > 0) return raise_value_error("incomplete format key");
            const Value key = str(text.substr(f.offsets[key_start], f.offsets[pos - 1] - f.offsets[key_start]));
            if (!get_item(args, key, current)) return false;
            arglen = -1;
            argidx = -2;
        }
        bool exhausted = false;
        auto advance = [&]() {
            if (pos < n) {
                arg.ch = f.cps[pos++];
                return true;
            }
            exhausted = true;
            return false;
        };
        while (advance()) {
            switch (arg.ch) {
                case '-': arg.ljust = true; continue;
                case '+': arg.plus = true; continue;
                case ' ': arg.blank = true; continue;
                case '#': arg.alt = true; continue;
                case '0': arg.zero = true; continue;
                default: break;
            }
            break;
        }
        auto star = [&](std::int64_t& target, const char* what) {
            Value v;
            if (!next_arg(v)) return false;
            if (!v.is_intlike()) return raise_type_error("* wants int");
            target = v.as_int();
            (void)what;
            return true;
        };
        if (arg.ch == '*') {
            if (!star(arg.width, "width")) return false;
            if (arg.width < 0) {
                arg.ljust = true;
                arg.width = -arg.width;
            }
            advance();
        } else if (arg.ch >= '0' && arg.ch <= '9') {
            arg.width = arg.ch - '0';
            while (advance()) {
                if (arg.ch < '0' || arg.ch > '9') break;
                if (arg.width > (INT64_MAX - (arg.ch - '0')) / 10) return raise_value_error("width too big");
                arg.width = arg.width * 10 + (arg.ch - '0');
            }
        }
        if (arg.ch == '.') {
            arg.prec = 0;
            advance();
            if (arg.ch == '*') {
                if (!star(arg.prec, "precision")) return false;
                if (arg.prec < 0) arg.prec = 0;
                advance();
            } else if (arg.ch >= '0' && arg.ch <= '9') {
                arg.prec = arg.ch - '0';
                while (advance()) {
                    if (arg.ch < '0' || arg.ch > '9') break;
                    if (arg.prec > (INT32_MAX - (arg.ch - '0')) / 10) return raise_value_error("precision too big");
                    arg.prec = arg.prec * 10 + (arg.ch - '0');
                }
            }
        }
        if (!exhausted && (arg.ch == 'h' || arg.ch == 'l' || arg.ch == 'L')) advance();
        if (exhausted) return raise_value_error("incomplete format");
        if (arg.width > 100000000 || arg.prec > 100000000) return raise_memory_error();

        // unicode_format_arg_format
        Value v;
        if (!next_arg(v)) return false;
        std::string piece;
        switch (arg.ch) {
            case 's':
            case 'r':
            case 'a':
                if (arg.ch == 's' ? !to_str(v, piece) : !repr(v, piece)) return false;
                if (arg.ch == 'a') piece = ascii_escape(piece);
                break;
            case 'i':
            case 'd':
            case 'u':
            case 'o':
            case 'x':
            case 'X': {
                const bool index_only = arg.ch == 'o' || arg.ch == 'x' || arg.ch == 'X';
                std::int64_t number = 0;
                bool ok_type = true;
                if (v.is_intlike()) {
                    number = v.as_int();
                } else if (v.is_float() && !index_only) {
                    if (std::isnan(v.f)) return raise_value_error("cannot convert float NaN to integer");
                    if (std::isinf(v.f)) return raise(types.OverflowError, "cannot convert float infinity to integer");
                    const double t = std::trunc(v.f);
                    if (t >= 9.2233720368547758e18 || t < -9.2233720368547758e18)
                        return raise(types.OverflowError, "integer overflow: int() result does not fit in 64 bits");
                    number = static_cast<std::int64_t>(t);
                } else if (v.is_obj() && (v.o->kind == ObjKind::Instance || v.o->kind == ObjKind::Exception)) {
                    Value method = lookup_in_class(type_of(v), intern("__index__"));
                    if (method.is_undef() && !index_only) method = lookup_in_class(type_of(v), intern("__int__"));
                    Value r;
                    if (method.is_undef()) ok_type = false;
                    else if (!call(method, &v, 1, r)) return false;
                    else if (!r.is_intlike()) return raise_type_error(std::string("__int__ returned non-int (type ") + type_name(r) + ")");
                    else number = r.as_int();
                } else {
                    ok_type = false;
                }
                if (!ok_type || (v.is_float() && index_only)) {
                    char buffer[160];
                    std::snprintf(buffer, sizeof buffer, "%%%c format: %s is required, not %s", static_cast<char>(arg.ch),
                                  index_only ? "an integer" : "a real number", type_name(v));
                    return raise_type_error(buffer);
                }
                piece = format_long(number, arg.alt, arg.prec, arg.ch);
                arg.sign = true;
                break;
            }
            case 'e':
            case 'E':
            case 'f':
            case 'F':
            case 'g':
            case 'G': {
                double x;
                if (v.is_float()) x = v.f;
                else if (v.is_intlike()) x = static_cast<double>(v.as_int());
                else {
                    Value method = lookup_in_class(type_of(v), intern("__float__"));
                    Value r;
                    if (method.is_undef() || !v.is_obj() || (v.o->kind != ObjKind::Instance && v.o->kind != ObjKind::Exception))
                        return raise_type_error(std::string("must be real number, not ") + type_name(v));
                    if (!call(method, &v, 1, r)) return false;
                    if (!r.is_float()) return raise_type_error(std::string(type_name(v)) + ".__float__ returned non-float (type " + type_name(r) + ")");
                    x = r.f;
                }
                std::string spec = arg.alt ? "#." : ".";
                spec += std::to_string(arg.prec < 0 ? 6 : arg.prec);
                spec += static_cast<char>(arg.ch);
                if (std::signbit(x) && !std::isnan(x)) piece = "-";
                if (!format_with_spec(Value::real(std::fabs(x)), spec, piece)) return false;
                arg.sign = true;
                break;
            }
            case 'c': {
                char32_t c = 0;
                if (is_str(v)) {
                    if (as_str(v)->length != 1) return raise_type_error("%c requires int or char");
                    c = Decoded(as_str(v)->view()).cps[0];
                } else if (v.is_intlike()) {
                    if (v.as_int() < 0 || v.as_int() > 0x10FFFF) return raise(types.OverflowError, "%c arg not in range(0x110000)");
                    c = static_cast<char32_t>(v.as_int());
                } else {
                    return raise_type_error("%c requires int or char");
                }
                append_cp(piece, c);
                break;
            }
            default: {
                char buffer[128];
                std::snprintf(buffer, sizeof buffer, "unsupported format character '%c' (0x%x) at index %zu",
                              (arg.ch >= 31 && arg.ch <= 126) ? static_cast<char>(arg.ch) : '?', static_cast<unsigned>(arg.ch), pos - 1);
                return raise_value_error(buffer);
            }
        }

        // unicode_format_arg_output
        const Decoded p(piece);
        std::int64_t len = static_cast<std::int64_t>(p.size());
        const bool fast = (arg.width == -1 || arg.width <= len) && (arg.prec == -1 || arg.prec >= len) && !arg.plus && !arg.blank;
        if (fast) {
            result += piece;
        } else {
            const char fill = arg.sign && arg.zero ? '0' : ' ';
            if ((arg.ch == 's' || arg.ch == 'r' || arg.ch == 'a') && arg.prec >= 0 && len > arg.prec) len = arg.prec;
            std::size_t index = 0;
            char32_t signchar = 0;
            if (arg.sign) {
                const char32_t c0 = p.size() ? p.cps[0] : 0;
                if (c0 == '-' || c0 == '+') {
                    signchar = c0;
                    --len;
                    ++index;
                } else if (arg.plus) {
                    signchar = '+';
                } else if (arg.blank) {
                    signchar = ' ';
                } else {
                    arg.sign = false;
                }
            }
            std::int64_t width = std::max(arg.width, len);
            if (arg.sign) {
                if (fill != ' ') append_cp(result, signchar);
                if (width > len) --width;
            }
            const bool prefix = arg.alt && (arg.ch == 'x' || arg.ch == 'X' || arg.ch == 'o');
            if (prefix) {
                if (fill != ' ') {
                    result += '0';
                    append_cp(result, arg.ch);
                    index += 2;
                }
                width = std::max<std::int64_t>(0, width - 2);
                len -= 2;
            }
            if (width > len && !arg.ljust) {
                result.append(static_cast<std::size_t>(width - len), fill);
                width = len;
            }
            if (fill == ' ') {
                if (arg.sign) append_cp(result, signchar);
                if (prefix) {
                    result += '0';
                    append_cp(result, arg.ch);
                    index += 2;
                }
            }
            if (len > 0) {
                const std::size_t from = p.offsets[index];
                const std::size_t to = p.offsets[index + static_cast<std::size_t>(len)];
                result.append(piece, from, to - from);
            }
            if (width > len) result.append(static_cast<std::size_t>(width - len), ' ');
        }
        if (mapping && argidx < arglen) return raise_type_error("not all arguments converted during string formatting");
    }
    if (argidx < arglen && !mapping) return raise_type_error("not all arguments converted during string formatting");
    out = str(result);
    return true;
}

void install_str_methods(Interpreter& in) {
    struct Entry {
        const char* name;
        NativeFn fn;
    };
    static const Entry entries[] = {
        {"find", str_find},           {"rfind", str_rfind},         {"index", str_index},
        {"rindex", str_rindex},       {"count", str_count},         {"startswith", str_startswith},
        {"endswith", str_endswith},   {"partition", str_partition}, {"rpartition", str_rpartition},
        {"replace", str_replace},     {"split", str_split},         {"rsplit", str_rsplit},
        {"splitlines", str_splitlines}, {"join", str_join},         {"strip", str_strip},
        {"lstrip", str_lstrip},       {"rstrip", str_rstrip},       {"center", str_center},
        {"ljust", str_ljust},         {"rjust", str_rjust},         {"zfill", str_zfill},
        {"expandtabs", str_expandtabs}, {"removeprefix", str_removeprefix}, {"removesuffix", str_removesuffix},
        {"translate", str_translate},
        {"lower", str_lower},         {"upper", str_upper},         {"title", str_title},
        {"capitalize", str_capitalize}, {"swapcase", str_swapcase}, {"casefold", str_casefold},
        {"isalpha", str_isalpha},     {"isdecimal", str_isdecimal}, {"isdigit", str_isdigit},
        {"isnumeric", str_isnumeric}, {"isspace", str_isspace},     {"isalnum", str_isalnum},
        {"isupper", str_isupper},     {"islower", str_islower},     {"istitle", str_istitle},
        {"isidentifier", str_isidentifier}, {"isprintable", str_isprintable}, {"isascii", str_isascii},
        {"format", str_format},       {"format_map", str_format_map},
    };
    for (const Entry& e : entries) in.define_method(in.types.str, e.name, e.fn);
    in.define_static_method(in.types.str, "maketrans", str_maketrans);
}

}  // namespace spindle::vm
