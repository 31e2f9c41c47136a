// Tasklet handle operations: argument checks with Stackless's messages, then
// the scheduler does the work.
#include "spindle/tasklet.hpp"
#include "spindle/sanitizer.hpp"

#include <map>
#include <unordered_map>

#include "spindle/block_pool.hpp"
#include "spindle/channel.hpp"
#include "spindle/scheduler.hpp"

namespace spindle {

TaskletObject::TaskletObject(Scheduler& scheduler, TaskletKind kind, std::uint64_t id)
    : kind_(kind), scheduler_(&scheduler), id_(id) {
    if (kind_ == TaskletKind::Script) new (&script_parts_) ScriptParts{nullptr, {}};
    else new (&native_) NativeParts();
    scheduler.register_tasklet(this);
}

namespace {

// Restore interfaces, by tasklet: few tasklets have one, so they live
// beside the tasklet objects rather than in each (a parked tasklet's size
// matters). One table per thread, as schedulers are.
thread_local std::unordered_map<const TaskletObject*, std::shared_ptr<NativeRestore>> g_restore;

std::map<std::string, NativeRestoreFactory, std::less<>>& restore_factories() {
    static std::map<std::string, NativeRestoreFactory, std::less<>> factories;
    return factories;
}

}  // namespace

void register_native_restore(std::string type_name, NativeRestoreFactory factory) {
    if (factory) restore_factories()[std::move(type_name)] = std::move(factory);
    else restore_factories().erase(type_name);
}

const NativeRestoreFactory* find_native_restore(std::string_view type_name) {
    auto& factories = restore_factories();
    const auto it = factories.find(type_name);
    return it == factories.end() ? nullptr : &it->second;
}

TaskletObject::~TaskletObject() {
    if (!g_restore.empty()) g_restore.erase(this);
    if (scheduler_ && scheduler_->reissues_ != 0) ChannelObject::forget_reissue(this);
    if (scheduler_) scheduler_->unregister_tasklet(this);
    destroy_script_state();
    if (kind_ != TaskletKind::Script) native_.~NativeParts();
}

void TaskletObject::destroy_script_state() noexcept {
    ScriptState* state = std::exchange(script_slot(), nullptr);
    if (!state) return;
    if (std::exchange(script_inline_, false)) state->~ScriptState();
    else delete state;
}

#if defined(SPINDLE_ASAN)
// AddressSanitizer must see every allocation and free to catch a use after free.
void* TaskletObject::operator new(std::size_t size) { return ::operator new(size); }
void TaskletObject::operator delete(void* p) noexcept { ::operator delete(p); }
#else
namespace {
// Tasklet objects live in a pool of their own (block_pool.hpp says why);
// a freed one is reused by the next spawn, so spawning costs no malloc.
thread_local BlockPool g_tasklet_pool(sizeof(TaskletObject));
}  // namespace

void* TaskletObject::operator new(std::size_t) { return g_tasklet_pool.allocate(); }

void TaskletObject::operator delete(void* p) noexcept { g_tasklet_pool.deallocate(p); }
#endif

void TaskletObject::last_reference_dropped() noexcept {
    if (scheduler_) scheduler_->release_tasklet(this);
    else delete this;
}

Tasklet Tasklet::create() {
    Scheduler& s = Scheduler::active();
    return Tasklet(new TaskletObject(s, TaskletKind::Native, s.next_id_++));
}

Tasklet Tasklet::create_script(std::unique_ptr<ScriptState> state) {
    Scheduler& s = Scheduler::active();
    Tasklet t(new TaskletObject(s, TaskletKind::Script, s.next_id_++));
    t.object_->script_slot() = state.release();
    return t;
}

ScriptState* Tasklet::script_state() const { return self().script(); }
void Tasklet::set_script_state(std::unique_ptr<ScriptState> state) {
    TaskletObject& t = self();
    t.destroy_script_state();
    t.script_slot() = state.release();
}

void Tasklet::unusable() const {
    if (!object_) throw RuntimeError("empty tasklet handle");
    throw RuntimeError("the tasklet's scheduler is gone");
}

// Stackless PyTasklet_BindEx: the checks, then the new state.
void Tasklet::check_bindable(bool with_args) const {
    TaskletObject& t = self();
    Scheduler& s = *t.scheduler_;
    if (&t == s.current_) throw RuntimeError("can't (re)bind the current tasklet");
    if (scheduled()) throw RuntimeError("tasklet is scheduled");
    if (nesting_level() != 0) throw RuntimeError("tasklet has C state on its stack");
    if (&t == s.main_ && !with_args) throw RuntimeError("can't unbind the main tasklet");
}

Tasklet& Tasklet::bind_script(bool has_function, bool with_args) {
    check_bindable(with_args);
    TaskletObject& t = self();
    t.bound_ = has_function;
    t.has_args_ = with_args && has_function;
    t.started_ = false;
    t.finished_ = false;
    t.tempval_.reset();
    return *this;
}

Tasklet& Tasklet::bind_body(std::function<void()> body, bool with_args) {
    check_bindable(with_args);
    TaskletObject& t = self();
    if (t.kind_ == TaskletKind::Script) throw RuntimeError("a script tasklet cannot take a C++ body");
    t.native_.body = std::move(body);
    t.bound_ = t.native_.body != nullptr;
    t.has_args_ = with_args && t.native_.body != nullptr;
    t.started_ = false;
    t.finished_ = false;
    t.tempval_.reset();
    return *this;
}

Tasklet& Tasklet::unbind() { return bind_body(nullptr, false); }

Tasklet& Tasklet::setup() {
    TaskletObject& t = self();
    if (t.alive()) throw RuntimeError("tasklet is alive");
    if (!t.bound_) throw RuntimeError("the tasklet was not bound to a function");
    t.has_args_ = true;
    t.started_ = false;
    t.finished_ = false;
    t.tempval_.reset();
    t.scheduler_->rq_insert(&t);
    return *this;
}

Tasklet& Tasklet::insert() {
    TaskletObject& t = self();
    t.scheduler_->insert(&t);
    return *this;
}

Tasklet& Tasklet::remove() {
    TaskletObject& t = self();
    t.scheduler_->remove(&t);
    return *this;
}

void Tasklet::run() {
    TaskletObject& t = self();
    t.scheduler_->run_remove(&t, false);
}

void Tasklet::switch_to() {
    TaskletObject& t = self();
    t.scheduler_->run_remove(&t, true);
}

void Tasklet::kill(bool pending) {
    TaskletObject& t = self();
    t.scheduler_->throw_bomb(&t, Payload::bomb(std::make_exception_ptr(TaskletExit())), pending, true);
}

void Tasklet::throw_exception(std::exception_ptr error, bool pending) {
    TaskletObject& t = self();
    bool is_exit = false;
    try {
        std::rethrow_exception(error);
    } catch (const TaskletExit&) {
        is_exit = true;
    } catch (...) {
    }
    t.scheduler_->throw_bomb(&t, Payload::bomb(std::move(error)), pending, is_exit);
}

bool Tasklet::set_atomic(bool flag) { return std::exchange(self().atomic_, flag); }
bool Tasklet::set_ignore_nesting(bool flag) { return std::exchange(self().ignore_nesting_, flag); }
void Tasklet::set_block_trap(bool flag) { self().block_trap_ = flag; }
void Tasklet::set_name(std::string name) { self().name_ = std::make_unique<std::string>(std::move(name)); }
void Tasklet::set_tempval(Payload value) { self().tempval_ = std::move(value); }
const Payload& Tasklet::tempval() const { return self().tempval_; }

std::uint64_t Tasklet::id() const { return self().id_; }
const std::string& Tasklet::name() const {
    static const std::string kUnnamed;
    const auto& name = self().name_;
    return name ? *name : kUnnamed;
}
TaskletKind Tasklet::kind() const { return self().kind_; }
bool Tasklet::alive() const { return self().alive(); }
bool Tasklet::blocked() const { return self().blocked_ != 0; }
int Tasklet::blocked_direction() const { return self().blocked_; }
bool Tasklet::paused() const {
    const TaskletObject& t = self();
    return t.alive() && t.floating();
}
bool Tasklet::scheduled() const { return !self().floating(); }
bool Tasklet::is_main() const { return self().kind_ == TaskletKind::Main; }
bool Tasklet::is_current() const {
    const TaskletObject& t = self();
    return t.scheduler_->current_ == &t;
}
bool Tasklet::atomic() const { return self().atomic_; }
bool Tasklet::ignore_nesting() const { return self().ignore_nesting_; }
bool Tasklet::block_trap() const { return self().block_trap_; }
bool Tasklet::preemption_pending() const { return self().pending_irq_; }
void Tasklet::restore_preemption_pending(bool pending) { self().pending_irq_ = pending; }
// A native tasklet keeps C++ frames on its own stack: it cannot be pickled
// and resumed elsewhere unless it implements the restore interface. A script
// tasklet cannot either while it waits on a stack of its own (it blocked
// inside a call from C++).
bool Tasklet::restorable() const {
    const TaskletObject& t = self();
    if (t.kind_ == TaskletKind::Script) return !t.context_;
    return !t.started_ || t.finished_ || restore_interface() != nullptr;
}
Tasklet& Tasklet::set_restore(std::shared_ptr<NativeRestore> restore) {
    TaskletObject& t = self();
    if (t.kind_ != TaskletKind::Native) throw RuntimeError("only a native tasklet takes a restore interface");
    if (restore) g_restore[&t] = std::move(restore);
    else g_restore.erase(&t);
    return *this;
}
NativeRestore* Tasklet::restore_interface() const {
    const TaskletObject& t = self();
    if (g_restore.empty()) return nullptr;
    const auto it = g_restore.find(&t);
    return it == g_restore.end() ? nullptr : it->second.get();
}
int Tasklet::nesting_level() const {
    const TaskletObject& t = self();
    // Main runs on the thread's own stack, so like a native tasklet it has C
    // state: Stackless refuses to rebind main while it waits in run().
    if (t.kind_ == TaskletKind::Script) return t.context_ ? 1 : 0;
    return (t.started_ && !t.finished_) ? 1 : 0;
}
bool Tasklet::sleeping() const { return self().wake_frame_ >= 0; }
std::uint64_t Tasklet::ticks() const { return self().ticks_; }
std::int64_t Tasklet::wake_frame() const { return self().wake_frame_; }

Tasklet Tasklet::next() const {
    const TaskletObject& t = self();
    ChainNode* n = t.next;
    return (n == nullptr || (t.channel_ && t.channel_->is_sentinel(n))) ? Tasklet() : Tasklet(static_cast<TaskletObject*>(n));
}
Tasklet Tasklet::prev() const {
    const TaskletObject& t = self();
    ChainNode* n = t.prev;
    return (n == nullptr || (t.channel_ && t.channel_->is_sentinel(n))) ? Tasklet() : Tasklet(static_cast<TaskletObject*>(n));
}
ChannelObject* Tasklet::channel() const { return self().channel_; }

}  // namespace spindle
