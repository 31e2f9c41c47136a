// list.sort and sorted(): CPython 3.11's listsort (timsort with the
// powersort merge order, galloping merges, binary insertion for short
// runs). The same comparisons happen in the same order as in CPython, so a
// __lt__ with side effects, a key function, or a TypeError from mixed types
// behaves identically; a failed sort leaves the list in the same partial
// order CPython leaves it in. While sorting, the list looks empty to script
// code, and changing it raises "list modified during sort".
#include <algorithm>
#include <cstring>
#include <utility>

#include "vm/builtins_support.hpp"

namespace spindle::vm {
namespace {

constexpr int kMinGallop = 7;
constexpr int kMaxMergePending = 85;

// Keys, and the values that move with them (null when the keys are the values).
struct SortSlice {
    Value* keys;
    Value* values;
    void advance(std::ptrdiff_t n) {
        keys += n;
        if (values) values += n;
    }
};

struct Run {
    SortSlice base;
    std::ptrdiff_t len;
    int power;
};

class MergeState {
public:
    MergeState(Interpreter& in, Value* base_keys, std::ptrdiff_t list_len, bool has_values)
        : in_(in), base_keys_(base_keys), list_len_(list_len), has_values_(has_values) {}

    // ISLT: 1 if x < y, 0 if not, -1 with an exception pending.
    int less(Value x, Value y) {
        if (x.is_int() && y.is_int()) return x.i < y.i;
        if (x.is_float() && y.is_float()) return x.f < y.f;
        Value r;
        if (!in_.compare(static_cast<std::uint32_t>(script::CmpOpKind::Lt), x, y, r)) return -1;
        bool truth;
        if (!in_.truthy(r, truth)) return -1;
        return truth ? 1 : 0;
    }

    int count_run(Value* lo, Value* hi, bool& descending) {
        descending = false;
        ++lo;
        if (lo == hi) return 1;
        int n = 2;
        int k = less(*lo, *(lo - 1));
        if (k < 0) return -1;
        if (k) {
            descending = true;
            for (lo = lo + 1; lo < hi; ++lo, ++n) {
                k = less(*lo, *(lo - 1));
                if (k < 0) return -1;
                if (!k) break;
            }
        } else {
            for (lo = lo + 1; lo < hi; ++lo, ++n) {
                k = less(*lo, *(lo - 1));
                if (k < 0) return -1;
                if (k) break;
            }
        }
        return n;
    }

    // binarysort: [lo, start) is sorted; insert [start, hi) one by one.
    bool binarysort(SortSlice lo, Value* hi, Value* start) {
        if (lo.keys == start) ++start;
        for (; start < hi; ++start) {
            Value* l = lo.keys;
            Value* r = start;
            const Value pivot = *r;
            do {
                Value* p = l + ((r - l) >> 1);
                const int k = less(pivot, *p);
                if (k < 0) return false;
                if (k) r = p;
                else l = p + 1;
            } while (l < r);
            for (Value* p = start; p > l; --p) *p = *(p - 1);
            *l = pivot;
            if (lo.values) {
                const std::ptrdiff_t offset = lo.values - lo.keys;
                Value* p = start + offset;
                const Value value_pivot = *p;
                Value* target = l + offset;
                for (; p > target; --p) *p = *(p - 1);
                *target = value_pivot;
            }
        }
        return true;
    }

    std::ptrdiff_t gallop_left(Value key, Value* a, std::ptrdiff_t n, std::ptrdiff_t hint) {
        a += hint;
        std::ptrdiff_t lastofs = 0, ofs = 1;
        int k = less(*a, key);
        if (k < 0) return -1;
        if (k) {
            const std::ptrdiff_t maxofs = n - hint;
            while (ofs < maxofs) {
                k = less(a[ofs], key);
                if (k < 0) return -1;
                if (!k) break;
                lastofs = ofs;
                ofs = (ofs << 1) + 1;
            }
            if (ofs > maxofs) ofs = maxofs;
            lastofs += hint;
            ofs += hint;
        } else {
            const std::ptrdiff_t maxofs = hint + 1;
            while (ofs < maxofs) {
                k = less(*(a - ofs), key);
                if (k < 0) return -1;
                if (k) break;
                lastofs = ofs;
                ofs = (ofs << 1) + 1;
            }
            if (ofs > maxofs) ofs = maxofs;
            const std::ptrdiff_t t = lastofs;
            lastofs = hint - ofs;
            ofs = hint - t;
        }
        a -= hint;
        ++lastofs;
        while (lastofs < ofs) {
            const std::ptrdiff_t m = lastofs + ((ofs - lastofs) >> 1);
            k = less(a[m], key);
            if (k < 0) return -1;
            if (k) lastofs = m + 1;
            else ofs = m;
        }
        return ofs;
    }

    std::ptrdiff_t gallop_right(Value key, Value* a, std::ptrdiff_t n, std::ptrdiff_t hint) {
        a += hint;
        std::ptrdiff_t lastofs = 0, ofs = 1;
        int k = less(key, *a);
        if (k < 0) return -1;
        if (k) {
            const std::ptrdiff_t maxofs = hint + 1;
            while (ofs < maxofs) {
                k = less(key, *(a - ofs));
                if (k < 0) return -1;
                if (!k) break;
                lastofs = ofs;
                ofs = (ofs << 1) + 1;
            }
            if (ofs > maxofs) ofs = maxofs;
            const std::ptrdiff_t t = lastofs;
            lastofs = hint - ofs;
            ofs = hint - t;
        } else {
            const std::ptrdiff_t maxofs = n - hint;
            while (ofs < maxofs) {
                k = less(key, a[ofs]);
                if (k < 0) return -1;
                if (k) break;
                lastofs = ofs;
                ofs = (ofs << 1) + 1;
            }
            if (ofs > maxofs) ofs = maxofs;
            lastofs += hint;
            ofs += hint;
        }
        a -= hint;
        ++lastofs;
        while (lastofs < ofs) {
            const std::ptrdiff_t m = lastofs + ((ofs - lastofs) >> 1);
            k = less(key, a[m]);
            if (k < 0) return -1;
            if (k) ofs = m;
            else lastofs = m + 1;
        }
        return ofs;
    }

    // Copies within or between slices (keys and values alike); ranges may overlap.
    static void move(SortSlice dst, std::ptrdiff_t di, SortSlice src, std::ptrdiff_t si, std::ptrdiff_t n) {
        std::memmove(dst.keys + di, src.keys + si, static_cast<std::size_t>(n) * sizeof(Value));
        if (dst.values) std::memmove(dst.values + di, src.values + si, static_cast<std::size_t>(n) * sizeof(Value));
    }
    static void copy_incr(SortSlice& dst, SortSlice& src) {
        *dst.keys++ = *src.keys++;
        if (dst.values) *dst.values++ = *src.values++;
    }
    static void copy_decr(SortSlice& dst, SortSlice& src) {
        *dst.keys-- = *src.keys--;
        if (dst.values) *dst.values-- = *src.values--;
    }

    SortSlice temp(std::ptrdiff_t need) {
        if (static_cast<std::ptrdiff_t>(temp_keys_.size()) < need) {
            temp_keys_.resize(static_cast<std::size_t>(need));
            if (has_values_) temp_values_.resize(static_cast<std::size_t>(need));
        }
        return SortSlice{temp_keys_.data(), has_values_ ? temp_values_.data() : nullptr};
    }

    bool merge_lo(SortSlice ssa, std::ptrdiff_t na, SortSlice ssb, std::ptrdiff_t nb) {
        SortSlice t = temp(na);
        move(t, 0, ssa, 0, na);
        SortSlice dest = ssa;
        ssa = t;
        bool ok = false;
        std::ptrdiff_t k;
        int min_gallop;
        copy_incr(dest, ssb);
        --nb;
        if (nb == 0) goto succeed;
        if (na == 1) goto copy_b;
        min_gallop = min_gallop_;
        for (;;) {
            std::ptrdiff_t acount = 0, bcount = 0;
            for (;;) {
                const int c = less(ssb.keys[0], ssa.keys[0]);
                if (c < 0) goto fail;
                if (c) {
                    copy_incr(dest, ssb);
                    ++bcount;
                    acount = 0;
                    --nb;
                    if (nb == 0) goto succeed;
                    if (bcount >= min_gallop) break;
                } else {
                    copy_incr(dest, ssa);
                    ++acount;
                    bcount = 0;
                    --na;
                    if (na == 1) goto copy_b;
                    if (acount >= min_gallop) break;
                }
            }
            ++min_gallop;
            do {
                min_gallop -= min_gallop > 1;
                min_gallop_ = min_gallop;
                k = gallop_right(ssb.keys[0], ssa.keys, na, 0);
                acount = k;
                if (k) {
                    if (k < 0) goto fail;
                    move(dest, 0, ssa, 0, k);
                    dest.advance(k);
                    ssa.advance(k);
                    na -= k;
                    if (na == 1) goto copy_b;
                    if (na == 0) goto succeed;
                }
                copy_incr(dest, ssb);
                --nb;
                if (nb == 0) goto succeed;
                k = gallop_left(ssa.keys[0], ssb.keys, nb, 0);
                bcount = k;
                if (k) {
                    if (k < 0) goto fail;
                    move(dest, 0, ssb, 0, k);
                    dest.advance(k);
                    ssb.advance(k);
                    nb -= k;
                    if (nb == 0) goto succeed;
                }
                copy_incr(dest, ssa);
                --na;
                if (na == 1) goto copy_b;
            } while (acount >= kMinGallop || bcount >= kMinGallop);
            ++min_gallop;
            min_gallop_ = min_gallop;
        }
    succeed:
        ok = true;
    fail:
        if (na) move(dest, 0, ssa, 0, na);
        return ok;
    copy_b:
        // The last element of a belongs at the end of the merge.
        move(dest, 0, ssb, 0, nb);
        move(dest, nb, ssa, 0, 1);
        return true;
    }

    bool merge_hi(SortSlice ssa, std::ptrdiff_t na, SortSlice ssb, std::ptrdiff_t nb) {
        SortSlice t = temp(nb);
        SortSlice dest = ssb;
        dest.advance(nb - 1);
        move(t, 0, ssb, 0, nb);
        const SortSlice basea = ssa;
        const SortSlice baseb = t;
        ssb = t;
        ssb.advance(nb - 1);
        ssa.advance(na - 1);
        bool ok = false;
        std::ptrdiff_t k;
        int min_gallop;
        copy_decr(dest, ssa);
        --na;
        if (na == 0) goto succeed;
        if (nb == 1) goto copy_a;
        min_gallop = min_gallop_;
        for (;;) {
            std::ptrdiff_t acount = 0, bcount = 0;
            for (;;) {
                const int c = less(ssb.keys[0], ssa.keys[0]);
                if (c < 0) goto fail;
                if (c) {
                    copy_decr(dest, ssa);
                    ++acount;
                    bcount = 0;
                    --na;
                    if (na == 0) goto succeed;
                    if (acount >= min_gallop) break;
                } else {
                    copy_decr(dest, ssb);
                    ++bcount;
                    acount = 0;
                    --nb;
                    if (nb == 1) goto copy_a;
                    if (bcount >= min_gallop) break;
                }
            }
            ++min_gallop;
            do {
                min_gallop -= min_gallop > 1;
                min_gallop_ = min_gallop;
                k = gallop_right(ssb.keys[0], basea.keys, na, na - 1);
                if (k < 0) goto fail;
                k = na - k;
                acount = k;
                if (k) {
                    dest.advance(-k);
                    ssa.advance(-k);
                    move(dest, 1, ssa, 1, k);
                    na -= k;
                    if (na == 0) goto succeed;
                }
                copy_decr(dest, ssb);
                --nb;
                if (nb == 1) goto copy_a;
                k = gallop_left(ssa.keys[0], baseb.keys, nb, nb - 1);
                if (k < 0) goto fail;
                k = nb - k;
                bcount = k;
                if (k) {
                    dest.advance(-k);
                    ssb.advance(-k);
                    move(dest, 1, ssb, 1, k);
                    nb -= k;
                    if (nb == 1) goto copy_a;
                    if (nb == 0) goto succeed;
                }
                copy_decr(dest, ssa);
                --na;
                if (na == 0) goto succeed;
            } while (acount >= kMinGallop || bcount >= kMinGallop);
            ++min_gallop;
            min_gallop_ = min_gallop;
        }
    succeed:
        ok = true;
    fail:
        if (nb) move(dest, -(nb - 1), baseb, 0, nb);
        return ok;
    copy_a:
        // The first element of b belongs at the front of the merge.
        move(dest, 1 - na, ssa, 1 - na, na);
        dest.advance(-na);
        ssa.advance(-na);
        move(dest, 0, ssb, 0, 1);
        return true;
    }

    bool merge_at(int i) {
        SortSlice ssa = pending_[i].base;
        std::ptrdiff_t na = pending_[i].len;
        SortSlice ssb = pending_[i + 1].base;
        std::ptrdiff_t nb = pending_[i + 1].len;
        pending_[i].len = na + nb;
        if (i == n_ - 3) pending_[i + 1] = pending_[i + 2];
        --n_;
        std::ptrdiff_t k = gallop_right(*ssb.keys, ssa.keys, na, 0);
        if (k < 0) return false;
        ssa.advance(k);
        na -= k;
        if (na == 0) return true;
        nb = gallop_left(ssa.keys[na - 1], ssb.keys, nb, nb - 1);
        if (nb <= 0) return nb == 0;
        return na <= nb ? merge_lo(ssa, na, ssb, nb) : merge_hi(ssa, na, ssb, nb);
    }

    // powerloop: the depth of the boundary between two runs in the merge tree.
    static int powerloop(std::ptrdiff_t s1, std::ptrdiff_t n1, std::ptrdiff_t n2, std::ptrdiff_t n) {
        int result = 0;
        std::ptrdiff_t a = 2 * s1 + n1;
        std::ptrdiff_t b = a + n1 + n2;
        for (;;) {
            ++result;
            if (a >= n) {
                a -= n;
                b -= n;
            } else if (b >= n) {
                break;
            }
            a <<= 1;
            b <<= 1;
        }
        return result;
    }

    bool found_new_run(std::ptrdiff_t n2) {
        if (n_) {
            const std::ptrdiff_t s1 = pending_[n_ - 1].base.keys - base_keys_;
            const std::ptrdiff_t n1 = pending_[n_ - 1].len;
            const int power = powerloop(s1, n1, n2, list_len_);
            while (n_ > 1 && pending_[n_ - 2].power > power) {
                if (!merge_at(n_ - 2)) return false;
            }
            pending_[n_ - 1].power = power;
        }
        return true;
    }

    bool force_collapse() {
        while (n_ > 1) {
            int n = n_ - 2;
            if (n > 0 && pending_[n - 1].len < pending_[n + 1].len) --n;
            if (!merge_at(n)) return false;
        }
        return true;
    }

    void push(SortSlice base, std::ptrdiff_t len) { pending_[n_++] = Run{base, len, 0}; }

private:
    Interpreter& in_;
    Value* base_keys_;
    std::ptrdiff_t list_len_;
    bool has_values_;
    int min_gallop_ = kMinGallop;
    int n_ = 0;
    Run pending_[kMaxMergePending];
    tracked_vector<Value> temp_keys_;
    tracked_vector<Value> temp_values_;
};

std::ptrdiff_t compute_minrun(std::ptrdiff_t n) {
    std::ptrdiff_t r = 0;
    while (n >= 64) {
        r |= n & 1;
        n >>= 1;
    }
    return n + r;
}

void reverse_slice(SortSlice s, std::ptrdiff_t n) {
    std::reverse(s.keys, s.keys + n);
    if (s.values) std::reverse(s.values, s.values + n);
}

// The sort proper (list_sort_impl after the key calls); false on error.
bool timsort(Interpreter& in, Value* keys, Value* values, std::ptrdiff_t n) {
    MergeState ms(in, keys, n, values != nullptr);
    SortSlice lo{keys, values};
    std::ptrdiff_t remaining = n;
    const std::ptrdiff_t minrun = compute_minrun(remaining);
    do {
        bool descending;
        std::ptrdiff_t run = ms.count_run(lo.keys, lo.keys + remaining, descending);
        if (run < 0) return false;
        if (descending) reverse_slice(lo, run);
        if (run < minrun) {
            const std::ptrdiff_t force = remaining <= minrun ? remaining : minrun;
            if (!ms.binarysort(lo, lo.keys + force, lo.keys + run)) return false;
            run = force;
        }
        if (!ms.found_new_run(run)) return false;
        ms.push(lo, run);
        lo.advance(run);
        remaining -= run;
    } while (remaining);
    return ms.force_collapse();
}

}  // namespace

// list.sort(self, *, key=None, reverse=False); sorted() shares it.
bool list_sort(Interpreter& in, const CallArgs& a, Value& out) {
    if (a.keyword_count() > 2 && a.positional_count() == 1)
        return in.raise_type_error("sort() takes at most 2 keyword arguments (" + std::to_string(a.keyword_count()) + " given)");
    if (!only_keywords(in, a, "sort", {"key", "reverse"})) return false;
    if (a.positional_count() != 1) return in.raise_type_error("sort() takes no positional arguments");
    if (!method_self(in, a, "list.sort")) return false;
    auto* list = static_cast<ListObj*>(a[0].o);
    Value key = keyword(a, "key");
    Value reverse_arg = keyword(a, "reverse");
    if (key.is_undef()) key = Value();
    std::int64_t reverse = 0;
    if (!reverse_arg.is_undef()) {
        if (!index_argument(in, reverse_arg, reverse)) return false;
    }
    // The list is empty while it is being sorted.
    tracked_vector<Value> items;
    items.swap(list->items);
    const auto n = static_cast<std::ptrdiff_t>(items.size());
    tracked_vector<Value> keys;
    bool ok = true;
    if (!key.is_none()) {
        keys.reserve(items.size());
        for (const Value& v : items) {
            Value k;
            if (!in.call(key, &v, 1, k)) {
                ok = false;
                break;
            }
            keys.push_back(k);
        }
    }
    if (ok && n > 1) {
        Value* key_array = key.is_none() ? items.data() : keys.data();
        Value* value_array = key.is_none() ? nullptr : items.data();
        if (reverse) reverse_slice(SortSlice{key_array, value_array}, n);
        ok = timsort(in, key_array, value_array, n);
        if (ok && (!list->items.empty() || list->items.capacity() != 0)) {
            ok = in.raise_value_error("list modified during sort");
        }
        if (reverse) std::reverse(items.begin(), items.end());
    }
    list->items.swap(items);  // whatever the sort appended is dropped, as in CPython
    if (!ok) return false;
    out = Value();
    return true;
}

}  // namespace spindle::vm
