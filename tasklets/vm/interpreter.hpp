// Interpreter: one script world. It owns the heap, the interned strings, the
// builtin types and modules, and runs script code.
//
// Error discipline (STYLE §5): a failing operation raises a script exception
// with raise_*() and returns false; the dispatch loop then unwinds heap frames
// to the innermost handler. C++ exceptions are used for one thing only:
// std::bad_alloc from a capped allocation, turned into MemoryError at the
// instruction that caused it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "script/ast.hpp"
#include "spindle/tasklets.hpp"
#include "vm/compact_vector.hpp"
#include "vm/heap.hpp"
#include "vm/inline_vector.hpp"
#include "vm/object.hpp"
#include "vm/table.hpp"

namespace spindle::vm {

// Arguments of a call as they lie on the value stack: `count` values, of
// which the last kwnames->items.size() are keyword arguments.
struct CallArgs {
    const Value* values = nullptr;
    std::uint32_t count = 0;
    const TupleObj* kwnames = nullptr;
    const Obj* callee = nullptr;  // the native (or, for a constructor, the class) being called
    std::uint32_t keyword_count() const noexcept {
        return kwnames ? static_cast<std::uint32_t>(kwnames->items.size()) : 0;
    }
    std::uint32_t positional_count() const noexcept { return count - keyword_count(); }
    const Value& operator[](std::uint32_t i) const noexcept { return values[i]; }
};

// A handler block of a frame (SETUP_FINALLY, or an except clause in progress).
struct Block {
    enum Kind : std::uint8_t { Finally, ExceptHandler };
    Kind kind;
    std::uint32_t handler;   // Finally: where to jump
    std::uint32_t level;     // value-stack depth (relative to the frame's stack base) to unwind to
    Value saved_exception;   // ExceptHandler: the exception handled before this clause
};

// What happens to a frame's return value: Python semantics that a C-level
// interpreter would keep on the C stack live here, so every frame is heap data.
enum class ReturnAction : std::uint8_t {
    Push,            // push it on the caller's stack (an ordinary call)
    DiscardInit,     // __init__: must be None; push the new instance (aux)
    FinishClass,     // a class body: build the class from its namespace
    Binary,          // a dunder operator: NotImplemented -> try the reflected one
    Truth,           // __bool__/__len__ for a branch: convert, then jump or fall through
    ForIter,         // __next__ for a for loop: StopIteration ends the loop (return_arg: its exit)
    Nested,          // a call made by C++ code: stop the dispatch loop here
    // Dunders the VM calls outside the operator protocol (dunders.cpp):
    Discard,         // __setitem__/__delitem__: drop the value (the caller's stack ends below it)
    Len,             // __len__ for len(): check the result is an int >= 0
    ToStr,           // __str__/__repr__/__format__ for str()/repr()/format(): check for a str (return_arg: which)
    FormatValue,     // the same for an f-string field, then its spec (return_arg: FORMAT_VALUE's operand | which << 4)
    PrintArg,        // __str__ for print()'s argument return_arg (aux: kwnames or None, aux2: argument count)
    Hash,            // __hash__ for a dict or set operation of the caller's instruction (return_arg: HashOp | operand << 4;
                     // BUILD_SET/BUILD_MAP: aux the container so far, aux2 the item count, operand the item)
};

// The table operation a Hash frame finishes.
enum class HashOp : std::uint8_t { Contains, Subscr, Store, SetAdd, MapAdd, BuildSet, BuildMap };

// Every byte here is paid by every parked agent (a thread keeps its first
// frame inline), so what can be derived is: the module (the function's),
// where the value stack starts (after the code's local slots), and a class
// body's namespace (kept in aux2).
struct Frame {
    CodeObj* code = nullptr;
    FunctionObj* function = nullptr;
    std::uint32_t pc = 0;
    std::uint32_t base = 0;          // stack index of local slot 0
    std::uint32_t sp = 0;            // stack top while the frame is not running
    std::uint32_t block_base = 0;    // index into Thread::blocks
    ReturnAction on_return = ReturnAction::Push;
    std::uint32_t return_arg = 0;    // Binary: the operator; Truth: jump target and sense
    Value aux;                       // DiscardInit: the instance; Binary: the operands' fallback; class body: its name
    Value aux2;                      // class body: its namespace

    ModuleObj* module() const noexcept { return function->module; }
    // Stack index where the value stack starts.
    std::uint32_t stack_base() const noexcept { return base + code->local_count + code->free_count; }
    // A class body's namespace (LOAD_NAME looks there first), or null.
    DictObj* names() const noexcept {
        return on_return == ReturnAction::FinishClass ? static_cast<DictObj*>(aux2.o) : nullptr;
    }
};

// What a soft-switched tasklet still has to finish when it resumes.
enum class Pending : std::uint8_t {
    None,       // preempted between instructions: just continue
    Result,     // a call is waiting for its value (the tempval) in result_slot
    Watchdog,   // stackless.run(): finish the watchdog call, then deliver its result
    SelfResult, // schedule() without a retval: its value is the tasklet itself, unless a tempval came
};

// The execution state of one script tasklet: heap frames and a value stack.
// The first frame and the first kInlineStack stack slots live inside the
// Thread: a parked agent with one small frame is a single block. Deeper
// stacks spill to the heap (charged like any script storage). Its size is
// paid per parked agent: 216 bytes is one malloc block of 224.
struct Thread {
    static constexpr std::size_t kInlineStack = 4;
    InlineVector<Frame, 1> frames;
    InlineVector<Value, kInlineStack, TrackedAllocator<Value>> stack;
    CompactVector<Block> blocks;      // usually empty: no allocation
    Value handled_exception;          // the exception an except clause is handling (bare `raise`)
    std::uint64_t run_since_wait = 0;  // instructions since it last blocked, yielded or slept
    std::uint32_t nesting = 0;        // C++ calls into the interpreter on this thread
    std::uint32_t result_slot = 0;
    Pending pending = Pending::None;
    bool running = false;             // inside Interpreter::run_one: its run is on the C++ stack
    // The save (ReadAhead::serial) whose reader thread verified this thread's
    // frames, so that the pickler need not: written by that reader only,
    // atomically (vm/read_ahead.hpp). In what was padding.
    std::uint32_t verified_in_save = 0;
};

// How a run of the dispatch loop ended.
enum class Exec : std::uint8_t { Returned, Raised, Switched };

struct ErrorReport {
    std::string type;       // "ZeroDivisionError"
    std::string message;    // "division by zero"
    std::string traceback;  // the whole "Traceback (most recent call last): ..." text
    int exit_status = 1;    // what `python3 script.py` would exit with (SystemExit's code)
};

struct ScriptTaskletState;
class HostRegistry;

class Interpreter : public spindle::Scheduler::ScriptEngine {
public:
    static constexpr std::size_t kDefaultMaxBytes = std::size_t{1} << 30;  // 1 GiB
    struct Options {
        // Memory cap for script objects; 0: none. On by default: a runaway
        // script must end in MemoryError, not take the machine down.
        std::size_t max_bytes = kDefaultMaxBytes;
        std::uint32_t max_depth = 1000;  // recursion limit (frames per tasklet)
        // A tasklet other than main that runs this many instructions without
        // waiting (blocking, yielding, sleeping) is a runaway: RuntimeError is
        // raised in it. About seconds of work; 0: no limit.
        std::uint64_t runaway_instructions = std::uint64_t{1'000'000'000};
        std::function<void(std::string_view)> write_stdout;  // default: std::cout
        // Told the text of each script file compiled as a module (the main
        // script as "__main__", imports by name): a host's script version.
        std::function<void(std::string_view module, std::string_view source)> on_script_source;
    };
    Interpreter();
    explicit Interpreter(Options options);
    ~Interpreter() override;
    Interpreter(const Interpreter&) = delete;
    Interpreter& operator=(const Interpreter&) = delete;

    Heap& heap() noexcept { return heap_; }

    // Marks what a thread's frames, stack and handlers refer to.
    static void mark_thread(Heap& heap, const Thread& t);

    // Not while a tasklet waits inside a call from C++: the C++ frames on its
    // stack hold script values the collector cannot see.
    void collect_garbage() {
        if (nested_suspended_ == 0) heap_.collect();
    }

    // ---- running code
    // Compiles and runs a file as __main__. Returns false if it raised; the
    // error is then in last_error(). Compile errors throw script::CompileError.
    bool run_main(const std::string& path);
    bool run_source(std::string_view source, const std::string& filename);
    const ErrorReport& last_error() const noexcept { return last_error_; }

    // Calls a callable from C++ (nested, as in Stackless: no preemption
    // inside unless ignore_nesting; a switch inside it is a hard switch).
    bool call(Value callable, const Value* args, std::uint32_t count, Value& result, const TupleObj* kwnames = nullptr);

    // The dispatch loop: runs the thread's frames until the frame count drops
    // to `exit_depth` (Returned, the value in `result`), an exception leaves
    // the entry frame (Raised, the exception pending), or the tasklet
    // soft-switched away (Switched: its state is all in `t`).
    Exec execute(Thread& t, std::size_t exit_depth, Value& result);
    // A builtin that soft-switched tells the loop what to finish on resume.
    void request_switch(Pending pending) noexcept {
        switch_requested_ = true;
        switch_pending_ = pending;
    }
    // The scheduler this interpreter was made on (the one active then): its
    // tasklets are the ones it runs, marks and tears down, whichever
    // scheduler is active. Without one, the active scheduler.
    spindle::Scheduler& scheduler() const { return scheduler_ ? *scheduler_ : spindle::Scheduler::active(); }
    spindle::Scheduler* bound_scheduler() const noexcept { return scheduler_; }
    // Makes this interpreter, its heap and its scheduler the thread's
    // current ones (a host switching between games; vm/activation.hpp has
    // the scoped form). A new interpreter is current; destroying one makes
    // it current for its own teardown, then gives the thread back the one
    // current before (or, if that was itself, the one current when it was
    // made, if it still lives), so interpreters may go in any order.
    void activate() noexcept;

    // ---- strings
    StrObj* intern(std::string_view text);
    StrObj* new_str(std::string_view text);
    Value str(std::string_view text) { return Value::object(new_str(text)); }

    // ---- errors
    bool raise(ClassObj* type, std::string_view message);
    // UnboundLocalError for a local read before it was assigned.
    bool raise_unbound_local(const StrObj* name) {
        return raise(types.UnboundLocalError,
                     "cannot access local variable '" + std::string(name->view()) + "' where it is not associated with a value");
    }
    bool raise_without_args(ClassObj* type);  // `type()`: args ()
    bool raise_value(Value exception);
    bool raise_type_error(std::string_view message) { return raise(types.TypeError, message); }
    bool raise_value_error(std::string_view message) { return raise(types.ValueError, message); }
    bool raise_memory_error();
    // Raises a C++ exception (a bomb from the runtime) as the script exception it stands for.
    bool raise_native_exception(std::exception_ptr error);
    bool has_pending() const noexcept { return !pending_.is_none(); }
    Value take_pending() noexcept;
    ClassObj* new_exception_class(std::string_view name, ClassObj* base);

    // ---- objects
    ClassObj* type_of(Value v) const noexcept;
    const char* type_name(Value v) const noexcept;
    bool is_instance(Value v, ClassObj* cls) const noexcept;
    bool is_subclass(const ClassObj* cls, const ClassObj* base) const noexcept;
    bool truthy(Value v, bool& result);
    bool repr(Value v, std::string& out);
    bool to_str(Value v, std::string& out);
    // What repr() and str() do when the class does not override them
    // (reached through super() or object.__str__): object.__repr__, or
    // BaseException's __repr__ and __str__ for exceptions.
    bool default_repr(Value v, bool exception_form, std::string& out);
    bool default_str(Value v, std::string& out);
    bool hash(Value v, std::uint64_t& out);
    bool equal(Value a, Value b, bool& out);
    bool get_attr(Value object, StrObj* name, Value& out);
    bool set_attr(Value object, StrObj* name, Value value);
    bool del_attr(Value object, StrObj* name);
    bool get_item(Value container, Value key, Value& out);
    bool set_item(Value container, Value key, Value value);
    bool del_item(Value container, Value key);
    bool get_iter(Value iterable, Value& out);
    // false with nothing pending: exhausted; false with pending: an error.
    bool iter_next(Value iterator, Value& out);
    bool contains(Value container, Value item, bool& out);
    bool length(Value v, std::int64_t& out);
    bool binary_op(std::uint32_t op, Value a, Value b, Value& out);
    bool compare(std::uint32_t op, Value a, Value b, Value& out);
    Value lookup_in_class(const ClassObj* cls, const StrObj* name) const noexcept;  // None tag if missing
    bool to_list(Value iterable, tracked_vector<Value>& out);
    bool unary_op(std::uint32_t op, Value v, Value& out);
    bool index_of(Value key, std::int64_t size, const char* what, std::int64_t& out);
    bool slice_indices(const SliceObj* s, std::int64_t size, std::int64_t& start, std::int64_t& stop,
                       std::int64_t& step, std::int64_t& count);
    void set_items_in_order(const SetObj* set, tracked_vector<Value>& out) const;
    bool set_operation(script::BinOpKind kind, SetObj* a, SetObj* b, bool inplace, Value& out);
    bool set_compare(script::CmpOpKind op, SetObj* a, SetObj* b, Value& out);
    bool percent_format(StrObj* format, Value args, Value& out);
    bool set_add(SetObj* set, Value item);
    // Copies a dict's items into `into`. A call's `**` (DICT_MERGE) passes the
    // callable's name as reject_duplicates_for: a key given twice is an error.
    bool dict_merge(DictObj* into, Value mapping, std::string_view reject_duplicates_for);
    bool format_value(Value v, std::uint32_t conversion, Value spec, Value& out);
    bool format_with_spec(Value v, std::string_view spec, std::string& out);
    bool exception_matches(Value exception, Value type, bool& out);
    // Finds `name` for a call: `unbound` true means (function, self) can be
    // called without a bound-method object.
    bool load_method(Value self, StrObj* name, Value& method, bool& unbound);
    bool is_build_class(Value v) const noexcept { return v.identical(build_class_); }
    void classes_changed() noexcept { ++class_epoch_; }
    bool import_module(StrObj* name, Value& module);
    std::string float_repr(double d) const;

    TupleObj* new_tuple(std::size_t n = 0);
    ListObj* new_list(std::size_t n = 0);
    DictObj* new_dict();
    SetObj* new_set();
    NativeObj* new_native(std::string_view name, NativeFn fn, Value self = Value());
    ModuleObj* new_module(std::string_view name);
    ClassObj* new_class(std::string_view name, ClassObj* base, bool builtin);
    // A bare instance of a script class (an exception class's gets `args`),
    // as object.__new__ and BaseException.__new__ make it.
    Value make_instance(ClassObj* cls, const Value* args, std::uint32_t positional);
    // Looks up the class's own __init__ and __new__ again (ClassObj::init_cache).
    void refresh_constructors(ClassObj* cls);
    void define(DictObj* namespace_dict, std::string_view name, Value value);
    void define_function(ModuleObj* module, std::string_view name, NativeFn fn);
    void define_method(ClassObj* cls, std::string_view name, NativeFn fn);
    void define_static_method(ClassObj* cls, std::string_view name, NativeFn fn);  // never bound to a receiver
    Value not_implemented() const noexcept { return not_implemented_; }

    // ---- modules
    void register_module(ModuleObj* module);
    ModuleObj* find_module(StrObj* name) const;
    ModuleObj* builtins_module() const noexcept { return builtins_; }
    // Every module loaded, by name: the pickler finds builtins by identity in them.
    const std::unordered_map<StrObj*, ModuleObj*>& modules() const noexcept { return modules_; }
    const std::string& script_directory() const noexcept { return script_directory_; }
    // Where imports resolve: run_main sets it; a loaded save game restores it.
    void set_script_directory(std::string directory) { script_directory_ = std::move(directory); }

    // ---- host objects (binding.cpp)
    HostRegistry& host_registry() noexcept { return *host_registry_; }
    bool host_get_attr(Value object, const StrObj* name, Value& out, bool& found);
    bool host_set_attr(Value object, const StrObj* name, Value value, bool& found);
    bool host_equal(Value a, Value b, bool& out);
    bool host_hash(Value v, std::uint64_t& out);

    // ---- threads (script tasklets)
    Thread& main_thread() noexcept { return main_thread_; }
    Thread& current_thread() noexcept { return *current_thread_; }
    void write_stdout(std::string_view text);

    // ---- the runtime (script_tasklets.cpp, module_stackless.cpp)
    void run(const spindle::Tasklet& tasklet) override;  // the scheduler's script engine
    // A hard switch of a script tasklet or main (it blocked inside a call
    // from C++): its C++ frames stay on its stack until it resumes.
    void suspending(spindle::TaskletObject* tasklet) noexcept override;
    void resumed(spindle::TaskletObject* tasklet) noexcept override;
    void scheduler_destroyed() noexcept override { scheduler_ = nullptr; }
    // Script callbacks of the runtime (schedule and channel callbacks, the
    // error handler) run in the middle of a switch: none may switch itself.
    bool in_runtime_callback() const noexcept { return callback_depth_ > 0; }
    // Tasklets whose stacks hold C++ frames of a call into scripts.
    std::uint32_t nested_suspended() const noexcept { return nested_suspended_; }
    // Stackless's nesting_level and restorable for a tasklet.
    int nesting_level_of(const spindle::Tasklet& t);
    void run_one(const spindle::Tasklet& tasklet, Thread* outer);
    Value wrap_tasklet(const spindle::Tasklet& t);
    Value wrap_channel(spindle::ChannelObject* c);
    void forget_wrapper(TaskletObj* wrapper) noexcept;
    void forget_wrapper(ChannelObj* wrapper) noexcept;
    std::exception_ptr exception_to_native(Value exception);
    bool runtime_attr(Value object, StrObj* name, Value& out, bool& found);
    bool runtime_set_attr(Value object, StrObj* name, Value value, bool& found);
    ClassObj* stackless_tasklet_class() const noexcept { return stackless_tasklet_class_; }
    ClassObj* stackless_channel_class() const noexcept { return stackless_channel_class_; }
    ClassObj* stackless_atomic_class() const noexcept { return stackless_atomic_class_; }
    // Whether a script has imported `stackless` (or a pickle named it): in
    // Stackless, that is what lets pickle write functions by content.
    bool stackless_imported() const noexcept { return stackless_imported_; }
    void note_import(const ModuleObj* module) noexcept {
        if (module->name && module->name->view() == "stackless") stackless_imported_ = true;
    }
    void set_stackless_classes(ClassObj* tasklet, ClassObj* channel, ClassObj* atomic) noexcept {
        stackless_tasklet_class_ = tasklet;
        stackless_channel_class_ = channel;
        stackless_atomic_class_ = atomic;
    }
    Value schedule_callback_value() const noexcept { return schedule_callback_; }
    Value channel_callback_value() const noexcept { return channel_callback_; }
    Value error_handler_value() const noexcept { return error_handler_; }
    void set_schedule_callback_value(Value callback);
    void set_channel_callback_value(Value callback);
    void set_error_handler_value(Value handler);

    // The builtin classes, looked up by the VM without hashing.
    struct Types {
        ClassObj *object, *type, *NoneType, *bool_, *int_, *float_, *str, *tuple, *list, *dict, *set, *frozenset, *range, *slice,
            *function, *method, *builtin, *module, *iterator, *code, *cell, *NotImplementedType, *super_,
            *dict_keys, *dict_values, *dict_items, *frame;
        ClassObj *BaseException, *Exception, *SystemExit, *TaskletExit, *KeyboardInterrupt, *StopIteration,
            *ArithmeticError, *ZeroDivisionError, *OverflowError, *AssertionError, *AttributeError, *LookupError,
            *IndexError, *KeyError, *NameError, *UnboundLocalError, *RuntimeError, *RecursionError,
            *NotImplementedError, *TypeError, *ValueError, *MemoryError, *ImportError, *ModuleNotFoundError,
            *UnicodeError, *ReferenceError, *SystemError;
    } types{};

    // Names the VM looks up often, interned once.
    struct Names {
        StrObj *init, *new_, *repr, *str, *eq, *ne, *lt, *le, *gt, *ge, *hash, *len, *bool_, *getitem, *setitem,
            *delitem, *contains, *iter, *next, *enter, *exit, *call, *name, *qualname, *module, *class_, *dict,
            *doc, *main, *builtins, *args, *format, *self, *getattr;
        StrObj* binary[16];    // __add__ ... by BinOpKind
        StrObj* rbinary[16];   // __radd__ ...
        StrObj* ibinary[16];   // __iadd__ ...
    } names{};

private:
    enum class CallOutcome { Done, Pushed, Error, Switched };
    // Calls stack[callable_at] with the `count` values above it. Done: the
    // result replaced the callable and the arguments were popped. Pushed: a
    // script frame was pushed; its return value will land in the same slot.
    CallOutcome call_at(Thread& t, std::uint32_t callable_at, std::uint32_t count, const TupleObj* kwnames,
                        ReturnAction action);
    // The dispatch loop's fast path for the usual call: a script function,
    // or a class whose __init__ is one, given exactly its positional
    // parameters. True: the callee's frame is pushed; false: nothing changed.
    bool push_plain_call(Thread& t, std::uint32_t callable_at, std::uint32_t count);
    CallOutcome call_function(Thread& t, FunctionObj* fn, std::uint32_t callable_at, std::uint32_t count,
                              const TupleObj* kwnames, ReturnAction action);
    CallOutcome init_instance(Thread& t, ClassObj* cls, Value instance, std::uint32_t callable_at, std::uint32_t count,
                              const TupleObj* kwnames, bool own_new = false);
    CallOutcome construct_with_new(Thread& t, ClassObj* cls, Value new_fn, std::uint32_t callable_at, std::uint32_t count,
                                   const TupleObj* kwnames);
    bool subclassable_runtime_type(const ClassObj* cls) const noexcept {
        return cls == stackless_tasklet_class_ || cls == stackless_channel_class_ ||
               (cls && cls->base && !cls->is_builtin && subclassable_runtime_type(cls->base));
    }
    // The fast ops (FastOp), run by the dispatch loop itself (inline, in
    // script_tasklets.hpp): the callable at callable_at with its arguments (a
    // channel's `self` first) above it, their count already checked. Done:
    // the result is in stack[callable_at]; Switched: the tasklet soft-switched
    // away and waits for its value; Error: an exception is pending; General:
    // nothing has changed, and the op takes its builtin's whole protocol
    // (a CallOutcome step: it may run callbacks, so the stack may move).
    enum class FastStep : std::uint8_t { Done, Switched, Error, General };
    FastStep schedule_fast(Thread& t, std::uint32_t callable_at, FastOp op);
    template <int Direction>
    FastStep channel_fast(Thread& t, std::uint32_t callable_at);
    CallOutcome channel_transfer_general(Thread& t, std::uint32_t callable_at, int direction);
    // A channel op that completed without a switch handed over something
    // other than a script value (a native tasklet's value, or a bomb): it
    // waits in the running tasklet's tempval.
    [[gnu::noinline]] FastStep channel_received(Thread& t, std::uint32_t callable_at);
    // The running tasklet soft-switched away from the dispatch loop: the
    // next one, if the loop may resume it in place (chain), else null.
    Thread* chain_to(Thread& from, spindle::Scheduler& s);
    static void set_runtime_object_class(Value object, ClassObj* cls) noexcept;
    static DictObj* runtime_object_dict(Value object) noexcept;
    std::int64_t next_budget(const spindle::Scheduler& sched, bool preemptible) const noexcept;
    bool is_runaway(const Thread& t) const noexcept;
    // Inside a call from C++, preemption only with ignore_nesting (the
    // tasklet's or run()'s), as in Stackless; it is then a hard switch.
    bool nested_preemptible() const;
    bool preempt_nested();
    CallOutcome run_native(Thread& t, NativeObj* native, const CallArgs& args, std::uint32_t callable_at);
    CallOutcome call_native_many(Thread& t, NativeObj* native, std::uint32_t callable_at, std::uint32_t count,
                                 const TupleObj* kwnames);
    const Value* module_attr_cached(ModuleObj* module, StrObj* name, AttrCache& cache) {
        Table& globals = module->globals->table;
        if (cache.method == module->globals && cache.epoch == globals.keys_version && cache.cls == nullptr &&
            cache.shape == nullptr) [[likely]] {
            return &globals.entries[cache.slot].value;
        }
        return module_attr_lookup(module, name, cache);
    }
    const Value* module_attr_lookup(ModuleObj* module, StrObj* name, AttrCache& cache);  // the cache missed
    CallOutcome start_class_body(Thread& t, std::uint32_t callable_at, std::uint32_t count, const TupleObj* kwnames);
    CallOutcome instantiate(Thread& t, ClassObj* cls, std::uint32_t callable_at, std::uint32_t count,
                            const TupleObj* kwnames);
    bool bind_arguments(FunctionObj* fn, const Value* args, std::uint32_t count, const TupleObj* kwnames,
                        tracked_vector<Value>& params);
    void ensure_stack(Thread& t, std::size_t needed) {
        if (t.stack.size() < needed) [[unlikely]] grow_stack(t, needed);
    }
    void grow_stack(Thread& t, std::size_t needed);
    bool unpack_items(Value seq, tracked_vector<Value>& items);  // UNPACK_SEQUENCE, UNPACK_EX
    bool finish_class(Thread& t, Frame& body_frame, Value& result);
    bool unwind_exception(Thread& t, std::size_t exit_depth, bool add_trace);
    bool raise_from(Value exception, Value cause);
    // Dunder operators on instances, run as heap frames. Returns 1 if a frame
    // was pushed, 0 if the caller should use the builtin path, -1 on error.
    int start_dunder_binary(Thread& t, std::uint32_t op, Value a, Value b);
    int start_dunder_compare(Thread& t, std::uint32_t op, Value a, Value b);
    int continue_dunder(Thread& t, const Frame& done, Value& value);
    int push_dunder(Thread& t, Value function, Value self, Value other, std::uint32_t stage, Value a, Value b);
    // ---- dunders.cpp: VM-issued dunders run as heap frames
    // v's class method `name` if v is an instance and it is a script function; undef otherwise.
    Value script_method(Value v, const StrObj* name) const noexcept;
    // The script method str(v) (repr(v) if for_repr) would call, and which one (kWhich*).
    Value script_str_method(Value v, bool for_repr, std::uint32_t& which) const noexcept;
    // Pushes function's frame; the function is at stack[at] and its `count` arguments above.
    CallOutcome push_dunder_frame(Thread& t, std::uint32_t at, Value function, std::uint32_t count,
                                  ReturnAction action, std::uint32_t return_arg);
    // len/repr/format called with a script dunder to run: true if it took the call.
    bool start_dunder_builtin(Thread& t, NativeObj* native, std::uint32_t at, std::uint32_t count,
                              const TupleObj* kwnames, CallOutcome& outcome);
    bool start_str_call(Thread& t, std::uint32_t at, CallOutcome& outcome);  // str(x)
    // FORMAT_VALUE on an instance: pushes the dunder's frame (true), or false for the builtin path.
    bool start_format_value(Thread& t, std::uint32_t operand, CallOutcome& outcome);
    bool finish_format_value(Thread& t, const Frame& done, Value value);
    bool check_converted(Value v, std::uint32_t which);
    bool check_length(Value& v);
    // print() whose arguments need a script __str__: writes from argument `next` on,
    // pushing a frame for each such argument (Pushed) until the end (Done).
    bool print_needs_frames(const Thread& t, std::uint32_t at, std::uint32_t count, const TupleObj* kwnames) const;
    CallOutcome print_from(Thread& t, std::uint32_t at, std::uint32_t count, const TupleObj* kwnames,
                           std::uint32_t next);
    bool finish_print_arg(Thread& t, const Frame& done, Value value);
    // A dict/set operation whose key has a script __hash__: pushes its frame
    // (true; outcome Pushed or Error), or false for the builtin path.
    bool start_hash(Thread& t, HashOp op, std::uint32_t operand, Value key, CallOutcome& outcome,
                    Value aux = Value(), std::uint32_t count = 0);
    bool finish_hash(Thread& t, const Frame& done, Value value);
    // BUILD_SET (pairs false) / BUILD_MAP from item `next` on: Done (the container pushed), Pushed or Error.
    bool build_needs_frames(const Thread& t, std::uint32_t count, bool pairs) const;
    CallOutcome build_from(Thread& t, Value container, std::uint32_t count, std::uint32_t next);
    // Pushes a frame for function(self) above the caller's stack top.
    CallOutcome push_method_frame(Thread& t, Value function, Value self, ReturnAction action, std::uint32_t return_arg);
    Shape* shape_with(Shape* shape, StrObj* key);
    bool super_attr(InstanceObj* super, StrObj* name, Value& out);
    void setup_types();
    void setup_names();
    void setup_builtins();
    void mark_roots(Heap& heap);
    void mark_runtime_roots(Heap& heap);
    Exec start_thread(const spindle::Tasklet& t, ScriptTaskletState& state, Value& result);
    Exec resume_thread(const spindle::Tasklet& t, Thread& th, Value& result);
    // Reports a script callback's exception (it must not unwind the scheduler).
    void report_callback_error(const char* what);
    bool run_code(CodeObj* code, ModuleObj* module);
    void report_error(Value exception);

    Options options_;
    Heap heap_;
    std::unordered_map<std::string_view, StrObj*> interned_;
    std::unordered_map<StrObj*, ModuleObj*> modules_;
    ModuleObj* builtins_ = nullptr;
    Value not_implemented_;
    Value build_class_;
    // Bumped whenever a class's attributes change: method caches compare it.
    std::uint64_t class_epoch_ = 1;
    bool switch_requested_ = false;
    Pending switch_pending_ = Pending::None;
    Value pending_;
    Thread main_thread_;
    Thread* current_thread_ = &main_thread_;
    spindle::Tasklet running_tasklet_;  // the script tasklet run_one is running (chained ones included)
    ErrorReport last_error_;
    std::string script_directory_;
    std::vector<Value> extra_roots_;  // compiled code awaiting its first frame
    std::vector<std::unique_ptr<Shape>> shapes_;
    ClassObj* stackless_tasklet_class_ = nullptr;
    bool stackless_imported_ = false;
    ClassObj* stackless_channel_class_ = nullptr;
    ClassObj* stackless_atomic_class_ = nullptr;
    std::unordered_map<const spindle::TaskletObject*, TaskletObj*> native_wrappers_;
    std::unordered_map<const spindle::ChannelObject*, ChannelObj*> channel_wrappers_;
    std::uint32_t nested_suspended_ = 0;
    std::uint32_t callback_depth_ = 0;
    struct CallbackScope;
    // Kills the tasklets waiting inside calls from C++ (their C++ frames must
    // unwind while the interpreter still exists).
    void kill_hard_suspended() noexcept;
    Value schedule_callback_;
    Value channel_callback_;
    Value error_handler_;
    std::unique_ptr<HostRegistry> host_registry_;
    spindle::Scheduler* scheduler_ = nullptr;
    // The interpreter that was current on this thread before this one (a
    // save game loads into a second one while the first still runs), and
    // the thread's other live ones (spindle/live_chain.hpp).
    spindle::LiveChain<Interpreter> live_;
};

// The interpreter of this thread, for object destructors that must tell it
// about collected wrappers.
Interpreter* current_interpreter() noexcept;
// Makes `in` current without touching the heap or the scheduler (null:
// none); ScopedActivation (vm/activation.hpp) uses it.
void set_current_interpreter(Interpreter* in) noexcept;

}  // namespace spindle::vm
