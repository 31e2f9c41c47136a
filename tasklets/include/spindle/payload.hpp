// Payload: the value a tasklet hands over in a switch (Stackless's `tempval`).
//
// A channel transfer, a schedule() retval and an exception "bomb" all travel
// through one slot per tasklet, exactly as in Stackless: the sender's slot is
// swapped with the receiver's. Payload is a small type-erased box so that one
// untyped channel core serves every typed Channel<T>; values of up to three
// words live inline, so ping-pong of ints or pointers never allocates.
#pragma once

#include <cstddef>
#include <cstring>
#include <exception>
#include <new>
#include <typeinfo>
#include <type_traits>
#include <utility>

namespace spindle {

class Payload {
public:
    Payload() noexcept = default;
    Payload(Payload&& other) noexcept { take_from(other); }
    Payload& operator=(Payload&& other) noexcept {
        if (this != &other) {
            reset();
            take_from(other);
        }
        return *this;
    }
    Payload(const Payload&) = delete;
    Payload& operator=(const Payload&) = delete;
    ~Payload() { reset(); }

    template <class T, class D = std::decay_t<T>>
    static Payload of(T&& value) {
        Payload p;
        p.emplace<D>(std::forward<T>(value));
        return p;
    }

    // A bomb: the receiver of this payload raises the exception when it resumes.
    static Payload bomb(std::exception_ptr error) {
        Payload p;
        p.emplace<BombBox>(BombBox{std::move(error)});
        return p;
    }

    bool empty() const noexcept { return ops_ == nullptr; }
    bool is_bomb() const noexcept { return ops_ == &ops_for<BombBox>; }
    std::exception_ptr bomb_error() const noexcept {
        return is_bomb() ? static_cast<const BombBox*>(address())->error : nullptr;
    }
    template <class T>
    bool holds() const noexcept {
        return ops_ == &ops_for<T>;
    }
    const std::type_info& type() const noexcept { return ops_ ? *ops_->type : typeid(void); }

    // Access the value; throws std::bad_cast if the payload holds another type.
    template <class T>
    T& get() {
        if (!holds<T>()) throw std::bad_cast();
        return *static_cast<T*>(address());
    }
    // Read-only access, e.g. to a blocked sender's pending value or a tempval.
    template <class T>
    const T& get() const {
        if (!holds<T>()) throw std::bad_cast();
        return *static_cast<const T*>(address());
    }
    // The value if the payload holds a T, else null: no exception path, for
    // the hot paths that test and read in one step.
    template <class T>
    const T* get_if() const noexcept {
        if (!holds<T>()) return nullptr;
        if constexpr (fits_inline<T>) return reinterpret_cast<const T*>(storage_);
        else return *reinterpret_cast<T* const*>(storage_);
    }
    template <class T>
    T take() {
        T value = std::move(get<T>());
        reset();
        return value;
    }

    // Replaces the content with a T that lives inline as plain bytes: the
    // hot paths' store, with no type-erased call.
    template <class T>
    void set_plain(const T& value) noexcept {
        static_assert(fits_inline<T> && std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);
        reset();
        std::memcpy(storage_, &value, sizeof(T));
        ops_ = &ops_for<T>;
    }

    void reset() noexcept {
        if (ops_) {
            if (!ops_->no_destructor) ops_->destroy(storage_);  // plain inline data: nothing to call
            ops_ = nullptr;
        }
    }

    // Swapping is how a channel hands a value over; for plain data it is a
    // copy of four words, no indirect calls.
    void swap(Payload& other) noexcept {
        const bool fast = (!ops_ || ops_->trivial) && (!other.ops_ || other.ops_->trivial);
        if (fast) {
            unsigned char tmp[kInlineSize];
            std::memcpy(tmp, storage_, kInlineSize);
            std::memcpy(storage_, other.storage_, kInlineSize);
            std::memcpy(other.storage_, tmp, kInlineSize);
            std::swap(ops_, other.ops_);
            return;
        }
        Payload tmp(std::move(other));
        other = std::move(*this);
        *this = std::move(tmp);
    }

private:
    struct BombBox {
        std::exception_ptr error;
    };
    struct Ops {
        const std::type_info* type;
        void (*destroy)(void* storage) noexcept;
        void (*relocate)(void* dst, void* src) noexcept;  // move-construct into dst, destroy src
        bool inline_storage;
        bool trivial;  // relocates by copying bytes: plain inline data, and heap boxes (a pointer)
        bool no_destructor;  // inline and trivially destructible: reset() calls nothing
    };
    static constexpr std::size_t kInlineSize = 3 * sizeof(void*);
    // Word alignment, not max_align_t: a tasklet embeds a Payload, and 16-byte
    // alignment would round every tasklet up to the next 16 bytes.
    static constexpr std::size_t kInlineAlign = alignof(void*);

    template <class T>
    static constexpr bool fits_inline = sizeof(T) <= kInlineSize &&
                                        alignof(T) <= kInlineAlign &&
                                        std::is_nothrow_move_constructible_v<T>;

    template <class T>
    static void destroy_impl(void* storage) noexcept {
        if constexpr (fits_inline<T>) {
            static_cast<T*>(storage)->~T();
        } else {
            delete *static_cast<T**>(storage);
        }
    }
    template <class T>
    static void relocate_impl(void* dst, void* src) noexcept {
        if constexpr (fits_inline<T>) {
            T* from = static_cast<T*>(src);
            ::new (dst) T(std::move(*from));
            from->~T();
        } else {
            *static_cast<T**>(dst) = *static_cast<T**>(src);
        }
    }
    template <class T>
    static constexpr bool is_trivial_box = !fits_inline<T> || (std::is_trivially_copyable_v<T> &&
                                                              std::is_trivially_destructible_v<T>);
    template <class T>
    static constexpr Ops ops_for{&typeid(T), &destroy_impl<T>, &relocate_impl<T>, fits_inline<T>, is_trivial_box<T>,
                                 fits_inline<T> && std::is_trivially_destructible_v<T>};

    template <class T, class... Args>
    void emplace(Args&&... args) {
        if constexpr (fits_inline<T>) {
            ::new (static_cast<void*>(storage_)) T(std::forward<Args>(args)...);
        } else {
            *reinterpret_cast<T**>(storage_) = new T(std::forward<Args>(args)...);
        }
        ops_ = &ops_for<T>;
    }
    void* address() noexcept {
        return ops_->inline_storage ? static_cast<void*>(storage_) : *reinterpret_cast<void**>(storage_);
    }
    const void* address() const noexcept { return const_cast<Payload*>(this)->address(); }
    void take_from(Payload& other) noexcept {
        if (other.ops_) {
            if (other.ops_->trivial) std::memcpy(storage_, other.storage_, kInlineSize);
            else other.ops_->relocate(storage_, other.storage_);
            ops_ = std::exchange(other.ops_, nullptr);
        }
    }

    alignas(kInlineAlign) unsigned char storage_[kInlineSize];
    const Ops* ops_ = nullptr;
};

}  // namespace spindle
