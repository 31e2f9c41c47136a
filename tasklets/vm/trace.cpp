#include "vm/trace.hpp"

#include "vm/binding.hpp"

namespace spindle::vm {
namespace {

void mark_table(Heap& heap, const Table& table) {
    for (const Table::Entry& e : table.entries) {
        if (e.deleted) continue;
        mark_value(heap, e.key);
        mark_value(heap, e.value);
    }
}

void mark_values(Heap& heap, const tracked_vector<Value>& values) {
    for (const Value& v : values) mark_value(heap, v);
}

void trace_instance(Heap& heap, InstanceObj& o) {
    heap.mark(o.cls);
    for (const Value& v : o.slots) mark_value(heap, v);
    heap.mark(o.dict);
    // Shapes are not heap objects, but their keys are strings that are.
    for (Shape* s = o.shape; s != nullptr; s = s->parent) heap.mark(s->key);
}

// A host object's C++ value may hold script values: its type's hook marks them.
void trace_host(Heap& heap, HostObj& o) {
    heap.mark(o.cls);
    if (o.type && o.type->trace) {
        Tracer tracer(heap);
        o.type->trace(o, tracer);
    }
}

}  // namespace

void mark_value(Heap& heap, const Value& value) {
    if (value.tag == Tag::Obj) heap.mark(value.o);
}

void trace_children(Heap& heap, Obj& object) {
    switch (object.kind) {
        case ObjKind::Str:
        case ObjKind::Range:
            return;
        case ObjKind::Tuple: return mark_values(heap, static_cast<TupleObj&>(object).items);
        case ObjKind::List: return mark_values(heap, static_cast<ListObj&>(object).items);
        case ObjKind::Dict: return mark_table(heap, static_cast<DictObj&>(object).table);
        case ObjKind::Set:
            for (const SetObj::Slot& slot : static_cast<SetObj&>(object).slots) mark_value(heap, slot.key);
            return;
        case ObjKind::Slice: {
            auto& o = static_cast<SliceObj&>(object);
            mark_value(heap, o.start);
            mark_value(heap, o.stop);
            mark_value(heap, o.step);
            return;
        }
        case ObjKind::Code: {
            auto& o = static_cast<CodeObj&>(object);
            heap.mark(o.name);
            heap.mark(o.qualname);
            heap.mark(o.filename);
            mark_values(heap, o.constants);
            for (StrObj* s : o.names) heap.mark(s);
            for (StrObj* s : o.local_names) heap.mark(s);
            return;
        }
        case ObjKind::Function: {
            auto& o = static_cast<FunctionObj&>(object);
            heap.mark(o.code);
            heap.mark(o.module);
            mark_values(heap, o.defaults);
            mark_values(heap, o.kw_defaults);
            for (CellObj* c : o.closure) heap.mark(c);
            heap.mark(o.name);
            heap.mark(o.qualname);
            heap.mark(o.defining_class);
            return;
        }
        case ObjKind::Cell: return mark_value(heap, static_cast<CellObj&>(object).value);
        case ObjKind::Class: {
            auto& o = static_cast<ClassObj&>(object);
            heap.mark(o.name);
            heap.mark(o.base);
            heap.mark(o.dict);
            heap.mark(o.module_name);
            heap.mark(o.dotted_name);
            for (Shape* s = o.root_shape; s != nullptr; s = s->parent) heap.mark(s->key);
            return;
        }
        case ObjKind::Instance: return trace_instance(heap, static_cast<InstanceObj&>(object));
        case ObjKind::Exception: {
            auto& o = static_cast<ExceptionObj&>(object);
            trace_instance(heap, o);
            heap.mark(o.args);
            for (const TraceEntry& t : o.traceback) heap.mark(t.code);
            mark_value(heap, o.cause);
            mark_value(heap, o.context);
            mark_value(heap, o.hint_object);
            heap.mark(o.hint_name);
            return;
        }
        case ObjKind::BoundMethod: {
            auto& o = static_cast<BoundMethodObj&>(object);
            mark_value(heap, o.self);
            mark_value(heap, o.function);
            return;
        }
        case ObjKind::Native: {
            auto& o = static_cast<NativeObj&>(object);
            heap.mark(o.name);
            mark_value(heap, o.self);
            mark_value(heap, o.data);
            return;
        }
        case ObjKind::Module: {
            auto& o = static_cast<ModuleObj&>(object);
            heap.mark(o.name);
            heap.mark(o.globals);
            heap.mark(o.filename);
            return;
        }
        case ObjKind::Iterator: {
            auto& o = static_cast<IteratorObj&>(object);
            mark_value(heap, o.source);
            mark_values(heap, o.parts);
            return;
        }
        case ObjKind::DictView: return heap.mark(static_cast<DictViewObj&>(object).dict);
        case ObjKind::Tasklet: {
            auto& o = static_cast<TaskletObj&>(object);
            heap.mark(o.cls);
            heap.mark(o.dict);
            trace_script_tasklet(heap, o.tasklet);
            return;
        }
        case ObjKind::Channel: {
            auto& o = static_cast<ChannelObj&>(object);
            heap.mark(o.cls);
            heap.mark(o.dict);
            return;
        }
        case ObjKind::Host: return trace_host(heap, static_cast<HostObj&>(object));
    }
}

std::size_t object_size(const Obj& object) noexcept {
    // A host object's C++ value makes it as big as its HostBox<T>.
    if (object.kind == ObjKind::Host) return static_cast<const HostObj&>(object).size;
    switch (object.kind) {
#define SPINDLE_KIND_SIZE(kind, name) \
    case ObjKind::kind:               \
        return sizeof(kind##Obj);
        SPINDLE_OBJECT_KINDS(SPINDLE_KIND_SIZE)
#undef SPINDLE_KIND_SIZE
    }
    return sizeof(Obj);
}

}  // namespace spindle::vm
