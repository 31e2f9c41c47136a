// Interpreter set-up, strings, errors, modules and the entry points. Index:
//   [SETUP]     builtin types, exception hierarchy, interned names
//   [STRINGS]   interning
//   [ERRORS]    raising, matching, tracebacks
//   [MODULES]   the module table and imports of script files
//   [RUNNING]   run_main / run_source, garbage-collection roots
#include "vm/interpreter.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "vm/binding.hpp"
#include "vm/compiler.hpp"
#include "vm/script_tasklets.hpp"
#include "vm/suggestions.hpp"
#include "vm/table.hpp"
#include "vm/trace.hpp"

namespace spindle::vm {

void install_builtins(Interpreter& interp);
bool build_class_native(Interpreter& interp, const CallArgs& args, Value& result);

// ============================================================================
// [SETUP]
// ============================================================================

Interpreter::Interpreter() : Interpreter(Options{}) {}

namespace {
thread_local Interpreter* g_interpreter = nullptr;
thread_local Interpreter* g_newest_live = nullptr;  // the thread's live interpreters (LiveChain)
}

Interpreter* current_interpreter() noexcept { return g_interpreter; }

void set_current_interpreter(Interpreter* in) noexcept {
    // Pooled threads were charged to the heap of the interpreter current until now.
    if (g_interpreter != in && g_interpreter) release_pooled_threads();
    g_interpreter = in;
}

Interpreter::Interpreter(Options options)
    : options_(std::move(options)), heap_(options_.max_bytes), host_registry_(std::make_unique<HostRegistry>()) {
    live_.link(this, g_newest_live, &Interpreter::live_, g_interpreter);
    // Pooled threads were charged to the heap current until now.
    if (live_.previous) release_pooled_threads();
    heap_.activate();
    g_interpreter = this;
    scheduler_ = spindle::Scheduler::active_or_null();
    setup_names();
    setup_types();
    setup_builtins();
    heap_.set_root_visitor([this](Heap& heap) { mark_roots(heap); });
    if (spindle::Scheduler* s = scheduler_) {
        s->set_script_engine(this);
        s->reserve_driver();  // main's first switch to a script tasklet needs one
        auto state = std::make_unique<ScriptTaskletState>();
        state->thread = &main_thread_;
        state->started = true;
        s->getmain().set_script_state(std::move(state));
    }
}

Interpreter::~Interpreter() {
    // Our teardown kills tasklets (switches on our scheduler's stacks) and
    // frees what our heap was charged for: we are current meanwhile.
    Interpreter* const was = g_interpreter;
    Heap* const was_heap = detail::g_current_heap;
    spindle::Scheduler* const was_scheduler = spindle::Scheduler::active_or_null();
    activate();
    if (spindle::Scheduler* s = scheduler_) {
        kill_hard_suspended();
        s->set_script_engine(nullptr);
        s->set_schedule_callback(nullptr);
        s->set_channel_callback(nullptr);
        s->set_error_handler(nullptr);
        // Script tasklets cannot run without us: drop their frames now, while
        // the objects they point at still exist.
        for (const spindle::Tasklet& t : s->all_tasklets()) {
            if (t.script_state()) s->discard_script_tasklet(t);
        }
    }
    native_wrappers_.clear();
    channel_wrappers_.clear();
    release_pooled_threads();
    live_.unlink(this, g_newest_live, &Interpreter::live_);
    spindle::Scheduler::set_active(was_scheduler);
    if (was != this) {
        g_interpreter = was;
        detail::g_current_heap = was_heap;
    } else {
        g_interpreter = live_.previous;
        if (live_.previous) live_.previous->heap_.activate();
    }
}

void Interpreter::activate() noexcept {
    set_current_interpreter(this);
    heap_.activate();
    if (scheduler_) scheduler_->make_active();
}

void Interpreter::setup_names() {
    auto n = [this](const char* text) { return intern(text); };
    names.init = n("__init__");
    names.new_ = n("__new__");
    names.repr = n("__repr__");
    names.str = n("__str__");
    names.eq = n("__eq__");
    names.ne = n("__ne__");
    names.lt = n("__lt__");
    names.le = n("__le__");
    names.gt = n("__gt__");
    names.ge = n("__ge__");
    names.hash = n("__hash__");
    names.len = n("__len__");
    names.bool_ = n("__bool__");
    names.getitem = n("__getitem__");
    names.setitem = n("__setitem__");
    names.delitem = n("__delitem__");
    names.contains = n("__contains__");
    names.iter = n("__iter__");
    names.next = n("__next__");
    names.enter = n("__enter__");
    names.exit = n("__exit__");
    names.call = n("__call__");
    names.name = n("__name__");
    names.qualname = n("__qualname__");
    names.module = n("__module__");
    names.class_ = n("__class__");
    names.dict = n("__dict__");
    names.doc = n("__doc__");
    names.main = n("__main__");
    names.builtins = n("builtins");
    names.args = n("args");
    names.format = n("__format__");
    names.self = n("self");
    names.getattr = n("__getattr__");
    static const char* const ops[] = {"add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "lshift", "rshift", "or", "xor", "and", "matmul"};
    for (int i = 0; i < 13; ++i) {
        names.binary[i] = n(("__" + std::string(ops[i]) + "__").c_str());
        names.rbinary[i] = n(("__r" + std::string(ops[i]) + "__").c_str());
        names.ibinary[i] = n(("__i" + std::string(ops[i]) + "__").c_str());
    }
    for (int i = 13; i < 16; ++i) names.binary[i] = names.rbinary[i] = names.ibinary[i] = n("__unused__");
}

ClassObj* Interpreter::new_class(std::string_view name, ClassObj* base, bool builtin) {
    ClassObj* cls = heap_.make<ClassObj>();
    cls->name = intern(name);
    cls->base = base;
    cls->is_builtin = builtin;
    cls->is_exception = base && base->is_exception;
    cls->dict = new_dict();
    cls->root_shape = shapes_.emplace_back(std::make_unique<Shape>()).get();
    return cls;
}

ClassObj* Interpreter::new_exception_class(std::string_view name, ClassObj* base) {
    ClassObj* cls = new_class(name, base, true);
    cls->is_exception = true;
    return cls;
}

void Interpreter::setup_types() {
    types.object = new_class("object", nullptr, true);
    auto builtin = [this](const char* name) { return new_class(name, types.object, true); };
    types.type = builtin("type");
    types.NoneType = builtin("NoneType");
    types.int_ = builtin("int");
    types.bool_ = new_class("bool", types.int_, true);
    types.float_ = builtin("float");
    types.str = builtin("str");
    types.tuple = builtin("tuple");
    types.list = builtin("list");
    types.dict = builtin("dict");
    types.set = builtin("set");
    types.frozenset = builtin("frozenset");
    types.range = builtin("range");
    types.slice = builtin("slice");
    types.function = builtin("function");
    types.method = builtin("method");
    types.builtin = builtin("builtin_function_or_method");
    types.module = builtin("module");
    types.iterator = builtin("iterator");
    types.code = builtin("code");
    types.cell = builtin("cell");
    types.frame = builtin("frame");  // tasklet.frame's snapshots (module_stackless.cpp)
    types.NotImplementedType = builtin("NotImplementedType");
    types.super_ = builtin("super");
    not_implemented_ = Value::object(heap_.make<InstanceObj>(types.NotImplementedType));

    auto exc = [this](const char* name, ClassObj* base) { return new_exception_class(name, base); };
    types.BaseException = new_exception_class("BaseException", types.object);
    types.Exception = exc("Exception", types.BaseException);
    types.SystemExit = exc("SystemExit", types.BaseException);
    types.TaskletExit = exc("TaskletExit", types.SystemExit);
    types.KeyboardInterrupt = exc("KeyboardInterrupt", types.BaseException);
    types.StopIteration = exc("StopIteration", types.Exception);
    types.ArithmeticError = exc("ArithmeticError", types.Exception);
    types.ZeroDivisionError = exc("ZeroDivisionError", types.ArithmeticError);
    types.OverflowError = exc("OverflowError", types.ArithmeticError);
    types.AssertionError = exc("AssertionError", types.Exception);
    types.AttributeError = exc("AttributeError", types.Exception);
    types.LookupError = exc("LookupError", types.Exception);
    types.IndexError = exc("IndexError", types.LookupError);
    types.KeyError = exc("KeyError", types.LookupError);
    types.NameError = exc("NameError", types.Exception);
    types.UnboundLocalError = exc("UnboundLocalError", types.NameError);
    types.RuntimeError = exc("RuntimeError", types.Exception);
    types.RecursionError = exc("RecursionError", types.RuntimeError);
    types.NotImplementedError = exc("NotImplementedError", types.RuntimeError);
    types.TypeError = exc("TypeError", types.Exception);
    types.ValueError = exc("ValueError", types.Exception);
    types.MemoryError = exc("MemoryError", types.Exception);
    types.ImportError = exc("ImportError", types.Exception);
    types.ModuleNotFoundError = exc("ModuleNotFoundError", types.ImportError);
    types.UnicodeError = exc("UnicodeError", types.ValueError);
    types.ReferenceError = exc("ReferenceError", types.Exception);
    types.SystemError = exc("SystemError", types.Exception);
}

void Interpreter::setup_builtins() {
    builtins_ = new_module("builtins");
    register_module(builtins_);
    build_class_ = Value::object(new_native("__build_class__", build_class_native));
    install_builtins(*this);
    install_stackless_module(*this);
}

TupleObj* Interpreter::new_tuple(std::size_t n) {
    TupleObj* t = heap_.make<TupleObj>();
    t->items.reserve(n);
    return t;
}
ListObj* Interpreter::new_list(std::size_t n) {
    ListObj* l = heap_.make<ListObj>();
    l->items.reserve(n);
    return l;
}
DictObj* Interpreter::new_dict() { return heap_.make<DictObj>(); }
SetObj* Interpreter::new_set() { return heap_.make<SetObj>(); }

NativeObj* Interpreter::new_native(std::string_view name, NativeFn fn, Value self) {
    NativeObj* native = heap_.make<NativeObj>(fn, intern(name));
    native->self = self;
    return native;
}

ModuleObj* Interpreter::new_module(std::string_view name) {
    ModuleObj* m = heap_.make<ModuleObj>();
    m->name = intern(name);
    m->globals = new_dict();
    define(m->globals, "__name__", Value::object(m->name));
    return m;
}

void Interpreter::define(DictObj* ns, std::string_view name, Value value) {
    table::insert(*this, ns->table, Value::object(intern(name)), value);
}

void Interpreter::define_function(ModuleObj* module, std::string_view name, NativeFn fn) {
    define(module->globals, name, Value::object(new_native(name, fn)));
}

void Interpreter::define_method(ClassObj* cls, std::string_view name, NativeFn fn) {
    define(cls->dict, name, Value::object(new_native(name, fn)));
}

void Interpreter::define_static_method(ClassObj* cls, std::string_view name, NativeFn fn) {
    NativeObj* native = new_native(name, fn);
    native->is_static = true;
    define(cls->dict, name, Value::object(native));
}

void Interpreter::write_stdout(std::string_view text) {
    if (options_.write_stdout) options_.write_stdout(text);
    else std::cout.write(text.data(), static_cast<std::streamsize>(text.size()));
}

// ============================================================================
// [STRINGS]
// ============================================================================

StrObj* Interpreter::intern(std::string_view text) {
    auto it = interned_.find(text);
    if (it != interned_.end()) return it->second;
    StrObj* s = heap_.make<StrObj>(text);
    s->interned = true;
    interned_.emplace(s->view(), s);
    return s;
}

// Strings made at run time are ordinary collectable objects; only names and
// constants are interned (interned strings live as long as the interpreter).
StrObj* Interpreter::new_str(std::string_view text) { return heap_.make<StrObj>(text); }

// ============================================================================
// [ERRORS]
// ============================================================================

bool Interpreter::raise(ClassObj* type, std::string_view message) {
    ExceptionObj* e = heap_.make<ExceptionObj>(type);
    e->args = new_tuple();
    e->args->items.push_back(str(message));
    pending_ = Value::object(e);
    return false;
}

bool Interpreter::raise_without_args(ClassObj* type) {
    ExceptionObj* e = heap_.make<ExceptionObj>(type);
    e->args = new_tuple();
    pending_ = Value::object(e);
    return false;
}

bool Interpreter::raise_value(Value exception) {
    pending_ = exception;
    return false;
}

bool Interpreter::raise_memory_error() {
    // Make room for the exception object itself: lift the cap for a moment.
    const std::size_t cap = heap_.max_bytes();
    heap_.set_max_bytes(0);
    ExceptionObj* e = heap_.make<ExceptionObj>(types.MemoryError);
    e->args = new_tuple();
    heap_.set_max_bytes(cap);
    pending_ = Value::object(e);
    return false;
}

Value Interpreter::take_pending() noexcept {
    Value v = pending_;
    pending_ = Value();
    return v;
}

// `raise exc [from cause]`: instantiate a class, validate, set the context.
bool Interpreter::raise_from(Value exc, Value cause) {
    if (exc.is_obj() && exc.o->kind == ObjKind::Class && static_cast<ClassObj*>(exc.o)->is_exception) {
        Value instance;
        if (!call(exc, nullptr, 0, instance)) return false;
        exc = instance;
    }
    if (!(exc.is_obj() && exc.o->kind == ObjKind::Exception)) {
        return raise_type_error("exceptions must derive from BaseException");
    }
    auto* e = static_cast<ExceptionObj*>(exc.o);
    if (!cause.is_undef()) {
        if (cause.is_obj() && cause.o->kind == ObjKind::Class && static_cast<ClassObj*>(cause.o)->is_exception) {
            Value instance;
            if (!call(cause, nullptr, 0, instance)) return false;
            cause = instance;
        }
        if (!cause.is_none() && !(cause.is_obj() && cause.o->kind == ObjKind::Exception)) {
            return raise_type_error("exception causes must derive from BaseException");
        }
        e->cause = cause;
        e->suppress_context = true;
    }
    Thread& t = *current_thread_;
    if (!t.handled_exception.is_none() && !t.handled_exception.identical(exc) && e->context.is_none()) {
        e->context = t.handled_exception;
    }
    pending_ = exc;
    return false;
}

bool Interpreter::exception_matches(Value exception, Value type, bool& out) {
    ClassObj* cls = type_of(exception);
    auto matches_one = [&](Value t, bool& ok) {
        if (!(t.is_obj() && t.o->kind == ObjKind::Class && static_cast<ClassObj*>(t.o)->is_exception)) {
            return raise_type_error("catching classes that do not inherit from BaseException is not allowed");
        }
        ok = is_subclass(cls, static_cast<ClassObj*>(t.o));
        return true;
    };
    if (type.is_obj() && type.o->kind == ObjKind::Tuple) {
        out = false;
        for (const Value& t : static_cast<TupleObj*>(type.o)->items) {
            bool ok = false;
            if (!matches_one(t, ok)) return false;
            if (ok) {
                out = true;
                return true;
            }
        }
        return true;
    }
    return matches_one(type, out);
}

namespace {

constexpr std::size_t kTracebackLimit = 1000;        // sys.tracebacklimit's default
constexpr std::size_t kTracebackRepeatCutoff = 3;     // CPython's TB_RECURSIVE_CUTOFF

std::string source_line(const std::string& filename, int line) {
    std::ifstream in(filename);
    std::string text;
    for (int i = 0; i < line && std::getline(in, text); ++i) {
    }
    if (!in && text.empty()) return "";
    const std::size_t start = text.find_first_not_of(" \t");
    if (start == std::string::npos) return "";
    const std::size_t end = text.find_last_not_of(" \t\r");
    return text.substr(start, end - start + 1);
}

void append_repeat_count(std::string& text, std::size_t repeats) {
    if (repeats <= kTracebackRepeatCutoff) return;
    const std::size_t more = repeats - kTracebackRepeatCutoff;
    text += "  [Previous line repeated " + std::to_string(more) + (more > 1 ? " more times]\n" : " more time]\n");
}

// The entries of a traceback, outermost first, as CPython's tb_printinternal
// prints them: the newest 1000 only, and a run of identical entries (a
// recursion) cut to three and a count.
std::string format_traceback(const tracked_vector<TraceEntry>& traceback) {
    std::string text;
    const std::size_t shown = std::min(traceback.size(), kTracebackLimit);
    const TraceEntry* last = nullptr;
    std::size_t repeats = 0;
    for (auto it = traceback.rbegin() + static_cast<std::ptrdiff_t>(traceback.size() - shown); it != traceback.rend(); ++it) {
        const bool same = last && last->line == it->line && last->code->filename->view() == it->code->filename->view() &&
                          last->code->name->view() == it->code->name->view();
        if (!same) {
            append_repeat_count(text, repeats);
            last = &*it;
            repeats = 0;
        }
        if (++repeats > kTracebackRepeatCutoff) continue;
        const std::string file(it->code->filename->view());
        text += "  File \"" + file + "\", line " + std::to_string(it->line) + ", in " + std::string(it->code->name->view()) + "\n";
        const std::string src = source_line(file, it->line);
        if (!src.empty()) text += "    " + src + "\n";
    }
    append_repeat_count(text, repeats);
    return text;
}

}  // namespace

// Formats an exception the way CPython prints it, causes and contexts first.
void Interpreter::report_error(Value exception) {
    std::string text;
    std::function<void(Value, int)> emit = [&](Value v, int depth) {
        auto* e = static_cast<ExceptionObj*>(v.o);
        if (depth < 10) {
            if (e->cause.is_obj()) {
                emit(e->cause, depth + 1);
                text += "\nThe above exception was the direct cause of the following exception:\n\n";
            } else if (!e->suppress_context && e->context.is_obj()) {
                emit(e->context, depth + 1);
                text += "\nDuring handling of the above exception, another exception occurred:\n\n";
            }
        }
        if (!e->traceback.empty()) text += "Traceback (most recent call last):\n" + format_traceback(e->traceback);
        std::string message;
        Value saved = take_pending();
        if (!to_str(v, message)) {
            take_pending();
            message = "<exception str() failed>";
        }
        pending_ = saved;
        std::string type(e->cls->name->view());
        if (e->cls->module_name && !e->cls->is_builtin && e->cls->module_name->view() != "__main__" &&
            e->cls->module_name->view() != "builtins")
            type = std::string(e->cls->module_name->view()) + "." + type;
        text += message.empty() ? type + "\n" : type + ": " + message + error_suggestion(*this, v, message) + "\n";
    };
    emit(exception, 0);
    auto* e = static_cast<ExceptionObj*>(exception.o);
    last_error_.type = std::string(e->cls->name->view());
    std::string message;
    if (!to_str(exception, message)) take_pending();
    last_error_.message = message;
    last_error_.traceback = text;
    last_error_.exit_status = is_instance(exception, types.KeyboardInterrupt) ? 130 : 1;
    if (is_instance(exception, types.SystemExit)) {
        // CPython exits without a traceback: code None -> 0, an int -> that
        // status, anything else is printed to stderr and exits with 1.
        const std::size_t n = e->args ? e->args->items.size() : 0;
        const Value code = n == 0 ? Value() : n == 1 ? e->args->items[0] : Value::object(e->args);
        last_error_.traceback.clear();
        if (code.is_none()) {
            last_error_.exit_status = 0;
        } else if (code.is_intlike()) {
            last_error_.exit_status = static_cast<int>(code.as_int());
        } else {
            std::string shown;
            if (!to_str(code, shown)) take_pending();
            last_error_.traceback = shown + "\n";
        }
    }
}

// ============================================================================
// [MODULES]
// ============================================================================

void Interpreter::register_module(ModuleObj* module) { modules_[module->name] = module; }

ModuleObj* Interpreter::find_module(StrObj* name) const {
    auto it = modules_.find(name);
    return it == modules_.end() ? nullptr : it->second;
}

// Imports a builtin module, or NAME.py beside the main script (once).
bool Interpreter::import_module(StrObj* name, Value& out) {
    if (ModuleObj* m = find_module(name)) {
        note_import(m);
        out = Value::object(m);
        return true;
    }
    const std::string file = (std::filesystem::path(script_directory_) / (std::string(name->view()) + ".py")).string();
    std::ifstream in(file, std::ios::binary);
    if (script_directory_.empty() || !in) {
        return raise(types.ModuleNotFoundError, "No module named '" + std::string(name->view()) + "'");
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string source = buffer.str();
    if (options_.on_script_source) options_.on_script_source(name->view(), source);
    script::ParseResult parsed = script::parse(source, file);
    if (!parsed.ok()) {
        return raise(types.ImportError, parsed.error().format());
    }
    CodeObj* code;
    try {
        code = compile_module(*this, parsed.module(), name->view());
    } catch (const script::CompileError& error) {
        return raise(types.ImportError, error.format());
    }
    ModuleObj* module = new_module(name->view());
    module->filename = intern(file);
    define(module->globals, "__file__", Value::object(module->filename));
    register_module(module);  // registered first: circular imports see the partial module
    Value ignored;
    Thread& t = *current_thread_;
    extra_roots_.push_back(Value::object(code));
    FunctionObj* fn = heap_.make<FunctionObj>();
    fn->code = code;
    fn->module = module;
    fn->name = code->name;
    fn->qualname = code->qualname;
    extra_roots_.pop_back();
    const bool ok = call(Value::object(fn), nullptr, 0, ignored);
    (void)t;
    if (!ok) {
        modules_.erase(module->name);
        return false;
    }
    out = Value::object(module);
    return true;
}

// ============================================================================
// [RUNNING]
// ============================================================================

bool Interpreter::run_code(CodeObj* code, ModuleObj* module) {
    FunctionObj* fn = heap_.make<FunctionObj>();
    fn->code = code;
    fn->module = module;
    fn->name = code->name;
    fn->qualname = code->qualname;
    Thread& t = *current_thread_;
    const std::uint32_t at = t.frames.empty() ? 0 : t.frames.back().sp;
    ensure_stack(t, static_cast<std::size_t>(at) + 2);
    t.stack[at] = Value::object(fn);
    const std::size_t depth = t.frames.size();
    CallOutcome outcome = call_function(t, fn, at, 0, nullptr, ReturnAction::Push);
    Value result;
    Exec exec = outcome == CallOutcome::Error ? Exec::Raised : Exec::Returned;
    try {
        if (outcome == CallOutcome::Pushed) exec = execute(t, depth, result);
        // The module body soft-switched (stackless.run(), a channel...):
        // run the others until main is current again, then resume it.
        spindle::Scheduler* s = scheduler_;
        while (exec == Exec::Switched && s) {
            spindle::Tasklet main = s->getmain();
            s->wait_until_current(main);
            current_thread_ = &t;
            s->script_resumed(main);
            exec = resume_thread(main, t, result);
        }
    } catch (const std::bad_alloc&) {
        raise_memory_error();
        exec = Exec::Raised;
    }
    if (exec != Exec::Returned) {
        report_error(take_pending());
        t.frames.resize(depth);
    }
    return exec == Exec::Returned;
}

bool Interpreter::run_source(std::string_view source, const std::string& filename) {
    script::ParseResult parsed = script::parse(source, filename);
    if (!parsed.ok()) throw parsed.error();
    CodeObj* code = compile_module(*this, parsed.module(), "__main__");
    ModuleObj* main = new_module("__main__");
    main->filename = intern(filename);
    define(main->globals, "__file__", Value::object(main->filename));
    register_module(main);
    return run_code(code, main);
}

bool Interpreter::run_main(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        script::CompileError error;
        error.filename = path;
        error.line = 0;
        error.message = "can't open file: No such file or directory";
        throw error;
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    // CPython names the main script by its absolute path (since 3.9).
    std::error_code ec;
    std::filesystem::path absolute = std::filesystem::absolute(path, ec);
    const std::string name = ec ? path : absolute.lexically_normal().string();
    script_directory_ = std::filesystem::path(name).parent_path().string();
    if (script_directory_.empty()) script_directory_ = ".";
    const std::string source = buffer.str();
    if (options_.on_script_source) options_.on_script_source("__main__", source);
    return run_source(source, name);
}

void Interpreter::mark_roots(Heap& heap) {
    for (auto& [text, s] : interned_) heap.mark(s);
    for (auto& [name, m] : modules_) heap.mark(m);
    mark_value(heap, not_implemented_);
    mark_value(heap, build_class_);
    mark_value(heap, pending_);
    for (const Value& v : extra_roots_) mark_value(heap, v);
    ClassObj** first = &types.object;
    ClassObj** last = &types.ReferenceError;
    for (ClassObj** c = first; c <= last; ++c) heap.mark(*c);
    mark_thread(heap, main_thread_);
    mark_value(heap, schedule_callback_);
    mark_value(heap, channel_callback_);
    mark_value(heap, error_handler_);
    mark_runtime_roots(heap);
    host_registry_->mark(heap);
}

void Interpreter::mark_thread(Heap& heap, const Thread& t) {
    std::size_t top = 0;
    for (const Frame& f : t.frames) {
        heap.mark(f.code);
        heap.mark(f.function);  // and through it the module
        mark_value(heap, f.aux);
        mark_value(heap, f.aux2);
        top = std::max<std::size_t>(top, f.sp);
    }
    for (std::size_t i = 0; i < top && i < t.stack.size(); ++i) mark_value(heap, t.stack[i]);
    for (const Block& b : t.blocks) mark_value(heap, b.saved_exception);
    mark_value(heap, t.handled_exception);
}

}  // namespace spindle::vm
