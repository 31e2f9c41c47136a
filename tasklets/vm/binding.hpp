// The host binding API: how C++ exposes functions, object types and modules
// to scripts. The engine's `game` module is written with it:
//
//     spindle::vm::ModuleBuilder game(interp, "game");
//     game.function("log", [&](std::string_view text) { console.print(text); });
//     game.constant("WIDTH", 640);
//     auto entity = game.type<EntityRef>("Entity");
//     entity.attribute("x", &get_x, &set_x)                  // no setter: read-only
//           .method("walk_to", [](EntityRef& e, double x, double y) { ... })
//           .valid_if([&](const EntityRef& e) { return world.alive(e); })
//           .persistent_id(save_entity, load_entity);
//     game.function("spawn", [&](std::string_view kind) -> EntityRef { ... });
//     game.reexport("spindle", "next_frame");
//
// Arguments and results convert by their C++ type: bool, integers (range
// checked: OverflowError), float/double (ints accepted), std::string,
// std::string_view (valid during the call), Value (raw), std::optional<T>
// (a trailing argument that may be left out or be None), std::vector<T>
// (from a list or tuple; to a list), bound host types (by value or
// reference) and void (None). A parameter `Interpreter&` is passed in, not
// taken from the script (for host functions that call back into scripts). Calls are checked with CPython's wording
// ("walk_to() takes 2 positional arguments but 3 were given", "distance()
// argument 1 must be float, not str"). Keyword arguments are accepted when the
// parameters are named (`function(name, fn, {"x", "y"})`), else rejected.
//
// A C++ exception thrown by a host function becomes a script exception at the
// calling line: ScriptError(type, message) raises any class by name,
// std::invalid_argument and std::domain_error raise ValueError,
// std::out_of_range IndexError, std::overflow_error OverflowError, any other
// std::exception RuntimeError. A host function that called back into scripts
// (Interpreter::call) and got false just returns: the pending exception
// propagates.
//
// Host objects are values of a C++ type T stored inline in a script object
// (HostBox<T>). Their destructor runs when the collector frees them or the
// interpreter is destroyed. A T that holds script Values must declare them
// with trace(), or the collector frees what they point at. By default they
// compare and hash by identity and print as <game.Entity object>; equality()
// and repr() change that. Scripts can call the class only if constructor()
// gave it one, and can never subclass it.
//
// Stale handles: an engine entity is an (index, generation) handle that may
// outlive its entity. valid_if(pred) makes every use of a dead handle as a
// method receiver, attribute owner or argument raise ReferenceError; a getter
// or method may also throw ScriptError("ReferenceError", ...) itself.
#pragma once

#include <array>
#include <concepts>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "vm/interpreter.hpp"

namespace spindle::vm {

// ============================================================================
// Errors and save-game ids
// ============================================================================

// Thrown by host code to raise a script exception of any class: `type` is a
// builtin exception name ("ReferenceError", "KeyError") or "module.Name" for
// a class a module defines (ModuleBuilder::exception).
class ScriptError : public std::exception {
public:
    ScriptError(std::string type, std::string message) : type_(std::move(type)), message_(std::move(message)) {}
    const std::string& type() const noexcept { return type_; }
    const std::string& message() const noexcept { return message_; }
    const char* what() const noexcept override { return message_.c_str(); }

private:
    std::string type_;
    std::string message_;
};

// What a host object is saved as instead of a pointer: an entity's
// (index, generation) handle, or a name for an asset. The host fills what it
// needs; the pickler writes all three.
struct PersistentId {
    std::int64_t index = 0;
    std::int64_t generation = 0;
    std::string key;
    bool operator==(const PersistentId&) const = default;
};

// Handed to a host type's trace hook: mark every script Value the C++ value holds.
class Tracer {
public:
    explicit Tracer(Heap& heap) noexcept : heap_(heap) {}
    void mark(const Value& value);

private:
    Heap& heap_;
};

// ============================================================================
// Host types and their objects
// ============================================================================

// What the binding knows of one host type. Its script class points here
// (ClassObj::host), so the VM and the pickler find the hooks from an object.
struct HostType {
    using Getter = std::function<bool(Interpreter&, HostObj&, Value&)>;
    using Setter = std::function<bool(Interpreter&, HostObj&, Value)>;
    struct Attribute {
        Getter get;
        Setter set;  // empty: read-only
    };
    ClassObj* cls = nullptr;
    const void* key = nullptr;          // identifies the C++ type
    std::string name;                   // "Entity"
    std::string qualified_name;         // "game.Entity"
    std::unordered_map<const StrObj*, Attribute> attributes;  // by interned name
    NativeObj* constructor = nullptr;   // calling the class; null: scripts cannot create them
    std::function<bool(const HostObj&)> valid;                         // stale handles: false
    std::function<bool(const HostObj&, const HostObj&)> equal;         // empty: identity
    std::function<std::uint64_t(const HostObj&)> hash;
    std::function<PersistentId(const HostObj&)> save_id;               // empty: unpicklable
    std::function<bool(Interpreter&, const PersistentId&, Value&)> load_id;
    std::function<void(const HostObj&, Tracer&)> trace;
};

// A host object: the C++ value lives inline after the object header.
template <class T>
struct HostBox final : HostObj {
    template <class... A>
    HostBox(ClassObj* c, const HostType* t, A&&... args)
        : HostObj(c, t, static_cast<std::uint32_t>(sizeof(HostBox))), value(std::forward<A>(args)...) {}
    T value;
};

namespace detail {

// One address per C++ type: how a host object's type is recognised.
template <class T>
const void* type_key() noexcept {
    static const char key = 0;
    return &key;
}

// A bound host function's C++ callable and what its checks need.
struct CallInfo {
    std::string name;                    // "walk_to", for messages
    std::vector<std::string> keywords;   // parameter names; empty: no keywords
    std::uint32_t arity = 0;             // script arguments (self excluded)
    std::uint32_t required = 0;          // the rest are std::optional
    bool method = false;                 // the receiver comes first
    const void* self_key = nullptr;
};

struct HostCallable {
    virtual ~HostCallable() = default;
    CallInfo info;
};

template <class F>
struct HostFunction final : HostCallable {
    explicit HostFunction(F f) : fn(std::move(f)) {}
    F fn;
};

}  // namespace detail

// Per interpreter: the bound types and callables. Types and callables live
// as long as the interpreter; host classes are roots for the collector.
class HostRegistry {
public:
    HostType* find(const void* key) const noexcept;
    HostType* find(std::string_view qualified_name) const noexcept;
    HostType& add(const void* key, std::string qualified_name);
    std::int64_t add_callable(std::unique_ptr<detail::HostCallable> callable);
    detail::HostCallable& callable(std::int64_t index) const noexcept { return *callables_[static_cast<std::size_t>(index)]; }
    void mark(Heap& heap) const;

private:
    std::vector<std::unique_ptr<HostType>> types_;
    std::unordered_map<const void*, HostType*> by_key_;
    std::vector<std::unique_ptr<detail::HostCallable>> callables_;
};

// The pickler's side of persistent ids. save: TypeError "cannot pickle
// 'game.Entity' object" if the type has no persistent_id hook. load: by the
// saved type name ("game.Entity"); the load hook may reject the id.
bool save_host_object(Interpreter& in, Value object, PersistentId& out);
bool load_host_object(Interpreter& in, std::string_view qualified_type, const PersistentId& id, Value& out);

// The C++ value inside a host object, or null if `v` is not a T.
template <class T>
T* host_value(Value v) noexcept {
    if (!v.is_obj() || v.o->kind != ObjKind::Host) return nullptr;
    auto* h = static_cast<HostObj*>(v.o);
    if (!h->type || h->type->key != detail::type_key<T>()) return nullptr;
    return &static_cast<HostBox<T>*>(h)->value;
}

// ============================================================================
// Conversions (detail)
// ============================================================================

namespace detail {

// Where a conversion happens, for messages: "distance() argument 1".
struct Site {
    const CallInfo* call = nullptr;   // a function argument, or
    const HostType* owner = nullptr;  // an attribute (`attribute` names it)
    std::string_view attribute;
    std::uint32_t position = 0;       // 1-based
    std::string describe() const;
};

bool wrong_type(Interpreter& in, const Site& site, std::string_view expected, Value got);
bool out_of_range(Interpreter& in, const Site& site, Value got, std::string_view ctype);
bool result_out_of_range(Interpreter& in, std::uint64_t value, bool negative);
bool unbound_host_type(Interpreter& in);
// A host argument: checks its type and, if the type has one, its validity hook.
HostObj* host_argument(Interpreter& in, const Site& site, Value v, const void* key);
const char* host_type_name(Interpreter& in, const void* key);
Value wrap_new(Interpreter& in, const void* key, const std::function<HostObj*(HostType&)>& make);

template <class T>
inline constexpr bool is_optional = false;
template <class T>
inline constexpr bool is_optional<std::optional<T>> = true;
template <class T>
inline constexpr bool is_vector = false;
template <class T>
inline constexpr bool is_vector<std::vector<T>> = true;

// Character types are not numbers to a script: they stay unsupported.
template <class T>
inline constexpr bool is_integer = std::is_integral_v<T> && !std::is_same_v<T, bool> && !std::is_same_v<T, char> &&
                                   !std::is_same_v<T, wchar_t> && !std::is_same_v<T, char8_t> &&
                                   !std::is_same_v<T, char16_t> && !std::is_same_v<T, char32_t>;

// A class type that no conversion below claims is a host type.
template <class T>
inline constexpr bool is_host =
    std::is_class_v<T> && !std::is_same_v<T, std::string> && !std::is_same_v<T, std::string_view> &&
    !std::is_same_v<T, Value> && !is_optional<T> && !is_vector<T> && !std::is_same_v<T, Interpreter>;

template <class T>
std::string_view integer_name() {
    constexpr int bits = static_cast<int>(sizeof(T) * 8);
    if constexpr (std::is_signed_v<T>) {
        return bits == 8 ? "int8" : bits == 16 ? "int16" : bits == 32 ? "int32" : "int64";
    } else {
        return bits == 8 ? "uint8" : bits == 16 ? "uint16" : bits == 32 ? "uint32" : "uint64";
    }
}

// What a converted argument is passed to the C++ function as: the storage
// itself, unless the converter says otherwise (host objects: the value inside).
template <class C>
concept HasPass = requires(typename C::Storage& s) { C::pass(s); };

template <class C>
decltype(auto) pass(typename C::Storage& s) {
    if constexpr (HasPass<C>) return C::pass(s);
    else return (s);
}

// Converter<T>: Storage holds the converted argument during the call.
template <class T, class = void>
struct Converter {
    static_assert(sizeof(T) == 0, "spindle binding: unsupported argument or result type");
};

template <>
struct Converter<bool> {
    using Storage = bool;
    static std::string_view name(Interpreter&) { return "bool"; }
    static bool load(Interpreter& in, const Site& site, Value v, Storage& out) {
        if (!v.is_intlike()) return wrong_type(in, site, "bool", v);
        out = v.as_int() != 0;
        return true;
    }
    static bool make(Interpreter&, bool v, Value& out) {
        out = Value::boolean(v);
        return true;
    }
};

template <class T>
struct Converter<T, std::enable_if_t<is_integer<T>>> {
    using Storage = T;
    static std::string_view name(Interpreter&) { return "int"; }
    static bool load(Interpreter& in, const Site& site, Value v, Storage& out) {
        if (!v.is_intlike()) return wrong_type(in, site, "int", v);
        const std::int64_t i = v.as_int();
        if (!std::in_range<T>(i)) return out_of_range(in, site, v, integer_name<T>());
        out = static_cast<T>(i);
        return true;
    }
    static bool make(Interpreter& in, T v, Value& out) {
        if (!std::in_range<std::int64_t>(v)) return result_out_of_range(in, static_cast<std::uint64_t>(v), v < 0);
        out = Value::integer(static_cast<std::int64_t>(v));
        return true;
    }
};

template <class T>
struct Converter<T, std::enable_if_t<std::is_floating_point_v<T>>> {
    using Storage = T;
    static std::string_view name(Interpreter&) { return "float"; }
    static bool load(Interpreter& in, const Site& site, Value v, Storage& out) {
        if (v.is_float()) out = static_cast<T>(v.f);
        else if (v.is_intlike()) out = static_cast<T>(v.as_int());
        else return wrong_type(in, site, "float", v);
        return true;
    }
    static bool make(Interpreter&, T v, Value& out) {
        out = Value::real(static_cast<double>(v));
        return true;
    }
};

template <class T>
struct Converter<T, std::enable_if_t<std::is_same_v<T, std::string> || std::is_same_v<T, std::string_view>>> {
    using Storage = T;
    static std::string_view name(Interpreter&) { return "str"; }
    static bool load(Interpreter& in, const Site& site, Value v, Storage& out) {
        if (!v.is_obj() || v.o->kind != ObjKind::Str) return wrong_type(in, site, "str", v);
        out = T(static_cast<StrObj*>(v.o)->view());
        return true;
    }
    static bool make(Interpreter& in, std::string_view v, Value& out) {
        out = in.str(v);
        return true;
    }
};

template <>
struct Converter<const char*> {
    static bool make(Interpreter& in, const char* v, Value& out) {
        out = v ? in.str(v) : Value();
        return true;
    }
};

template <>
struct Converter<Value> {
    using Storage = Value;
    static std::string_view name(Interpreter&) { return "object"; }
    static bool load(Interpreter&, const Site&, Value v, Storage& out) {
        out = v;
        return true;
    }
    static bool make(Interpreter&, Value v, Value& out) {
        out = v;
        return true;
    }
};

template <class T>
struct Converter<std::optional<T>> {
    using Inner = Converter<T>;
    using Storage = std::optional<T>;
    static std::string_view name(Interpreter& in) { return Inner::name(in); }
    static bool load(Interpreter& in, const Site& site, Value v, Storage& out) {
        if (v.is_undef() || v.is_none()) return true;  // left out, or None
        typename Inner::Storage inner{};
        if (!Inner::load(in, site, v, inner)) return false;
        out.emplace(detail::pass<Inner>(inner));
        return true;
    }
    static bool make(Interpreter& in, const std::optional<T>& v, Value& out) {
        if (!v) {
            out = Value();
            return true;
        }
        return Inner::make(in, *v, out);
    }
};

template <class T>
struct Converter<std::vector<T>> {
    using Inner = Converter<T>;
    using Storage = std::vector<T>;
    static std::string_view name(Interpreter&) { return "list"; }
    static bool load(Interpreter& in, const Site& site, Value v, Storage& out) {
        const bool sequence = v.is_obj() && (v.o->kind == ObjKind::List || v.o->kind == ObjKind::Tuple);
        if (!sequence) return wrong_type(in, site, "list", v);
        const auto& items = v.o->kind == ObjKind::List ? static_cast<ListObj*>(v.o)->items : static_cast<TupleObj*>(v.o)->items;
        out.reserve(items.size());
        for (const Value& item : items) {
            typename Inner::Storage inner{};
            if (!Inner::load(in, site, item, inner)) return false;
            out.push_back(detail::pass<Inner>(inner));
        }
        return true;
    }
    static bool make(Interpreter& in, const std::vector<T>& v, Value& out) {
        ListObj* list = in.new_list(v.size());
        // Unrooted until returned: safe, as the collector runs only between
        // instructions of the outermost dispatch loop, never inside a native.
        out = Value::object(list);
        for (const T& item : v) {
            Value converted;
            if (!Inner::make(in, item, converted)) return false;
            list->items.push_back(converted);
        }
        return true;
    }
};

template <class T>
struct Converter<T, std::enable_if_t<is_host<T>>> {
    using Storage = HostObj*;
    static std::string_view name(Interpreter& in) { return host_type_name(in, type_key<T>()); }
    static bool load(Interpreter& in, const Site& site, Value v, Storage& out) {
        out = host_argument(in, site, v, type_key<T>());
        return out != nullptr;
    }
    static T& pass(Storage s) { return static_cast<HostBox<T>*>(s)->value; }
    template <class U>
    static bool make(Interpreter& in, U&& v, Value& out) {
        out = wrap_new(in, type_key<T>(), [&](HostType& type) -> HostObj* {
            return in.heap().make<HostBox<T>>(type.cls, &type, std::forward<U>(v));
        });
        return !out.is_undef();
    }
};

// ---------------------------------------------------------------- signatures

template <class R, class... A>
struct FnTraits {
    using Result = R;
    using Args = std::tuple<A...>;
};

template <class M>
struct CallOperator;
template <class R, class C, class... A>
struct CallOperator<R (C::*)(A...)> : FnTraits<R, A...> {};
template <class R, class C, class... A>
struct CallOperator<R (C::*)(A...) const> : FnTraits<R, A...> {};
template <class R, class C, class... A>
struct CallOperator<R (C::*)(A...) noexcept> : FnTraits<R, A...> {};
template <class R, class C, class... A>
struct CallOperator<R (C::*)(A...) const noexcept> : FnTraits<R, A...> {};

// Lambdas and functors by their call operator; function pointers; member
// function pointers with the object as first parameter.
template <class F>
struct Signature : CallOperator<decltype(&F::operator())> {};
template <class R, class... A>
struct Signature<R (*)(A...)> : FnTraits<R, A...> {};
template <class R, class... A>
struct Signature<R (*)(A...) noexcept> : FnTraits<R, A...> {};
template <class R, class C, class... A>
struct Signature<R (C::*)(A...)> : FnTraits<R, C&, A...> {};
template <class R, class C, class... A>
struct Signature<R (C::*)(A...) const> : FnTraits<R, const C&, A...> {};
template <class R, class C, class... A>
struct Signature<R (C::*)(A...) noexcept> : FnTraits<R, C&, A...> {};
template <class R, class C, class... A>
struct Signature<R (C::*)(A...) const noexcept> : FnTraits<R, const C&, A...> {};

template <class P>
inline constexpr bool is_injected = std::is_same_v<P, Interpreter&>;

// For each C++ parameter: its script argument index (-1: injected, -2: the receiver).
template <bool Method, class... P>
constexpr std::array<int, sizeof...(P)> script_indices() {
    std::array<int, sizeof...(P)> out{};
    constexpr bool injected[] = {is_injected<P>..., false};
    int next = 0;
    bool self_seen = !Method;
    for (std::size_t i = 0; i < sizeof...(P); ++i) {
        if (injected[i]) out[i] = -1;
        else if (!self_seen) {
            out[i] = -2;
            self_seen = true;
        } else out[i] = next++;
    }
    return out;
}

template <class... P>
constexpr std::uint32_t count_required() {
    constexpr bool optional[] = {is_optional<std::remove_cvref_t<P>>..., false};
    constexpr bool injected[] = {is_injected<P>..., false};
    std::uint32_t required = 0, seen = 0;
    bool optional_seen = false;
    for (std::size_t i = 0; i < sizeof...(P); ++i) {
        if (injected[i]) continue;
        ++seen;
        if (optional[i]) optional_seen = true;
        else if (!optional_seen) required = seen;
    }
    return required;
}

template <class... P>
constexpr bool optionals_trail() {
    constexpr bool optional[] = {is_optional<std::remove_cvref_t<P>>..., false};
    constexpr bool injected[] = {is_injected<P>..., false};
    bool optional_seen = false;
    for (std::size_t i = 0; i < sizeof...(P); ++i) {
        if (injected[i]) continue;
        if (optional[i]) optional_seen = true;
        else if (optional_seen) return false;
    }
    return true;
}

// Sorts a call's arguments into `slots` (Undef: left out) and checks the
// count and the keywords. The receiver of a method goes to `self`.
bool gather(Interpreter& in, const CallArgs& args, const CallInfo& info, Value& self, Value* slots);
// Turns the exception a host function threw into the script exception.
bool raise_from_host(Interpreter& in, std::exception_ptr error);
// The callable behind a native call; null (RuntimeError raised) if the
// caller did not say which native it called (CallArgs::callee).
HostCallable* callee(Interpreter& in, const CallArgs& args);

// The argument holders of one call: injected interpreter, receiver, script arguments.
template <class P>
struct Holder {
    using D = std::remove_cvref_t<P>;
    using C = Converter<D>;
    typename C::Storage storage{};
    bool load(Interpreter& in, const CallInfo& info, int index, Value self, const Value* slots) {
        if (index == -2) return C::load(in, Site{&info, nullptr, {}, 0}, self, storage);
        return C::load(in, Site{&info, nullptr, {}, static_cast<std::uint32_t>(index + 1)}, slots[index], storage);
    }
    decltype(auto) get() { return pass<C>(storage); }
};

template <>
struct Holder<Interpreter&> {
    Interpreter* interp = nullptr;
    bool load(Interpreter& in, const CallInfo&, int, Value, const Value*) {
        interp = &in;
        return true;
    }
    Interpreter& get() { return *interp; }
};

template <class R>
bool make_result(Interpreter& in, R&& r, Value& out) {
    using D = std::remove_cvref_t<R>;
    if constexpr (std::is_array_v<D> || std::is_pointer_v<D>) return Converter<const char*>::make(in, r, out);
    else return Converter<D>::make(in, std::forward<R>(r), out);
}

template <bool Method, class F, class Args, std::size_t... I>
bool invoke_with(Interpreter& in, HostFunction<F>& callable, Value self, const Value* slots, Value& out,
                 std::index_sequence<I...>) {
    [[maybe_unused]] constexpr std::array<int, sizeof...(I)> indices =
        script_indices<Method, std::tuple_element_t<I, Args>...>();
    (void)self;  // unused by functions without parameters
    (void)slots;
    std::tuple<Holder<std::tuple_element_t<I, Args>>...> holders;
    if (!(std::get<I>(holders).load(in, callable.info, indices[I], self, slots) && ...)) return false;
    using R = typename Signature<F>::Result;
    try {
        if constexpr (std::is_void_v<R>) {
            std::invoke(callable.fn, std::get<I>(holders).get()...);
            out = Value();
        } else {
            if (!make_result(in, std::invoke(callable.fn, std::get<I>(holders).get()...), out)) return false;
        }
    } catch (...) {
        return raise_from_host(in, std::current_exception());
    }
    // A nested script call failed and the host let its exception through.
    return !in.has_pending();
}

// The NativeFn of every host function of callable type F.
template <class F, bool Method>
bool call_host(Interpreter& in, const CallArgs& args, Value& out) {
    HostCallable* found = callee(in, args);
    if (!found) return false;
    auto& callable = static_cast<HostFunction<F>&>(*found);
    using Args = typename Signature<F>::Args;
    constexpr std::size_t n = std::tuple_size_v<Args>;
    std::array<Value, n + 1> slots;  // one spare: never zero-sized
    Value self;
    if (!gather(in, args, callable.info, self, slots.data())) return false;
    return invoke_with<Method, F, Args>(in, callable, self, slots.data(), out, std::make_index_sequence<n>{});
}

// The callable's checks, from its signature.
template <class F>
CallInfo describe(std::string_view name, std::initializer_list<std::string_view> keywords, bool method) {
    using Args = typename Signature<F>::Args;
    CallInfo info;
    info.name = std::string(name);
    auto count = [&]<std::size_t... I>(std::index_sequence<I...>) {
        static_assert(optionals_trail<std::tuple_element_t<I, Args>...>(),
                      "spindle binding: std::optional parameters must come last");
        info.required = count_required<std::tuple_element_t<I, Args>...>();
        info.arity = static_cast<std::uint32_t>(((is_injected<std::tuple_element_t<I, Args>> ? 0 : 1) + ... + 0));
    };
    count(std::make_index_sequence<std::tuple_size_v<Args>>{});
    if (method) {
        --info.arity;
        --info.required;
    }
    for (std::string_view k : keywords) info.keywords.emplace_back(k);
    info.method = method;
    return info;
}

NativeObj* new_host_native(Interpreter& in, std::string_view name, NativeFn fn, std::unique_ptr<HostCallable> callable);
// Bind-time checks: a name is bound once per type (throws std::logic_error).
void add_attribute(HostType& type, Interpreter& in, std::string_view name, HostType::Attribute attribute);
void add_method(HostType& type, Interpreter& in, std::string_view name, NativeObj* native);

// Method: the receiver comes first; self_key names its host type.
template <bool Method, class F>
NativeObj* make_native(Interpreter& in, std::string_view name, F fn, std::initializer_list<std::string_view> keywords,
                       const void* self_key = nullptr) {
    auto callable = std::make_unique<HostFunction<F>>(std::move(fn));
    callable->info = describe<F>(name, keywords, Method);
    callable->info.self_key = self_key;
    if (keywords.size() != 0 && keywords.size() != callable->info.arity) {
        throw std::logic_error("spindle binding: " + std::string(name) + " names " + std::to_string(keywords.size()) +
                               " parameters but takes " + std::to_string(callable->info.arity));
    }
    return new_host_native(in, name, &call_host<F, Method>, std::move(callable));
}

}  // namespace detail

// ============================================================================
// Builders
// ============================================================================

// Adds attributes, methods and hooks to one bound host type. Cheap to copy.
template <class T>
class TypeBuilder {
public:
    TypeBuilder(Interpreter& in, HostType& type) : in_(in), type_(type) {}

    // A read/write attribute: getter(const T&) -> R, setter(T&, V). Either may
    // also be a pointer to a data member or member function. No setter:
    // assignment raises AttributeError ("... is not writable").
    template <class Get, class Set = std::nullptr_t>
    TypeBuilder& attribute(std::string_view name, Get getter, Set setter = nullptr) {
        HostType::Attribute a;
        a.get = [getter](Interpreter& in, HostObj& h, Value& out) {
            try {
                return detail::make_result(in, std::invoke(getter, static_cast<HostBox<T>&>(h).value), out);
            } catch (...) {
                return detail::raise_from_host(in, std::current_exception());
            }
        };
        if constexpr (!std::is_same_v<Set, std::nullptr_t>) a.set = make_setter(name, setter);
        detail::add_attribute(type_, in_, name, std::move(a));
        return *this;
    }
    // A data member, read/write (`entity.field("hp", &Stats::hp)`).
    template <class R>
    TypeBuilder& field(std::string_view name, R T::*member) {
        return attribute(name, [member](const T& v) -> const R& { return v.*member; },
                         [member](T& v, R value) { v.*member = std::move(value); });
    }

    // A method: fn(T& self, args...). Keywords as for ModuleBuilder::function.
    template <class F>
    TypeBuilder& method(std::string_view name, F fn, std::initializer_list<std::string_view> keywords = {}) {
        using First = std::remove_cvref_t<std::tuple_element_t<0, typename detail::Signature<F>::Args>>;
        static_assert(std::is_same_v<First, T>, "spindle binding: a method's first parameter is the object (T&, const T& or T)");
        detail::add_method(type_, in_, name, detail::make_native<true>(in_, name, std::move(fn), keywords, detail::type_key<T>()));
        return *this;
    }

    // What calling the class does: fn(args...) returns a T.
    template <class F>
    TypeBuilder& constructor(F fn, std::initializer_list<std::string_view> keywords = {}) {
        type_.constructor = detail::make_native<false>(in_, type_.name, std::move(fn), keywords);
        return *this;
    }

    // repr(obj): fn(const T&) -> std::string. Default: <game.Entity object>.
    template <class F>
    TypeBuilder& repr(F fn) {
        return method("__repr__", [fn = std::move(fn)](const T& v) -> std::string { return std::invoke(fn, v); });
    }

    // == and hash() by value (T's operator==, hash(const T&)). Default: identity.
    template <class Hash>
    TypeBuilder& equality(Hash hash) {
        type_.equal = [](const HostObj& a, const HostObj& b) {
            return static_cast<const HostBox<T>&>(a).value == static_cast<const HostBox<T>&>(b).value;
        };
        type_.hash = [hash = std::move(hash)](const HostObj& h) {
            return static_cast<std::uint64_t>(std::invoke(hash, static_cast<const HostBox<T>&>(h).value));
        };
        return *this;
    }

    // Stale handles: pred(const T&) false raises ReferenceError on any use of
    // the object as receiver, attribute owner or argument.
    template <class Pred>
    TypeBuilder& valid_if(Pred pred) {
        type_.valid = [pred = std::move(pred)](const HostObj& h) {
            return static_cast<bool>(std::invoke(pred, static_cast<const HostBox<T>&>(h).value));
        };
        return *this;
    }

    // Save games: save(const T&) -> PersistentId, load(const PersistentId&) -> T
    // (throw to reject an id). A type without it cannot be pickled. `save`
    // runs while the heap is pickled, beside a thread reading script
    // values ahead of the pickler (vm/read_ahead.hpp): it must not change
    // any script value (it may read them).
    template <class Save, class Load>
    TypeBuilder& persistent_id(Save save, Load load) {
        type_.save_id = [save = std::move(save)](const HostObj& h) -> PersistentId {
            return std::invoke(save, static_cast<const HostBox<T>&>(h).value);
        };
        type_.load_id = [load = std::move(load)](Interpreter& in, const PersistentId& id, Value& out) {
            try {
                return detail::make_result(in, T(std::invoke(load, id)), out);
            } catch (...) {
                return detail::raise_from_host(in, std::current_exception());
            }
        };
        return *this;
    }

    // For a T that holds script Values: fn(const T&, Tracer&) marks each.
    template <class F>
    TypeBuilder& trace(F fn) {
        type_.trace = [fn = std::move(fn)](const HostObj& h, Tracer& tracer) {
            std::invoke(fn, static_cast<const HostBox<T>&>(h).value, tracer);
        };
        return *this;
    }

    ClassObj* cls() const noexcept { return type_.cls; }
    HostType& type() const noexcept { return type_; }

private:
    template <class Set>
    HostType::Setter make_setter(std::string_view name, Set setter) {
        using Args = typename detail::Signature<Set>::Args;
        using V = std::remove_cvref_t<std::tuple_element_t<1, Args>>;
        return [setter, name = std::string(name), owner = &type_](Interpreter& in, HostObj& h, Value v) {
            using C = detail::Converter<V>;
            typename C::Storage storage{};
            if (!C::load(in, detail::Site{nullptr, owner, name, 0}, v, storage)) return false;
            try {
                std::invoke(setter, static_cast<HostBox<T>&>(h).value, detail::pass<C>(storage));
            } catch (...) {
                return detail::raise_from_host(in, std::current_exception());
            }
            return true;
        };
    }
    Interpreter& in_;
    HostType& type_;
};

// Builds (or extends) a builtin module scripts can import.
class ModuleBuilder {
public:
    ModuleBuilder(Interpreter& in, std::string_view name);

    // fn(args...) -> R. Name the parameters to accept keyword arguments.
    template <class F>
    ModuleBuilder& function(std::string_view name, F fn, std::initializer_list<std::string_view> keywords = {}) {
        set(name, Value::object(detail::make_native<false>(in_, name, std::move(fn), keywords)));
        return *this;
    }

    template <class V>
    ModuleBuilder& constant(std::string_view name, V&& value) {
        Value v;
        if (!detail::make_result(in_, std::forward<V>(value), v)) {
            in_.take_pending();
            throw std::logic_error("spindle binding: constant " + std::string(name) + " does not convert");
        }
        set(name, v);
        return *this;
    }

    // Binds the C++ type T as class `name` of this module (once per interpreter).
    template <class T>
    TypeBuilder<T> type(std::string_view name) {
        return TypeBuilder<T>(in_, add_type(detail::type_key<T>(), name));
    }

    // An exception class scripts can catch and host code can raise with
    // ScriptError("module.name", ...). base: a builtin exception name.
    ModuleBuilder& exception(std::string_view name, std::string_view base = "Exception");

    // The attribute `name` of an already registered module, under `as` (or
    // its own name): `game.reexport("spindle", "next_frame")`.
    ModuleBuilder& reexport(std::string_view module, std::string_view name, std::string_view as = {});

    ModuleObj* module() const noexcept { return module_; }

private:
    void set(std::string_view name, Value value);
    HostType& add_type(const void* key, std::string_view name);

    Interpreter& in_;
    ModuleObj* module_;
};

}  // namespace spindle::vm
