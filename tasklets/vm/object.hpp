// Heap object layouts. Every kind is listed once in SPINDLE_OBJECT_KINDS; the
// tracer, the type names and (later) the pickler are generated from it.
#pragma once

#include <cstdint>
#include <new>
#include <string>
#include <string_view>

#include "spindle/tasklets.hpp"
#include "vm/heap.hpp"
#include "vm/slot_array.hpp"
#include "vm/value.hpp"

namespace spindle::vm {

// X(Kind, python type name)
#define SPINDLE_OBJECT_KINDS(X)           \
    X(Str, "str")                         \
    X(Tuple, "tuple")                     \
    X(List, "list")                       \
    X(Dict, "dict")                       \
    X(Set, "set")                         \
    X(Range, "range")                     \
    X(Slice, "slice")                     \
    X(Code, "code")                       \
    X(Function, "function")               \
    X(Cell, "cell")                       \
    X(Class, "type")                      \
    X(Instance, "object")                 \
    X(Exception, "BaseException")         \
    X(BoundMethod, "method")              \
    X(Native, "builtin_function_or_method") \
    X(Module, "module")                   \
    X(Iterator, "iterator")               \
    X(DictView, "dict_view")              \
    X(Tasklet, "tasklet")                 \
    X(Channel, "channel")                 \
    X(Host, "host")

enum class ObjKind : std::uint8_t {
#define SPINDLE_KIND_ENUM(kind, name) kind,
    SPINDLE_OBJECT_KINDS(SPINDLE_KIND_ENUM)
#undef SPINDLE_KIND_ENUM
};

const char* kind_name(ObjKind kind) noexcept;

struct Obj {
    explicit Obj(ObjKind k) noexcept : kind(k) {}
    virtual ~Obj() = default;
    // Small objects recycle through per-thread free lists (heap.cpp); the
    // virtual destructor hands the dynamic type's size back.
    static void* operator new(std::size_t size) { return detail::object_alloc(size); }
    static void operator delete(void* block, std::size_t size) noexcept { detail::object_free(block, size); }
    static void* operator new(std::size_t size, std::align_val_t align) { return ::operator new(size, align); }
    static void operator delete(void* block, std::align_val_t align) noexcept { ::operator delete(block, align); }
    ObjKind kind;
    bool marked = false;
    // The pickler's memo, in what was padding (objects are no bigger for
    // it): written by the pickle numbered pickle_epoch (Heap::begin_pickle)
    // with memo index pickle_index. The lookup reads the header the writer
    // reads anyway instead of a hash table (a cache miss per object on big
    // graphs), and a new pickle starts by taking a new number, not by
    // clearing the marks of the last one.
    std::uint16_t pickle_epoch = 0;
    std::uint32_t pickle_index = 0;
    Obj* next_object = nullptr;  // the heap's list of all objects
};

class Interpreter;
struct CallArgs;
// A builtin: returns false with an exception set on failure.
using NativeFn = bool (*)(Interpreter& interp, const CallArgs& args, Value& result);

struct ClassObj;
struct DictObj;
struct CodeObj;
struct ModuleObj;
struct StrObj;

// ---------------------------------------------------------------- strings

struct StrObj : Obj {
    explicit StrObj(std::string_view text);
    tracked_string data;           // UTF-8
    std::int64_t length;           // in code points
    std::uint64_t hash;
    bool ascii;
    bool interned = false;
    std::string_view view() const noexcept { return {data.data(), data.size()}; }
};

// ---------------------------------------------------------------- containers

struct TupleObj : Obj {
    TupleObj() : Obj(ObjKind::Tuple) {}
    tracked_vector<Value> items;
};

struct ListObj : Obj {
    ListObj() : Obj(ObjKind::List) {}
    tracked_vector<Value> items;
};

// Insertion-ordered hash table behind dict.
// Entries are appended; deletion leaves a tombstone until the next resize.
struct Table {
    struct Entry {
        std::uint64_t hash;
        Value key;    // None tag with `deleted` marks a tombstone
        Value value;
        bool deleted;
    };
    tracked_vector<Entry> entries;
    tracked_vector<std::int32_t> index;  // -1 empty; else entry position; size is a power of two
    std::size_t live = 0;
    std::uint64_t keys_version = 0;  // bumped when the key set changes: guards inline caches
};

struct DictObj : Obj {
    DictObj() : Obj(ObjKind::Dict) {}
    Table table;
};

// A set is CPython's own open-addressing table (setobject.c), emulated slot
// for slot so that a set iterates and prints in CPython's order: linear
// probes, perturbation, the same resize points and the same dummy reuse.
struct SetObj : Obj {
    SetObj() : Obj(ObjKind::Set) {}
    struct Slot {
        Value key = Value::undef();  // Undef: unused (hash 0) or dummy (hash kDummyHash)
        std::uint64_t hash = 0;
    };
    static constexpr std::uint64_t kDummyHash = ~std::uint64_t{0};  // CPython's -1
    static constexpr std::size_t kMinSize = 8;
    tracked_vector<Slot> slots;     // empty until the first insertion: kMinSize unused slots
    std::size_t mask = kMinSize - 1;
    std::int64_t fill = 0;          // active + dummy slots
    std::int64_t used = 0;          // active slots
    std::size_t finger = 0;         // where pop() searches next
    std::uint64_t table_version = 0;  // bumped whenever `slots` is replaced or cleared
    bool frozen = false;            // a frozenset: never changed once made, hashable
};

struct RangeObj : Obj {
    RangeObj(std::int64_t a, std::int64_t b, std::int64_t c) : Obj(ObjKind::Range), start(a), stop(b), step(c) {}
    std::int64_t start, stop, step;
    std::int64_t length() const noexcept;
};

struct SliceObj : Obj {
    SliceObj() : Obj(ObjKind::Slice) {}
    Value start, stop, step;
};

// ---------------------------------------------------------------- code and functions

struct LineEntry {
    std::uint32_t pc;    // first instruction of this line
    std::int32_t line;
};

// An inline cache of one attribute instruction: instances of this shape keep
// the attribute in this slot (for a store that adds it: they move to `next`).
struct AttrCache {
    const struct Shape* shape = nullptr;
    const struct Shape* next = nullptr;
    std::uint32_t slot = 0;
    Obj* method = nullptr;        // LOAD_METHOD: the class's function; LOAD_GLOBAL: the dict it was found in
    std::uint64_t epoch = 0;      // LOAD_METHOD: valid while no class has changed since; LOAD_GLOBAL: that dict's keys version
    std::uint64_t epoch2 = 0;     // LOAD_GLOBAL from builtins: the module globals' keys version (no shadowing since)
    const struct ClassObj* cls = nullptr;  // LOAD_METHOD on a builtin type's value (list, channel...): its class
};

struct CodeObj : Obj {
    CodeObj() : Obj(ObjKind::Code) {}
    // One cache per instruction, made on first use; never saved (a loaded
    // game refills them).
    std::vector<AttrCache> attr_caches;
    // Code is immutable once compiled, so the caches are made once, sized to it.
    [[gnu::always_inline]] AttrCache& cache_at(std::size_t pc) {
        if (attr_caches.empty()) [[unlikely]] make_caches();
        return attr_caches[pc];
    }
    [[gnu::noinline]] void make_caches() { attr_caches.assign(code.size(), AttrCache{}); }
    StrObj* name = nullptr;
    StrObj* qualname = nullptr;
    StrObj* filename = nullptr;
    std::int32_t first_line = 0;
    tracked_vector<std::uint32_t> code;     // op in the low 8 bits, operand above
    tracked_vector<Value> constants;
    tracked_vector<StrObj*> names;          // globals, attributes, imports
    tracked_vector<StrObj*> local_names;    // parameters first, then locals, then cells
    tracked_vector<std::int32_t> cell_of_local;  // local index -> cell index, -1 if not a cell
    tracked_vector<LineEntry> lines;
    std::uint32_t arg_count = 0;            // positional-or-keyword
    std::uint32_t kwonly_count = 0;
    bool has_varargs = false;
    bool has_varkw = false;
    std::uint32_t local_count = 0;          // all local slots, parameters included
    std::uint32_t cell_count = 0;           // cells created by this frame
    std::uint32_t free_count = 0;           // cells captured from the enclosing function
    std::uint32_t max_stack = 0;
    std::int32_t line_of(std::uint32_t pc) const noexcept;
};

struct CellObj : Obj {
    CellObj() : Obj(ObjKind::Cell) {}
    Value value;
    bool empty = true;
};

struct FunctionObj : Obj {
    FunctionObj() : Obj(ObjKind::Function) {}
    CodeObj* code = nullptr;
    ModuleObj* module = nullptr;            // its globals
    tracked_vector<Value> defaults;         // for the last defaults.size() positional parameters
    tracked_vector<Value> kw_defaults;      // per keyword-only parameter; None tag + missing flag
    tracked_vector<bool> kw_default_present;
    tracked_vector<CellObj*> closure;
    StrObj* name = nullptr;
    StrObj* qualname = nullptr;
    ClassObj* defining_class = nullptr;     // for zero-argument super()
};

// ---------------------------------------------------------------- classes and instances

// The shape of an instance: which attribute lives in which slot. Instances
// that gain attributes in the same order share shapes, so an attribute site
// caches (shape, slot) and reads a field without hashing.
struct Shape {
    Shape* parent = nullptr;
    StrObj* key = nullptr;
    std::uint32_t slot_count = 0;
    std::vector<std::pair<StrObj*, Shape*>> transitions;
    std::int32_t find(const StrObj* name) const noexcept;
};

struct ClassObj : Obj {
    ClassObj() : Obj(ObjKind::Class) {}
    StrObj* name = nullptr;
    ClassObj* base = nullptr;
    DictObj* dict = nullptr;
    std::uint64_t version = 0;      // bumped on any change to this class or a base: guards caches
    ObjKind instance_kind = ObjKind::Instance;  // builtin types: the kind of their instances
    bool is_builtin = false;
    bool is_exception = false;      // derives from BaseException
    Shape* root_shape = nullptr;
    std::uint32_t typical_slots = 0;  // most attributes an instance has had: new instances reserve them
    StrObj* module_name = nullptr;
    StrObj* dotted_name = nullptr;   // builtin types CPython names "module.name" ("_stackless.tasklet")
    NativeFn constructor = nullptr;  // builtin types: what calling the type does
    struct HostType* host = nullptr; // a bound host type (binding.hpp): its hooks; owned by the interpreter
    // __init__ and __new__ as last looked up (Undef: none but object's),
    // valid while no class has changed since (the interpreter's class
    // epoch): instantiation is hot.
    Value init_cache;
    Value new_cache;
    std::uint64_t init_epoch = 0;
};

struct InstanceObj : Obj {
    explicit InstanceObj(ClassObj* c, ObjKind k = ObjKind::Instance) : Obj(k), cls(c), shape(c->root_shape) {}
    ClassObj* cls;
    Shape* shape;                   // null once the instance fell back to `dict`
    SlotArray slots;
    DictObj* dict = nullptr;
};

struct TraceEntry {
    CodeObj* code;
    std::int32_t line;
};

struct ExceptionObj : InstanceObj {
    explicit ExceptionObj(ClassObj* c) : InstanceObj(c, ObjKind::Exception) {}
    TupleObj* args = nullptr;
    tracked_vector<TraceEntry> traceback;  // innermost last, as Python prints it
    Value cause;
    Value context;
    bool suppress_context = false;
    // An AttributeError raised by the VM: the object and the missing name
    // (CPython's .obj and .name), for the traceback's "Did you mean" hint.
    Value hint_object;
    StrObj* hint_name = nullptr;
};

struct BoundMethodObj : Obj {
    BoundMethodObj(Value s, Value f) : Obj(ObjKind::BoundMethod), self(s), function(f) {}
    Value self;
    Value function;
};

// Builtins the dispatch loop runs itself when called the usual way (the
// switching operations of every game loop), skipping the general call.
// Len, Repr, Format and Print: builtins that may run a script dunder as a heap frame (dunders.cpp).
enum class FastOp : std::uint8_t { None, ChannelSend, ChannelReceive, Schedule, NextFrame, Len, Repr, Format, Print };

struct NativeObj : Obj {
    NativeObj(NativeFn f, StrObj* n) : Obj(ObjKind::Native), fn(f), name(n) {}
    NativeFn fn;
    StrObj* name;
    Value self;          // bound receiver for builtin methods, None otherwise
    Value data;          // per-function state (e.g. the class a method belongs to)
    // A static method of a builtin type (dict.fromkeys, str.maketrans): read
    // through an instance it stays unbound, as CPython's classmethods do.
    bool is_static = false;
    FastOp fast_op = FastOp::None;
};

struct ModuleObj : Obj {
    ModuleObj() : Obj(ObjKind::Module) {}
    StrObj* name = nullptr;
    DictObj* globals = nullptr;
    StrObj* filename = nullptr;
    // Attributes computed on each read (stackless.current, .main, .runcount):
    // called with (module, name) when the name is not a global.
    NativeFn dynamic_attr = nullptr;
};

enum class IterKind : std::uint8_t { Sequence, Range, DictKeys, DictValues, DictItems, Set, Str, Zip, Enumerate, Map, Filter, Reversed, Channel };

struct IteratorObj : Obj {
    explicit IteratorObj(IterKind k) : Obj(ObjKind::Iterator), iter_kind(k) {}
    IterKind iter_kind;
    Value source;
    std::int64_t index = 0;
    std::int64_t end = 0;         // zip: 1 when strict
    std::int64_t step = 1;
    tracked_vector<Value> parts;  // zip/map/filter: the underlying iterators and function
};

// d.keys(), d.values(), d.items(): live views of a dict.
struct DictViewObj : Obj {
    DictViewObj(DictObj* d, IterKind k) : Obj(ObjKind::DictView), dict(d), which(k) {}
    DictObj* dict;
    IterKind which;  // DictKeys, DictValues or DictItems
};

// ---------------------------------------------------------------- runtime objects

// A script's view of a runtime tasklet or channel: the runtime object is
// shared with native code, so it is held by a counted handle.
struct TaskletObj : Obj {
    explicit TaskletObj(spindle::Tasklet t) : Obj(ObjKind::Tasklet), tasklet(std::move(t)) {}
    ~TaskletObj() override;
    // Not through the free lists: `stackless.tasklet(f)(x)` in a loop makes
    // one short-lived wrapper per tasklet, and a free list would keep tens of
    // thousands of them after a sweep, pinning holes among the tasklets'
    // memory. Given back to malloc, they coalesce and the tasklets' threads
    // reuse them. (One per spawn: the free lists' speed does not matter here.)
    static void* operator new(std::size_t size) { return ::operator new(size); }
    static void operator delete(void* block) noexcept { ::operator delete(block); }
    spindle::Tasklet tasklet;
    ClassObj* cls = nullptr;  // a subclass of stackless.tasklet, or null
    DictObj* dict = nullptr;  // attributes of an instance of a script subclass
};

struct ChannelObj : Obj {
    explicit ChannelObj(spindle::ChannelObject* c) : Obj(ObjKind::Channel), channel(c) { channel->incref(); }
    ~ChannelObj() override;
    spindle::ChannelObject* channel;
    ClassObj* cls = nullptr;
    DictObj* dict = nullptr;  // attributes of an instance of a script subclass
};

// An object of the host (an engine entity handle, a vector...): the C++
// value lives inline in a HostBox<T> derived from this (binding.hpp), so its
// destructor runs when the collector frees the object. The type's hooks
// (attributes, validity, persistent id for save games) are in `type`.
struct HostType;
struct HostObj : Obj {
    HostObj(ClassObj* c, const HostType* t, std::uint32_t bytes) noexcept : Obj(ObjKind::Host), cls(c), type(t), size(bytes) {}
    ClassObj* cls;
    const HostType* type;
    std::uint32_t size;  // of the whole HostBox<T>, for the heap's accounting
};

}  // namespace spindle::vm
