// Compiler implementation. Index:
//   [SCOPES]      the scope pass: which names are locals, cells, free, global
//   [EMITTER]     instructions, labels, constants, line table
//   [STATEMENTS]  code for each statement kind, with the fblock stack
//   [EXPRESSIONS] code for each expression kind
//   [FUNCTIONS]   defs, lambdas, classes, comprehensions: nested code objects
//   [STACK]       max stack depth by flow analysis
#include "vm/compiler.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <vector>

#include "vm/interpreter.hpp"
#include "vm/opcodes.hpp"
#include "vm/set.hpp"

namespace spindle::vm {
namespace {

using namespace spindle::script;

[[noreturn]] void fail(const std::string& filename, Location loc, const std::string& message) {
    CompileError error;
    error.filename = filename;
    error.line = loc.line;
    error.column = loc.column;
    error.message = message;
    throw error;
}

// ============================================================================
// [SCOPES]
// ============================================================================

enum SymbolFlag : std::uint16_t {
    kParam = 1,
    kAssigned = 2,
    kUsed = 4,
    kDeclGlobal = 8,
    kDeclNonlocal = 16,
    kFree = 32,   // resolved: captured from an enclosing function
    kCell = 64,   // resolved: captured by an inner function
};

enum class ScopeKind { Module, Function, Class, Comprehension };

struct Scope {
    ScopeKind kind;
    std::string name;
    std::string qualname;
    Scope* parent = nullptr;
    std::vector<std::string> order;  // first-appearance order: slot allocation is deterministic
    std::unordered_map<std::string, std::uint16_t> symbols;
    std::vector<std::unique_ptr<Scope>> children;
    std::vector<std::string> params;  // in slot order
    std::vector<std::string> freevars;
    std::unordered_map<std::string, Location> nonlocal_at;  // where each nonlocal was declared

    std::uint16_t& flags(const std::string& n) {
        auto [it, inserted] = symbols.try_emplace(n, 0);
        if (inserted) order.push_back(n);
        return it->second;
    }
    std::uint16_t get(const std::string& n) const {
        auto it = symbols.find(n);
        return it == symbols.end() ? 0 : it->second;
    }
    bool is_function_like() const { return kind == ScopeKind::Function || kind == ScopeKind::Comprehension; }
    // Bound here (and not declared global/nonlocal): a local of this scope.
    bool binds(const std::string& n) const {
        std::uint16_t f = get(n);
        return (f & (kParam | kAssigned)) && !(f & (kDeclGlobal | kDeclNonlocal));
    }
};

class ScopeBuilder {
public:
    ScopeBuilder(const std::string& filename, std::unordered_map<const void*, Scope*>& scopes)
        : filename_(filename), scopes_(scopes) {}

    std::unique_ptr<Scope> build(const Module& module) {
        auto root = std::make_unique<Scope>();
        root->kind = ScopeKind::Module;
        root->name = "<module>";
        scopes_[&module] = root.get();
        current_ = root.get();
        visit_body(module.body);
        resolve(*root);
        return root;
    }

private:
    Scope* push(ScopeKind kind, const void* node, const std::string& name) {
        auto scope = std::make_unique<Scope>();
        scope->kind = kind;
        scope->name = name;
        scope->parent = current_;
        std::string prefix;
        if (current_->kind == ScopeKind::Function || current_->kind == ScopeKind::Comprehension) {
            prefix = current_->qualname + ".<locals>.";
        } else if (current_->kind == ScopeKind::Class) {
            prefix = current_->qualname + ".";
        }
        scope->qualname = prefix + name;
        Scope* raw = scope.get();
        current_->children.push_back(std::move(scope));
        scopes_[node] = raw;
        current_ = raw;
        return raw;
    }
    void pop() { current_ = current_->parent; }

    void declare_param(const Arg& arg) {
        std::uint16_t& f = current_->flags(arg.name);
        if (f & kParam) fail(filename_, arg.loc, "duplicate argument '" + arg.name + "' in function definition");
        f |= kParam;
        current_->params.push_back(arg.name);
    }

    void visit_arguments_defaults(const Arguments& a) {
        for (const auto& d : a.defaults) visit(*d);
        for (const auto& d : a.kw_defaults)
            if (d) visit(*d);
    }
    void declare_params(const Arguments& a) {
        for (const Arg& arg : a.args) declare_param(arg);
        for (const Arg& arg : a.kwonlyargs) declare_param(arg);
        if (a.vararg) declare_param(*a.vararg);
        if (a.kwarg) declare_param(*a.kwarg);
    }

    void visit_body(const Body& body) {
        for (const auto& s : body) visit(*s);
    }

    void assign(const std::string& n) { current_->flags(n) |= kAssigned; }

    void visit(const Stmt& s) {
        switch (s.kind) {
            case StmtKind::FunctionDef: {
                auto& f = static_cast<const FunctionDefStmt&>(s);
                visit_arguments_defaults(f.args);
                assign(f.name);
                push(ScopeKind::Function, &f, f.name);
                declare_params(f.args);
                visit_body(f.body);
                pop();
                return;
            }
            case StmtKind::ClassDef: {
                auto& c = static_cast<const ClassDefStmt&>(s);
                if (c.base) visit(*c.base);
                assign(c.name);
                push(ScopeKind::Class, &c, c.name);
                visit_body(c.body);
                pop();
                return;
            }
            case StmtKind::Return: {
                auto& r = static_cast<const ReturnStmt&>(s);
                if (r.value) visit(*r.value);
                return;
            }
            case StmtKind::Delete:
                for (const auto& t : static_cast<const DeleteStmt&>(s).targets) visit(*t);
                return;
            case StmtKind::Assign: {
                auto& a = static_cast<const AssignStmt&>(s);
                visit(*a.value);
                for (const auto& t : a.targets) visit(*t);
                return;
            }
            case StmtKind::AugAssign: {
                auto& a = static_cast<const AugAssignStmt&>(s);
                visit(*a.value);
                if (a.target->kind == ExprKind::Name) {
                    current_->flags(static_cast<const NameExpr&>(*a.target).id) |= kAssigned | kUsed;
                } else {
                    visit(*a.target);
                }
                return;
            }
            case StmtKind::For: {
                auto& f = static_cast<const ForStmt&>(s);
                visit(*f.iter);
                visit(*f.target);
                visit_body(f.body);
                visit_body(f.orelse);
                return;
            }
            case StmtKind::While: {
                auto& w = static_cast<const WhileStmt&>(s);
                visit(*w.test);
                visit_body(w.body);
                visit_body(w.orelse);
                return;
            }
            case StmtKind::If: {
                auto& i = static_cast<const IfStmt&>(s);
                visit(*i.test);
                visit_body(i.body);
                visit_body(i.orelse);
                return;
            }
            case StmtKind::With: {
                auto& w = static_cast<const WithStmt&>(s);
                for (const auto& item : w.items) {
                    visit(*item.context_expr);
                    if (item.optional_vars) visit(*item.optional_vars);
                }
                visit_body(w.body);
                return;
            }
            case StmtKind::Raise: {
                auto& r = static_cast<const RaiseStmt&>(s);
                if (r.exc) visit(*r.exc);
                if (r.cause) visit(*r.cause);
                return;
            }
            case StmtKind::Try: {
                auto& t = static_cast<const TryStmt&>(s);
                visit_body(t.body);
                for (const auto& h : t.handlers) {
                    if (h.type) visit(*h.type);
                    if (h.name) assign(*h.name);
                    visit_body(h.body);
                }
                visit_body(t.orelse);
                visit_body(t.finalbody);
                return;
            }
            case StmtKind::Assert: {
                auto& a = static_cast<const AssertStmt&>(s);
                visit(*a.test);
                if (a.msg) visit(*a.msg);
                return;
            }
            case StmtKind::Import:
                for (const auto& alias : static_cast<const ImportStmt&>(s).names) {
                    if (alias.name.find('.') != std::string::npos)
                        fail(filename_, s.loc, "dotted module names are not supported");
                    assign(alias.asname ? *alias.asname : alias.name);
                }
                return;
            case StmtKind::ImportFrom:
                if (static_cast<const ImportFromStmt&>(s).module.find('.') != std::string::npos)
                    fail(filename_, s.loc, "dotted module names are not supported");
                for (const auto& alias : static_cast<const ImportFromStmt&>(s).names) {
                    assign(alias.asname ? *alias.asname : alias.name);
                }
                return;
            case StmtKind::Global:
            case StmtKind::Nonlocal: {
                auto& n = static_cast<const NamesStmt&>(s);
                const bool global = s.kind == StmtKind::Global;
                if (!global && current_->kind == ScopeKind::Module)
                    fail(filename_, s.loc, "nonlocal declaration not allowed at module level");
                for (const auto& name : n.names) {
                    std::uint16_t& f = current_->flags(name);
                    if (f & kParam)
                        fail(filename_, s.loc,
                             "name '" + name + "' is parameter and " + (global ? "global" : "nonlocal"));
                    if (f & (kAssigned | kUsed))  // CPython's symtable checks a use first
                        fail(filename_, s.loc,
                             "name '" + name + "' is " + ((f & kUsed) ? "used prior to " : "assigned to before ") +
                                 (global ? "global" : "nonlocal") + " declaration");
                    f |= global ? kDeclGlobal : kDeclNonlocal;
                    if (!global) current_->nonlocal_at.try_emplace(name, s.loc);
                }
                return;
            }
            case StmtKind::Expr: visit(*static_cast<const ExprStmt&>(s).value); return;
            case StmtKind::Pass:
            case StmtKind::Break:
            case StmtKind::Continue: return;
        }
    }

    void visit_comprehension(const ComprehensionExpr& c, const std::string& name) {
        visit(*c.generators[0].iter);  // the first iterable is evaluated outside
        push(ScopeKind::Comprehension, &c, name);
        current_->flags(".0") |= kParam;
        current_->params.push_back(".0");
        for (std::size_t i = 0; i < c.generators.size(); ++i) {
            const Comprehension& g = c.generators[i];
            if (i > 0) visit(*g.iter);
            visit(*g.target);
            for (const auto& cond : g.ifs) visit(*cond);
        }
        if (c.elt) visit(*c.elt);
        if (c.key) visit(*c.key);
        if (c.value) visit(*c.value);
        pop();
    }

    void visit(const Expr& e) {
        switch (e.kind) {
            case ExprKind::Name: {
                auto& n = static_cast<const NameExpr&>(e);
                current_->flags(n.id) |= n.ctx == ExprContext::Load ? kUsed : kAssigned;
                return;
            }
            case ExprKind::Constant: return;
            case ExprKind::JoinedStr:
                for (const auto& v : static_cast<const JoinedStrExpr&>(e).values) visit(*v);
                return;
            case ExprKind::FormattedValue: {
                auto& f = static_cast<const FormattedValueExpr&>(e);
                visit(*f.value);
                if (f.format_spec) visit(*f.format_spec);
                return;
            }
            case ExprKind::Tuple:
            case ExprKind::List:
            case ExprKind::Set:
                for (const auto& v : static_cast<const SequenceExpr&>(e).elts) visit(*v);
                return;
            case ExprKind::Dict: {
                auto& d = static_cast<const DictExpr&>(e);
                for (std::size_t i = 0; i < d.values.size(); ++i) {
                    if (d.keys[i]) visit(*d.keys[i]);
                    visit(*d.values[i]);
                }
                return;
            }
            case ExprKind::ListComp: return visit_comprehension(static_cast<const ComprehensionExpr&>(e), "<listcomp>");
            case ExprKind::SetComp: return visit_comprehension(static_cast<const ComprehensionExpr&>(e), "<setcomp>");
            case ExprKind::DictComp: return visit_comprehension(static_cast<const ComprehensionExpr&>(e), "<dictcomp>");
            case ExprKind::GeneratorExp:
                fail(filename_, e.loc, "generator expressions are not supported (use a list comprehension)");
            case ExprKind::Attribute: visit(*static_cast<const AttributeExpr&>(e).value); return;
            case ExprKind::Subscript: {
                auto& s = static_cast<const SubscriptExpr&>(e);
                visit(*s.value);
                visit(*s.slice);
                return;
            }
            case ExprKind::Slice: {
                auto& s = static_cast<const SliceExpr&>(e);
                if (s.lower) visit(*s.lower);
                if (s.upper) visit(*s.upper);
                if (s.step) visit(*s.step);
                return;
            }
            case ExprKind::Starred: visit(*static_cast<const StarredExpr&>(e).value); return;
            case ExprKind::Call: {
                auto& c = static_cast<const CallExpr&>(e);
                visit(*c.func);
                if (c.func->kind == ExprKind::Name && static_cast<const NameExpr&>(*c.func).id == "super") {
                    // zero-argument super() reads the first parameter of the enclosing function
                    if (current_->is_function_like() && !current_->params.empty()) current_->flags(current_->params[0]) |= kUsed;
                }
                for (const auto& a : c.args) visit(*a);
                for (const auto& k : c.keywords) visit(*k.value);
                return;
            }
            case ExprKind::Lambda: {
                auto& l = static_cast<const LambdaExpr&>(e);
                visit_arguments_defaults(l.args);
                push(ScopeKind::Function, &l, "<lambda>");
                declare_params(l.args);
                visit(*l.body);
                pop();
                return;
            }
            case ExprKind::UnaryOp: visit(*static_cast<const UnaryOpExpr&>(e).operand); return;
            case ExprKind::BinOp: {
                auto& b = static_cast<const BinOpExpr&>(e);
                if (b.op == BinOpKind::MatMult) fail(filename_, e.loc, "the @ operator is not supported");
                visit(*b.left);
                visit(*b.right);
                return;
            }
            case ExprKind::BoolOp:
                for (const auto& v : static_cast<const BoolOpExpr&>(e).values) visit(*v);
                return;
            case ExprKind::Compare: {
                auto& c = static_cast<const CompareExpr&>(e);
                visit(*c.left);
                for (const auto& v : c.comparators) visit(*v);
                return;
            }
            case ExprKind::IfExp: {
                auto& i = static_cast<const IfExpExpr&>(e);
                visit(*i.test);
                visit(*i.body);
                visit(*i.orelse);
                return;
            }
        }
    }

    // Decide free/cell/global for every scope below `scope`.
    void resolve(Scope& scope) {
        for (const std::string& name : std::vector<std::string>(scope.order)) {
            std::uint16_t f = scope.get(name);
            if (scope.kind == ScopeKind::Module || (f & kDeclGlobal)) continue;
            if (f & kDeclNonlocal) {
                if (!capture(scope, name))
                    fail(filename_, scope.nonlocal_at[name], "no binding for nonlocal '" + name + "' found");
                continue;
            }
            if (scope.binds(name)) continue;
            if (f & kUsed) capture(scope, name);  // implicit: free if an enclosing function binds it
        }
        for (auto& child : scope.children) resolve(*child);
    }

    // Links `name` used in `scope` to the nearest enclosing function that
    // binds it; intermediate scopes pass the cell through.
    bool capture(Scope& scope, const std::string& name) {
        std::vector<Scope*> path;
        for (Scope* s = scope.parent; s != nullptr; s = s->parent) {
            if (s->kind == ScopeKind::Module) return false;
            if (s->kind != ScopeKind::Class && (s->binds(name) || (s->get(name) & kFree))) {
                if (s->binds(name)) s->flags(name) |= kCell;
                mark_free(scope, name);
                for (Scope* p : path) mark_free(*p, name);
                return true;
            }
            path.push_back(s);
        }
        return false;
    }
    void mark_free(Scope& s, const std::string& name) {
        std::uint16_t& f = s.flags(name);
        if (!(f & kFree)) {
            f |= kFree;
            s.freevars.push_back(name);
        }
    }

    const std::string& filename_;
    std::unordered_map<const void*, Scope*>& scopes_;
    Scope* current_ = nullptr;
};

// ============================================================================
// [EMITTER]
// ============================================================================

using Label = int;

enum class FBlockKind { WhileLoop, ForLoop, TryExcept, FinallyTry, FinallyEnd, HandlerCleanup, With };

struct FBlock {
    FBlockKind kind;
    Label continue_label = -1;
    Label break_label = -1;
    const Body* finalbody = nullptr;        // FinallyTry
    const std::string* handler_name = nullptr;  // HandlerCleanup
};

class CodeGen {
public:
    CodeGen(Interpreter& interp, const std::string& filename, std::unordered_map<const void*, Scope*>& scopes,
            Scope& scope, std::string_view module_name)
        : interp_(interp), filename_(filename), scopes_(scopes), scope_(scope), module_name_(module_name) {
        assign_slots();
    }

    CodeObj* compile_module(const Module& m) {
        line_ = 1;
        for (const auto& s : m.body) statement(*s);
        emit(Op::LOAD_NONE);
        emit(Op::RETURN_VALUE);
        return finish("<module>", "<module>", 1, 0, 0, false, false);
    }

    CodeObj* compile_function(const Arguments& args, const Body& body, const std::string& name, int line) {
        line_ = line;
        prologue();
        for (const auto& s : body) statement(*s);
        emit(Op::LOAD_NONE);
        emit(Op::RETURN_VALUE);
        return finish(name, scope_.qualname, line, static_cast<std::uint32_t>(args.args.size()),
                      static_cast<std::uint32_t>(args.kwonlyargs.size()), args.vararg.has_value(),
                      args.kwarg.has_value());
    }

    CodeObj* compile_lambda(const LambdaExpr& l) {
        line_ = l.loc.line;
        prologue();
        expression(*l.body);
        emit(Op::RETURN_VALUE);
        return finish("<lambda>", scope_.qualname, l.loc.line, static_cast<std::uint32_t>(l.args.args.size()),
                      static_cast<std::uint32_t>(l.args.kwonlyargs.size()), l.args.vararg.has_value(),
                      l.args.kwarg.has_value());
    }

    CodeObj* compile_class_body(const ClassDefStmt& c) {
        line_ = c.loc.line;
        prologue();
        // __module__ and __qualname__ first, as CPython does.
        emit(Op::LOAD_GLOBAL, name_index("__name__"));
        emit(Op::STORE_NAME, name_index("__module__"));
        emit(Op::LOAD_CONST, str_constant(scope_.qualname));
        emit(Op::STORE_NAME, name_index("__qualname__"));
        for (const auto& s : c.body) statement(*s);
        emit(Op::LOAD_NONE);
        emit(Op::RETURN_VALUE);
        return finish(c.name, scope_.qualname, c.loc.line, 0, 0, false, false);
    }

    CodeObj* compile_comprehension(const ComprehensionExpr& c) {
        line_ = c.loc.line;
        prologue();
        switch (c.kind) {
            case ExprKind::ListComp: emit(Op::BUILD_LIST, 0); break;
            case ExprKind::SetComp: emit(Op::BUILD_SET, 0); break;
            default: emit(Op::BUILD_MAP, 0); break;
        }
        comprehension_loop(c, 0);
        emit(Op::RETURN_VALUE);
        const char* name = c.kind == ExprKind::ListComp ? "<listcomp>"
                           : c.kind == ExprKind::SetComp ? "<setcomp>"
                                                         : "<dictcomp>";
        return finish(name, scope_.qualname, c.loc.line, 1, 0, false, false);
    }

private:
    // ---- slots and names

    void assign_slots() {
        for (const std::string& p : scope_.params) local_slot(p);
        if (scope_.is_function_like()) {
            for (const std::string& n : scope_.order) {
                if (scope_.binds(n)) local_slot(n);
            }
        }
        if (scope_.kind == ScopeKind::Class) {
            // A class body's own cells are none (its names live in the namespace).
        }
        for (const std::string& n : scope_.freevars) {
            free_slots_[n] = static_cast<std::uint32_t>(free_order_.size());
            free_order_.push_back(n);
        }
    }
    std::uint32_t local_slot(const std::string& n) {
        auto it = local_slots_.find(n);
        if (it != local_slots_.end()) return it->second;
        std::uint32_t slot = static_cast<std::uint32_t>(local_order_.size());
        local_slots_[n] = slot;
        local_order_.push_back(n);
        return slot;
    }
    std::uint32_t free_slot(const std::string& n) const {
        return static_cast<std::uint32_t>(local_order_.size()) + free_slots_.at(n);
    }

    // Cells for captured locals are made before the body runs.
    void prologue() {
        for (const std::string& n : local_order_) {
            if (scope_.get(n) & kCell) emit(Op::MAKE_CELL, local_slots_.at(n));
        }
    }

    enum class Access { Fast, Deref, Global, Name, ClassDeref };
    Access access_of(const std::string& n) const {
        const std::uint16_t f = scope_.get(n);
        switch (scope_.kind) {
            case ScopeKind::Module: return Access::Global;
            case ScopeKind::Class:
                if (f & kDeclGlobal) return Access::Global;
                if ((f & kFree) && !(f & kAssigned)) return Access::ClassDeref;
                return Access::Name;
            default:
                if (f & kDeclGlobal) return Access::Global;
                if (f & kFree) return Access::Deref;
                if (scope_.binds(n)) return (f & kCell) ? Access::Deref : Access::Fast;
                return Access::Global;
        }
    }
    std::uint32_t slot_of(const std::string& n) const {
        auto it = local_slots_.find(n);
        return it != local_slots_.end() ? it->second : free_slot(n);
    }

    // `local.attr` (self.x): one instruction instead of LOAD_FAST and
    // LOAD/STORE_ATTR, when the slot and name fit the packed operand and the
    // name stands on the instruction's line (so errors report the same line).
    bool fuse_local_attr(const Expr& value, const std::string& attr, std::uint32_t& operand) {
        if (value.kind != ExprKind::Name || (value.loc.line > 0 && value.loc.line != line_)) return false;
        const std::string& n = static_cast<const NameExpr&>(value).id;
        if (access_of(n) != Access::Fast) return false;
        const std::uint32_t slot = slot_of(n);
        const std::uint32_t name = name_index(attr);
        if (slot > 0xff || name > (kMaxOperand >> 8)) return false;
        operand = (name << 8) | slot;
        return true;
    }

    void load_name(const std::string& n) {
        switch (access_of(n)) {
            case Access::Fast: return emit(Op::LOAD_FAST, slot_of(n));
            case Access::Deref: return emit(Op::LOAD_DEREF, slot_of(n));
            case Access::Global: return emit(Op::LOAD_GLOBAL, name_index(n));
            case Access::Name: return emit(Op::LOAD_NAME, name_index(n));
            case Access::ClassDeref: return emit(Op::LOAD_CLASS_DEREF, free_slot(n));
        }
    }
    void store_name(const std::string& n) {
        switch (access_of(n)) {
            case Access::Fast: return emit(Op::STORE_FAST, slot_of(n));
            case Access::Deref:
            case Access::ClassDeref: return emit(Op::STORE_DEREF, slot_of(n));
            case Access::Global: return emit(Op::STORE_GLOBAL, name_index(n));
            case Access::Name: return emit(Op::STORE_NAME, name_index(n));
        }
    }
    void delete_name(const std::string& n) {
        switch (access_of(n)) {
            case Access::Fast: return emit(Op::DELETE_FAST, slot_of(n));
            case Access::Deref:
            case Access::ClassDeref: return emit(Op::DELETE_DEREF, slot_of(n));
            case Access::Global: return emit(Op::DELETE_GLOBAL, name_index(n));
            case Access::Name: return emit(Op::DELETE_NAME, name_index(n));
        }
    }

    // ---- instructions

    void emit(Op op, std::uint32_t operand = 0) {
        if (operand > kMaxOperand) fail(filename_, {line_, 0}, "too many constants, names or instructions in one function");
        if (lines_.empty() || lines_.back().line != line_) {
            if (!lines_.empty() && lines_.back().pc == code_.size()) lines_.back().line = line_;
            else lines_.push_back(LineEntry{static_cast<std::uint32_t>(code_.size()), line_});
        }
        code_.push_back(encode(op, operand));
    }
    Label new_label() {
        labels_.push_back(-1);
        return static_cast<Label>(labels_.size() - 1);
    }
    void bind(Label l) { labels_[static_cast<std::size_t>(l)] = static_cast<int>(code_.size()); }
    void emit_jump(Op op, Label l) {
        patches_.push_back({code_.size(), l});
        emit(op, 0);
    }

    std::uint32_t add_constant(Value v) {
        for (std::size_t i = 0; i < constants_.size(); ++i) {
            // Same tag and bits: True is not 1, 0.0 is not -0.0, nor 0.
            if (constants_[i].identical(v)) return static_cast<std::uint32_t>(i);
        }
        constants_.push_back(v);
        return static_cast<std::uint32_t>(constants_.size() - 1);
    }
    std::uint32_t str_constant(const std::string& s) { return add_constant(Value::object(interp_.intern(s))); }
    std::uint32_t name_index(const std::string& n) {
        auto it = name_indices_.find(n);
        if (it != name_indices_.end()) return it->second;
        std::uint32_t index = static_cast<std::uint32_t>(names_.size());
        names_.push_back(n);
        name_indices_[n] = index;
        return index;
    }

    CodeObj* finish(const std::string& name, const std::string& qualname, int first_line, std::uint32_t argc,
                    std::uint32_t kwonly, bool varargs, bool varkw) {
        for (const auto& [at, label] : patches_) {
            const int target = labels_[static_cast<std::size_t>(label)];
            code_[at] = encode(decode_op(code_[at]), static_cast<std::uint32_t>(target));
        }
        CodeObj* code = interp_.heap().make<CodeObj>();
        code->name = interp_.intern(name);
        code->qualname = interp_.intern(qualname);
        code->filename = interp_.intern(filename_);
        code->first_line = first_line;
        code->code.assign(code_.begin(), code_.end());
        code->constants.assign(constants_.begin(), constants_.end());
        for (const std::string& n : names_) code->names.push_back(interp_.intern(n));
        for (const std::string& n : local_order_) code->local_names.push_back(interp_.intern(n));
        for (const std::string& n : free_order_) code->local_names.push_back(interp_.intern(n));
        code->lines.assign(lines_.begin(), lines_.end());
        code->arg_count = argc;
        code->kwonly_count = kwonly;
        code->has_varargs = varargs;
        code->has_varkw = varkw;
        code->local_count = static_cast<std::uint32_t>(local_order_.size());
        code->free_count = static_cast<std::uint32_t>(free_order_.size());
        const int depth = compute_max_stack(*code);
        if (depth < 0) fail(filename_, {first_line, 0}, "internal compiler error: inconsistent stack depth");
        code->max_stack = static_cast<std::uint32_t>(depth);
        return code;
    }

    // ============================================================================
    // [STATEMENTS]
    // ============================================================================

    void body(const Body& b) {
        for (const auto& s : b) statement(*s);
    }

    void statement(const Stmt& s) {
        line_ = s.loc.line;
        switch (s.kind) {
            case StmtKind::FunctionDef: return function_def(static_cast<const FunctionDefStmt&>(s));
            case StmtKind::ClassDef: return class_def(static_cast<const ClassDefStmt&>(s));
            case StmtKind::Return: return return_stmt(static_cast<const ReturnStmt&>(s));
            case StmtKind::Delete:
                for (const auto& t : static_cast<const DeleteStmt&>(s).targets) delete_target(*t);
                return;
            case StmtKind::Assign: {
                auto& a = static_cast<const AssignStmt&>(s);
                expression(*a.value);
                for (std::size_t i = 0; i < a.targets.size(); ++i) {
                    if (i + 1 < a.targets.size()) emit(Op::DUP_TOP);
                    store_target(*a.targets[i]);
                }
                return;
            }
            case StmtKind::AugAssign: return aug_assign(static_cast<const AugAssignStmt&>(s));
            case StmtKind::For: return for_stmt(static_cast<const ForStmt&>(s));
            case StmtKind::While: return while_stmt(static_cast<const WhileStmt&>(s));
            case StmtKind::If: return if_stmt(static_cast<const IfStmt&>(s));
            case StmtKind::With: return with_stmt(static_cast<const WithStmt&>(s), 0);
            case StmtKind::Raise: {
                auto& r = static_cast<const RaiseStmt&>(s);
                std::uint32_t n = 0;
                if (r.exc) {
                    expression(*r.exc);
                    ++n;
                    if (r.cause) {
                        expression(*r.cause);
                        ++n;
                    }
                }
                return emit(Op::RAISE_VARARGS, n);
            }
            case StmtKind::Try: {
                auto& t = static_cast<const TryStmt&>(s);
                if (!t.finalbody.empty()) return try_finally(t);
                return try_except(t);
            }
            case StmtKind::Assert: {
                auto& a = static_cast<const AssertStmt&>(s);
                Label ok = new_label();
                expression(*a.test);
                emit_jump(Op::POP_JUMP_IF_TRUE, ok);
                emit(Op::LOAD_ASSERTION_ERROR);
                if (a.msg) {
                    expression(*a.msg);
                    emit(Op::CALL, 1);
                }
                emit(Op::RAISE_VARARGS, 1);
                bind(ok);
                return;
            }
            case StmtKind::Import:
                for (const auto& alias : static_cast<const ImportStmt&>(s).names) {
                    emit(Op::IMPORT_NAME, name_index(alias.name));
                    store_name(alias.asname ? *alias.asname : alias.name);
                }
                return;
            case StmtKind::ImportFrom: {
                auto& i = static_cast<const ImportFromStmt&>(s);
                emit(Op::IMPORT_NAME, name_index(i.module));
                for (const auto& alias : i.names) {
                    emit(Op::IMPORT_FROM, name_index(alias.name));
                    store_name(alias.asname ? *alias.asname : alias.name);
                }
                emit(Op::POP_TOP);
                return;
            }
            case StmtKind::Global:
            case StmtKind::Nonlocal:
            case StmtKind::Pass: return;
            case StmtKind::Expr:
                expression(*static_cast<const ExprStmt&>(s).value);
                emit(Op::POP_TOP);
                return;
            case StmtKind::Break: return break_stmt(s.loc);
            case StmtKind::Continue: return continue_stmt(s.loc);
        }
    }

    void if_stmt(const IfStmt& s) {
        Label orelse = new_label(), end = new_label();
        expression(*s.test);
        emit_jump(Op::POP_JUMP_IF_FALSE, orelse);
        body(s.body);
        if (!s.orelse.empty()) emit_jump(Op::JUMP, end);
        bind(orelse);
        body(s.orelse);
        bind(end);
    }

    static bool is_true_constant(const Expr& e) {
        return e.kind == ExprKind::Constant && static_cast<const ConstantExpr&>(e).constant == ConstantKind::True;
    }

    void while_stmt(const WhileStmt& s) {
        Label top = new_label(), orelse = new_label(), end = new_label();
        bind(top);
        // `while True:` (the agent's loop) tests nothing, as in CPython.
        if (!is_true_constant(*s.test)) {
            expression(*s.test);
            emit_jump(Op::POP_JUMP_IF_FALSE, orelse);
        }
        fblocks_.push_back({FBlockKind::WhileLoop, top, end});
        body(s.body);
        fblocks_.pop_back();
        emit_jump(Op::JUMP, top);
        bind(orelse);
        body(s.orelse);
        bind(end);
    }

    void for_stmt(const ForStmt& s) {
        Label top = new_label(), exhausted = new_label(), end = new_label();
        iterable(*s.iter);
        emit(Op::GET_ITER);
        bind(top);
        emit_jump(Op::FOR_ITER, exhausted);
        store_target(*s.target);
        fblocks_.push_back({FBlockKind::ForLoop, top, end});
        body(s.body);
        fblocks_.pop_back();
        emit_jump(Op::JUMP, top);
        bind(exhausted);
        body(s.orelse);
        bind(end);
    }

    // Emits the clean-up that leaving `block` early needs. `preserve_top`: a
    // return value sits on top of the stack and must survive.
    void unwind(const FBlock& block, bool preserve_top) {
        switch (block.kind) {
            case FBlockKind::WhileLoop: return;
            case FBlockKind::ForLoop:
                if (preserve_top) emit(Op::ROT_TWO);
                emit(Op::POP_TOP);  // the iterator
                return;
            case FBlockKind::TryExcept: emit(Op::POP_BLOCK); return;
            case FBlockKind::FinallyTry:
                emit(Op::POP_BLOCK);
                body(*block.finalbody);  // fblocks_ holds only the blocks outside this one
                return;
            case FBlockKind::FinallyEnd:
                if (preserve_top) emit(Op::ROT_TWO);
                emit(Op::POP_TOP);  // the exception
                emit(Op::POP_EXCEPT);
                return;
            case FBlockKind::HandlerCleanup:
                if (block.handler_name) emit(Op::POP_BLOCK);
                emit(Op::POP_EXCEPT);
                if (block.handler_name) {
                    emit(Op::LOAD_NONE);
                    store_name(*block.handler_name);
                    delete_name(*block.handler_name);
                }
                return;
            case FBlockKind::With:
                emit(Op::POP_BLOCK);
                if (preserve_top) emit(Op::ROT_TWO);
                emit(Op::LOAD_NONE);
                emit(Op::LOAD_NONE);
                emit(Op::LOAD_NONE);
                emit(Op::CALL, 3);
                emit(Op::POP_TOP);
                return;
        }
    }

    // Emits the clean-up for leaving every block above `stop` (exclusive),
    // innermost first. While a block's clean-up is emitted (a finally body),
    // only the blocks outside it are active, then the stack is restored.
    void unwind_to(std::size_t stop, bool preserve_top) {
        const std::vector<FBlock> saved = fblocks_;
        for (std::size_t i = saved.size(); i-- > stop;) {
            fblocks_.assign(saved.begin(), saved.begin() + static_cast<std::ptrdiff_t>(i));
            unwind(saved[i], preserve_top);
        }
        fblocks_ = saved;
    }

    // The innermost loop block, or -1.
    std::ptrdiff_t innermost_loop() const {
        for (std::size_t i = fblocks_.size(); i-- > 0;) {
            if (fblocks_[i].kind == FBlockKind::WhileLoop || fblocks_[i].kind == FBlockKind::ForLoop)
                return static_cast<std::ptrdiff_t>(i);
        }
        return -1;
    }

    void return_stmt(const ReturnStmt& s) {
        if (!scope_.is_function_like()) fail(filename_, s.loc, "'return' outside function");
        if (s.value) expression(*s.value);
        else emit(Op::LOAD_NONE);
        unwind_to(0, true);
        emit(Op::RETURN_VALUE);
    }

    void break_stmt(Location loc) {
        const std::ptrdiff_t loop = innermost_loop();
        if (loop < 0) fail(filename_, loc, "'break' outside loop");
        const FBlock block = fblocks_[static_cast<std::size_t>(loop)];
        unwind_to(static_cast<std::size_t>(loop), false);  // includes the loop: a for pops its iterator
        emit_jump(Op::JUMP, block.break_label);
    }

    void continue_stmt(Location loc) {
        const std::ptrdiff_t loop = innermost_loop();
        if (loop < 0) fail(filename_, loc, "'continue' not properly in loop");
        const FBlock block = fblocks_[static_cast<std::size_t>(loop)];
        unwind_to(static_cast<std::size_t>(loop) + 1, false);
        emit_jump(Op::JUMP, block.continue_label);
    }

    void try_except(const TryStmt& t) {
        Label handler = new_label(), orelse = new_label(), end = new_label();
        emit_jump(Op::SETUP_FINALLY, handler);
        fblocks_.push_back({FBlockKind::TryExcept});
        body(t.body);
        fblocks_.pop_back();
        emit(Op::POP_BLOCK);
        emit_jump(Op::JUMP, orelse);

        bind(handler);  // the exception is on the stack; the VM saved the previously handled one
        for (std::size_t i = 0; i < t.handlers.size(); ++i) {
            const ExceptHandler& h = t.handlers[i];
            line_ = h.loc.line;
            if (!h.type && i + 1 < t.handlers.size()) fail(filename_, h.loc, "default 'except:' must be last");
            Label next = new_label();
            if (h.type) {
                emit(Op::DUP_TOP);
                expression(*h.type);
                emit_jump(Op::JUMP_IF_NOT_EXC_MATCH, next);
            }
            if (h.name) {
                store_name(*h.name);
                Label cleanup = new_label();
                emit_jump(Op::SETUP_FINALLY, cleanup);
                fblocks_.push_back({FBlockKind::HandlerCleanup, -1, -1, nullptr, &*h.name});
                body(h.body);
                fblocks_.pop_back();
                emit(Op::POP_BLOCK);
                emit(Op::POP_EXCEPT);
                emit(Op::LOAD_NONE);
                store_name(*h.name);
                delete_name(*h.name);
                emit_jump(Op::JUMP, end);
                bind(cleanup);  // an exception inside the handler: drop the name, re-raise
                emit(Op::LOAD_NONE);
                store_name(*h.name);
                delete_name(*h.name);
                emit(Op::RERAISE);
            } else {
                emit(Op::POP_TOP);
                fblocks_.push_back({FBlockKind::HandlerCleanup});
                body(h.body);
                fblocks_.pop_back();
                emit(Op::POP_EXCEPT);
                emit_jump(Op::JUMP, end);
            }
            bind(next);
        }
        emit(Op::RERAISE);  // no clause matched
        bind(orelse);
        body(t.orelse);
        bind(end);
    }

    void try_finally(const TryStmt& t) {
        Label handler = new_label(), end = new_label();
        emit_jump(Op::SETUP_FINALLY, handler);
        FBlock block{FBlockKind::FinallyTry};
        block.finalbody = &t.finalbody;
        fblocks_.push_back(block);
        if (!t.handlers.empty()) try_except(t);
        else body(t.body);
        fblocks_.pop_back();
        emit(Op::POP_BLOCK);
        body(t.finalbody);
        emit_jump(Op::JUMP, end);

        bind(handler);
        fblocks_.push_back({FBlockKind::FinallyEnd});
        body(t.finalbody);
        fblocks_.pop_back();
        emit(Op::RERAISE);
        bind(end);
    }

    void with_stmt(const WithStmt& w, std::size_t item) {
        if (item == w.items.size()) return body(w.body);
        const WithItem& it = w.items[item];
        Label handler = new_label(), suppress = new_label(), end = new_label();
        expression(*it.context_expr);
        emit(Op::DUP_TOP);
        emit(Op::LOAD_SPECIAL, name_index("__exit__"));
        emit(Op::ROT_TWO);
        emit(Op::LOAD_SPECIAL, name_index("__enter__"));
        emit(Op::CALL, 0);
        emit_jump(Op::SETUP_WITH, handler);
        if (it.optional_vars) store_target(*it.optional_vars);
        else emit(Op::POP_TOP);
        fblocks_.push_back({FBlockKind::With});
        with_stmt(w, item + 1);
        fblocks_.pop_back();
        emit(Op::POP_BLOCK);
        emit(Op::LOAD_NONE);
        emit(Op::LOAD_NONE);
        emit(Op::LOAD_NONE);
        emit(Op::CALL, 3);
        emit(Op::POP_TOP);
        emit_jump(Op::JUMP, end);

        bind(handler);  // [exit, exc]
        emit(Op::WITH_EXCEPT_START);
        emit_jump(Op::POP_JUMP_IF_TRUE, suppress);
        emit(Op::RERAISE);
        bind(suppress);
        emit(Op::POP_TOP);  // the exception
        emit(Op::POP_EXCEPT);
        emit(Op::POP_TOP);  // __exit__
        bind(end);
    }

    void aug_assign(const AugAssignStmt& a) {
        if (a.op == BinOpKind::MatMult) fail(filename_, a.loc, "the @ operator is not supported");
        const std::uint32_t op = static_cast<std::uint32_t>(a.op) | kInplaceFlag;
        switch (a.target->kind) {
            case ExprKind::Name: {
                const auto& n = static_cast<const NameExpr&>(*a.target);
                load_name(n.id);
                expression(*a.value);
                emit(Op::BINARY_OP, op);
                store_name(n.id);
                return;
            }
            case ExprKind::Attribute: {
                const auto& t = static_cast<const AttributeExpr&>(*a.target);
                expression(*t.value);
                emit(Op::DUP_TOP);
                emit(Op::LOAD_ATTR, name_index(t.attr));
                expression(*a.value);
                emit(Op::BINARY_OP, op);
                emit(Op::ROT_TWO);
                emit(Op::STORE_ATTR, name_index(t.attr));
                return;
            }
            case ExprKind::Subscript: {
                const auto& t = static_cast<const SubscriptExpr&>(*a.target);
                expression(*t.value);
                subscript_index(*t.slice);
                emit(Op::DUP_TOP_TWO);
                emit(Op::BINARY_SUBSCR);
                expression(*a.value);
                emit(Op::BINARY_OP, op);
                emit(Op::ROT_THREE);
                emit(Op::STORE_SUBSCR);
                return;
            }
            default: fail(filename_, a.loc, "illegal expression for augmented assignment");
        }
    }

    void store_target(const Expr& t) {
        switch (t.kind) {
            case ExprKind::Name: return store_name(static_cast<const NameExpr&>(t).id);
            case ExprKind::Attribute: {
                const auto& a = static_cast<const AttributeExpr&>(t);
                std::uint32_t fused;
                if (fuse_local_attr(*a.value, a.attr, fused)) return emit(Op::STORE_FAST_ATTR, fused);
                expression(*a.value);
                return emit(Op::STORE_ATTR, name_index(a.attr));
            }
            case ExprKind::Subscript: {
                const auto& s = static_cast<const SubscriptExpr&>(t);
                expression(*s.value);
                subscript_index(*s.slice);
                return emit(Op::STORE_SUBSCR);
            }
            case ExprKind::Tuple:
            case ExprKind::List: {
                const auto& seq = static_cast<const SequenceExpr&>(t);
                unpack_into(seq);
                for (const auto& e : seq.elts)
                    store_target(e->kind == ExprKind::Starred ? *static_cast<const StarredExpr&>(*e).value : *e);
                return;
            }
            // (CPython's SyntaxError words.)
            case ExprKind::Starred: fail(filename_, t.loc, "starred assignment target must be in a list or tuple");
            default: fail(filename_, t.loc, "cannot assign to expression");
        }
    }

    // Unpacks the sequence on the stack into seq's targets, first on top:
    // UNPACK_EX if one of them is starred (it takes a list of the rest).
    void unpack_into(const SequenceExpr& seq) {
        const auto starred = [](const ExprPtr& e) { return e->kind == ExprKind::Starred; };
        const auto star = std::find_if(seq.elts.begin(), seq.elts.end(), starred);
        if (star == seq.elts.end()) return emit(Op::UNPACK_SEQUENCE, static_cast<std::uint32_t>(seq.elts.size()));
        if (std::find_if(star + 1, seq.elts.end(), starred) != seq.elts.end())
            fail(filename_, seq.loc, "multiple starred expressions in assignment");
        const auto before = static_cast<std::size_t>(star - seq.elts.begin());
        const std::size_t after = seq.elts.size() - before - 1;
        // The operand holds 8 bits of one and 16 of the other (CPython allows 24).
        if (before > 0xff || after > 0xffff) fail(filename_, seq.loc, "too many expressions in star-unpacking assignment");
        emit(Op::UNPACK_EX, static_cast<std::uint32_t>(before | after << 8));
    }

    void delete_target(const Expr& t) {
        switch (t.kind) {
            case ExprKind::Name: return delete_name(static_cast<const NameExpr&>(t).id);
            case ExprKind::Attribute: {
                const auto& a = static_cast<const AttributeExpr&>(t);
                expression(*a.value);
                return emit(Op::DELETE_ATTR, name_index(a.attr));
            }
            case ExprKind::Subscript: {
                const auto& s = static_cast<const SubscriptExpr&>(t);
                expression(*s.value);
                subscript_index(*s.slice);
                return emit(Op::DELETE_SUBSCR);
            }
            case ExprKind::Tuple:
            case ExprKind::List:
                for (const auto& e : static_cast<const SequenceExpr&>(t).elts) delete_target(*e);
                return;
            default: fail(filename_, t.loc, "cannot delete expression");
        }
    }

    // ============================================================================
    // [EXPRESSIONS]
    // ============================================================================

    void expression(const Expr& e) {
        const int saved_line = line_;
        if (e.loc.line > 0) line_ = e.loc.line;
        expression_inner(e);
        line_ = saved_line;
    }

    void expression_inner(const Expr& e) {
        switch (e.kind) {
            case ExprKind::Name: return load_name(static_cast<const NameExpr&>(e).id);
            case ExprKind::Constant: return constant(static_cast<const ConstantExpr&>(e));
            case ExprKind::JoinedStr: {
                const auto& j = static_cast<const JoinedStrExpr&>(e);
                for (const auto& v : j.values) expression(*v);
                if (j.values.size() != 1 || j.values[0]->kind != ExprKind::Constant)
                    emit(Op::BUILD_STRING, static_cast<std::uint32_t>(j.values.size()));
                return;
            }
            case ExprKind::FormattedValue: {
                const auto& f = static_cast<const FormattedValueExpr&>(e);
                expression(*f.value);
                std::uint32_t flags = f.conversion == 's' ? 1 : f.conversion == 'r' ? 2 : f.conversion == 'a' ? 3 : 0;
                if (f.format_spec) {
                    expression(*f.format_spec);
                    flags |= 4;
                }
                return emit(Op::FORMAT_VALUE, flags);
            }
            case ExprKind::Tuple:
            case ExprKind::List:
            case ExprKind::Set: return display(static_cast<const SequenceExpr&>(e));
            case ExprKind::Dict: return dict_display(static_cast<const DictExpr&>(e));
            case ExprKind::ListComp:
            case ExprKind::SetComp:
            case ExprKind::DictComp: return comprehension(static_cast<const ComprehensionExpr&>(e));
            case ExprKind::GeneratorExp:
                fail(filename_, e.loc, "generator expressions are not supported (use a list comprehension)");
            case ExprKind::Attribute: {
                const auto& a = static_cast<const AttributeExpr&>(e);
                std::uint32_t fused;
                if (fuse_local_attr(*a.value, a.attr, fused)) return emit(Op::LOAD_FAST_ATTR, fused);
                expression(*a.value);
                return emit(Op::LOAD_ATTR, name_index(a.attr));
            }
            case ExprKind::Subscript: {
                const auto& s = static_cast<const SubscriptExpr&>(e);
                expression(*s.value);
                subscript_index(*s.slice);
                return emit(Op::BINARY_SUBSCR);
            }
            case ExprKind::Slice: return slice(static_cast<const SliceExpr&>(e));
            case ExprKind::Starred: fail(filename_, e.loc, "can't use starred expression here");
            case ExprKind::Call: return call(static_cast<const CallExpr&>(e));
            case ExprKind::Lambda: return lambda(static_cast<const LambdaExpr&>(e));
            case ExprKind::UnaryOp: {
                const auto& u = static_cast<const UnaryOpExpr&>(e);
                expression(*u.operand);
                return emit(Op::UNARY_OP, static_cast<std::uint32_t>(u.op));
            }
            case ExprKind::BinOp: {
                const auto& b = static_cast<const BinOpExpr&>(e);
                expression(*b.left);
                expression(*b.right);
                return emit(Op::BINARY_OP, static_cast<std::uint32_t>(b.op));
            }
            case ExprKind::BoolOp: {
                const auto& b = static_cast<const BoolOpExpr&>(e);
                Label end = new_label();
                for (std::size_t i = 0; i < b.values.size(); ++i) {
                    expression(*b.values[i]);
                    if (i + 1 < b.values.size())
                        emit_jump(b.op == BoolOpKind::And ? Op::JUMP_IF_FALSE_OR_POP : Op::JUMP_IF_TRUE_OR_POP, end);
                }
                bind(end);
                return;
            }
            case ExprKind::Compare: return compare(static_cast<const CompareExpr&>(e));
            case ExprKind::IfExp: {
                const auto& i = static_cast<const IfExpExpr&>(e);
                Label orelse = new_label(), end = new_label();
                expression(*i.test);
                emit_jump(Op::POP_JUMP_IF_FALSE, orelse);
                expression(*i.body);
                emit_jump(Op::JUMP, end);
                bind(orelse);
                expression(*i.orelse);
                bind(end);
                return;
            }
        }
    }

    void constant(const ConstantExpr& c) {
        switch (c.constant) {
            case ConstantKind::None: return emit(Op::LOAD_NONE);
            case ConstantKind::True: return emit(Op::LOAD_CONST, add_constant(Value::boolean(true)));
            case ConstantKind::False: return emit(Op::LOAD_CONST, add_constant(Value::boolean(false)));
            case ConstantKind::Int: return emit(Op::LOAD_CONST, add_constant(Value::integer(c.int_value)));
            case ConstantKind::Float: return emit(Op::LOAD_CONST, add_constant(Value::real(c.float_value)));
            case ConstantKind::Str: return emit(Op::LOAD_CONST, str_constant(c.str_value));
            case ConstantKind::Ellipsis: fail(filename_, c.loc, "Ellipsis is not supported");
        }
    }

    static bool has_starred(const std::vector<ExprPtr>& elts) {
        return std::any_of(elts.begin(), elts.end(), [](const ExprPtr& e) { return e->kind == ExprKind::Starred; });
    }

    // CPython 3.11 folds constant expressions before compiling (ast_opt.c):
    // literals, unary and arithmetic operators on numbers, tuples of
    // constants. Only set displays need it here, because the folded form
    // decides a set's slot order (sets::constant_frozenset).
    bool fold_constant(const Expr& e, Value& out) {
        switch (e.kind) {
            case ExprKind::Constant: {
                const auto& c = static_cast<const ConstantExpr&>(e);
                switch (c.constant) {
                    case ConstantKind::None: out = Value(); return true;
                    case ConstantKind::True: out = Value::boolean(true); return true;
                    case ConstantKind::False: out = Value::boolean(false); return true;
                    case ConstantKind::Int: out = Value::integer(c.int_value); return true;
                    case ConstantKind::Float: out = Value::real(c.float_value); return true;
                    case ConstantKind::Str: out = Value::object(interp_.intern(c.str_value)); return true;
                    case ConstantKind::Ellipsis: return false;
                }
                return false;
            }
            case ExprKind::UnaryOp: {
                const auto& u = static_cast<const UnaryOpExpr&>(e);
                Value operand;
                if (!fold_constant(*u.operand, operand)) return false;
                if (interp_.unary_op(static_cast<std::uint32_t>(u.op), operand, out)) return true;
                interp_.take_pending();  // not folded: the error happens at run time
                return false;
            }
            case ExprKind::BinOp: {
                const auto& b = static_cast<const BinOpExpr&>(e);
                Value left, right;
                if (b.op == BinOpKind::MatMult || !fold_constant(*b.left, left) || !fold_constant(*b.right, right)) return false;
                auto numeric = [](Value v) { return v.is_intlike() || v.is_float(); };
                if (!numeric(left) || !numeric(right)) return false;
                if (interp_.binary_op(static_cast<std::uint32_t>(b.op), left, right, out)) return true;
                interp_.take_pending();
                return false;
            }
            case ExprKind::Tuple: {
                const auto& t = static_cast<const SequenceExpr&>(e);
                TupleObj* tuple = interp_.new_tuple(t.elts.size());
                for (const auto& item : t.elts) {
                    Value v;
                    if (item->kind == ExprKind::Starred || !fold_constant(*item, v)) return false;
                    tuple->items.push_back(v);
                }
                out = Value::object(tuple);
                return true;
            }
            default: return false;
        }
    }

    // A set display of constants as the frozenset constant CPython makes of it.
    SetObj* constant_set(const SequenceExpr& s) {
        std::vector<Value> values;
        for (const auto& e : s.elts) {
            Value v;
            if (e->kind == ExprKind::Starred || !fold_constant(*e, v)) return nullptr;
            values.push_back(v);
        }
        SetObj* set = nullptr;
        if (!sets::constant_frozenset(interp_, values.data(), values.size(), set)) {
            interp_.take_pending();
            return nullptr;
        }
        return set;
    }

    // The iterable of a `for` (fold_iter): a set display of constants is
    // iterated as the frozenset constant itself.
    void iterable(const Expr& e) {
        if (e.kind == ExprKind::Set) {
            if (SetObj* set = constant_set(static_cast<const SequenceExpr&>(e))) {
                return emit(Op::LOAD_CONST, add_constant(Value::object(set)));
            }
        }
        expression(e);
    }

    void display(const SequenceExpr& s) {
        const std::uint32_t n = static_cast<std::uint32_t>(s.elts.size());
        if (s.kind == ExprKind::Set && n > 2) {
            // starunpack_helper: BUILD_SET 0; LOAD_CONST frozenset; SET_UPDATE 1.
            if (SetObj* set = constant_set(s)) {
                emit(Op::BUILD_SET, 0);
                emit(Op::LOAD_CONST, add_constant(Value::object(set)));
                return emit(Op::SET_UPDATE, 1);
            }
        }
        if (!has_starred(s.elts)) {
            for (const auto& e : s.elts) expression(*e);
            const Op op = s.kind == ExprKind::Tuple ? Op::BUILD_TUPLE : s.kind == ExprKind::List ? Op::BUILD_LIST : Op::BUILD_SET;
            return emit(op, n);
        }
        // With `*x`: build a list (or set) piece by piece.
        const bool set = s.kind == ExprKind::Set;
        emit(set ? Op::BUILD_SET : Op::BUILD_LIST, 0);
        for (const auto& e : s.elts) {
            if (e->kind == ExprKind::Starred) {
                expression(*static_cast<const StarredExpr&>(*e).value);
                emit(set ? Op::SET_UPDATE : Op::LIST_EXTEND, 1);
            } else {
                expression(*e);
                emit(set ? Op::SET_ADD : Op::LIST_APPEND, 1);
            }
        }
        if (s.kind == ExprKind::Tuple) emit(Op::LIST_TO_TUPLE);
    }

    void dict_display(const DictExpr& d) {
        std::uint32_t pending = 0;
        bool built = false;
        for (std::size_t i = 0; i < d.values.size(); ++i) {
            if (d.keys[i]) {
                expression(*d.keys[i]);
                expression(*d.values[i]);
                ++pending;
                continue;
            }
            if (!built || pending) {
                emit(Op::BUILD_MAP, pending);
                if (built) emit(Op::DICT_UPDATE, 1);
                built = true;
                pending = 0;
            }
            expression(*d.values[i]);
            emit(Op::DICT_UPDATE, 1);
        }
        if (!built || pending) {
            emit(Op::BUILD_MAP, pending);
            if (built) emit(Op::DICT_UPDATE, 1);
        }
    }

    void subscript_index(const Expr& s) {
        if (s.kind == ExprKind::Tuple) {
            // a[1:2, 3]: slices inside a tuple index
            const auto& t = static_cast<const SequenceExpr&>(s);
            for (const auto& e : t.elts) expression(*e);
            return emit(Op::BUILD_TUPLE, static_cast<std::uint32_t>(t.elts.size()));
        }
        expression(s);
    }

    void slice(const SliceExpr& s) {
        auto part = [&](const ExprPtr& p) {
            if (p) expression(*p);
            else emit(Op::LOAD_NONE);
        };
        part(s.lower);
        part(s.upper);
        if (s.step) {
            expression(*s.step);
            return emit(Op::BUILD_SLICE, 3);
        }
        emit(Op::BUILD_SLICE, 2);
    }

    void compare(const CompareExpr& c) {
        // fold_compare: `x in {1, 2}` (the last comparison only) tests the frozenset constant.
        auto comparand = [&](std::size_t i) {
            const bool membership = c.ops[i] == CmpOpKind::In || c.ops[i] == CmpOpKind::NotIn;
            if (membership && i + 1 == c.ops.size()) return iterable(*c.comparators[i]);
            expression(*c.comparators[i]);
        };
        expression(*c.left);
        if (c.ops.size() == 1) {
            comparand(0);
            return compare_op(c.ops[0]);
        }
        Label cleanup = new_label(), end = new_label();
        for (std::size_t i = 0; i < c.ops.size(); ++i) {
            comparand(i);
            if (i + 1 < c.ops.size()) {
                emit(Op::DUP_TOP);
                emit(Op::ROT_THREE);
                compare_op(c.ops[i]);
                emit_jump(Op::JUMP_IF_FALSE_OR_POP, cleanup);
            } else {
                compare_op(c.ops[i]);
            }
        }
        emit_jump(Op::JUMP, end);
        bind(cleanup);
        emit(Op::ROT_TWO);
        emit(Op::POP_TOP);
        bind(end);
    }

    void compare_op(CmpOpKind op) {
        switch (op) {
            case CmpOpKind::Is: return emit(Op::IS_OP, 0);
            case CmpOpKind::IsNot: return emit(Op::IS_OP, 1);
            case CmpOpKind::In: return emit(Op::CONTAINS_OP, 0);
            case CmpOpKind::NotIn: return emit(Op::CONTAINS_OP, 1);
            default: return emit(Op::COMPARE_OP, static_cast<std::uint32_t>(op));
        }
    }

    void call(const CallExpr& c) {
        const bool starred = has_starred(c.args);
        const bool double_starred =
            std::any_of(c.keywords.begin(), c.keywords.end(), [](const Keyword& k) { return !k.arg; });
        if (starred || double_starred) return call_ex(c);
        // obj.method(args): no bound-method object on the hot path.
        if (c.func->kind == ExprKind::Attribute && c.keywords.empty()) {
            const auto& a = static_cast<const AttributeExpr&>(*c.func);
            expression(*a.value);
            emit(Op::LOAD_METHOD, name_index(a.attr));
            for (const auto& arg : c.args) expression(*arg);
            return emit(Op::CALL_METHOD, static_cast<std::uint32_t>(c.args.size()));
        }
        expression(*c.func);
        for (const auto& arg : c.args) expression(*arg);
        if (c.keywords.empty()) return emit(Op::CALL, static_cast<std::uint32_t>(c.args.size()));
        TupleObj* names = interp_.heap().make<TupleObj>();
        for (const auto& k : c.keywords) {
            expression(*k.value);
            names->items.push_back(Value::object(interp_.intern(*k.arg)));
        }
        emit(Op::LOAD_CONST, add_constant(Value::object(names)));
        emit(Op::CALL_KW, static_cast<std::uint32_t>(c.args.size() + c.keywords.size()));
    }

    void call_ex(const CallExpr& c) {
        expression(*c.func);
        emit(Op::BUILD_LIST, 0);
        const bool sole_star = c.args.size() == 1;
        for (const auto& arg : c.args) {
            if (arg->kind == ExprKind::Starred) {
                expression(*static_cast<const StarredExpr&>(*arg).value);
                emit(Op::LIST_EXTEND, sole_star ? 1 | kSoleStarFlag : 1);
            } else {
                expression(*arg);
                emit(Op::LIST_APPEND, 1);
            }
        }
        emit(Op::LIST_TO_TUPLE);
        if (c.keywords.empty()) return emit(Op::CALL_EX, 0);
        emit(Op::BUILD_MAP, 0);
        for (const auto& k : c.keywords) {
            if (k.arg) {
                emit(Op::LOAD_CONST, str_constant(*k.arg));
                expression(*k.value);
                emit(Op::BUILD_MAP, 1);
            } else {
                expression(*k.value);
            }
            emit(Op::DICT_MERGE, 1);
        }
        emit(Op::CALL_EX, 1);
    }

    // ============================================================================
    // [FUNCTIONS]
    // ============================================================================

    // Pushes the defaults, closure, code and qualname, then MAKE_FUNCTION.
    void make_function(CodeObj* code, Scope& child, const Arguments* args) {
        std::uint32_t flags = 0;
        if (args && !args->defaults.empty()) {
            for (const auto& d : args->defaults) expression(*d);
            emit(Op::BUILD_TUPLE, static_cast<std::uint32_t>(args->defaults.size()));
            flags |= 1;
        }
        if (args && std::any_of(args->kw_defaults.begin(), args->kw_defaults.end(), [](const ExprPtr& d) { return d != nullptr; })) {
            std::uint32_t pairs = 0;
            for (std::size_t i = 0; i < args->kwonlyargs.size(); ++i) {
                if (!args->kw_defaults[i]) continue;
                emit(Op::LOAD_CONST, str_constant(args->kwonlyargs[i].name));
                expression(*args->kw_defaults[i]);
                ++pairs;
            }
            emit(Op::BUILD_MAP, pairs);
            flags |= 2;
        }
        if (!child.freevars.empty()) {
            for (const std::string& n : child.freevars) emit(Op::LOAD_CLOSURE, slot_of(n));
            emit(Op::BUILD_TUPLE, static_cast<std::uint32_t>(child.freevars.size()));
            flags |= 8;
        }
        emit(Op::LOAD_CONST, add_constant(Value::object(code)));
        emit(Op::LOAD_CONST, str_constant(child.qualname));
        emit(Op::MAKE_FUNCTION, flags);
    }

    Scope& child_scope(const void* node) { return *scopes_.at(node); }

    void function_def(const FunctionDefStmt& f) {
        Scope& child = child_scope(&f);
        CodeGen gen(interp_, filename_, scopes_, child, module_name_);
        CodeObj* code = gen.compile_function(f.args, f.body, f.name, f.loc.line);
        line_ = f.loc.line;
        make_function(code, child, &f.args);
        store_name(f.name);
    }

    void lambda(const LambdaExpr& l) {
        Scope& child = child_scope(&l);
        CodeGen gen(interp_, filename_, scopes_, child, module_name_);
        CodeObj* code = gen.compile_lambda(l);
        make_function(code, child, &l.args);
    }

    void class_def(const ClassDefStmt& c) {
        Scope& child = child_scope(&c);
        CodeGen gen(interp_, filename_, scopes_, child, module_name_);
        CodeObj* code = gen.compile_class_body(c);
        line_ = c.loc.line;
        emit(Op::LOAD_BUILD_CLASS);
        make_function(code, child, nullptr);
        emit(Op::LOAD_CONST, str_constant(c.name));
        if (c.base) {
            expression(*c.base);
            emit(Op::CALL, 3);
        } else {
            emit(Op::CALL, 2);
        }
        store_name(c.name);
    }

    void comprehension(const ComprehensionExpr& c) {
        Scope& child = child_scope(&c);
        CodeGen gen(interp_, filename_, scopes_, child, module_name_);
        CodeObj* code = gen.compile_comprehension(c);
        make_function(code, child, nullptr);
        iterable(*c.generators[0].iter);
        emit(Op::GET_ITER);
        emit(Op::CALL, 1);
    }

    // Inside the comprehension's own code: one loop per `for` clause.
    void comprehension_loop(const ComprehensionExpr& c, std::size_t index) {
        const Comprehension& g = c.generators[index];
        Label top = new_label(), end = new_label();
        if (index == 0) {
            emit(Op::LOAD_FAST, local_slots_.at(".0"));
        } else {
            iterable(*g.iter);
            emit(Op::GET_ITER);
        }
        bind(top);
        emit_jump(Op::FOR_ITER, end);
        store_target(*g.target);
        for (const auto& cond : g.ifs) {
            expression(*cond);
            emit_jump(Op::POP_JUMP_IF_FALSE, top);
        }
        if (index + 1 < c.generators.size()) {
            comprehension_loop(c, index + 1);
        } else {
            const std::uint32_t depth = static_cast<std::uint32_t>(c.generators.size()) + 1;
            if (c.kind == ExprKind::DictComp) {
                expression(*c.key);
                expression(*c.value);
                emit(Op::MAP_ADD, depth);
            } else {
                expression(*c.elt);
                emit(c.kind == ExprKind::ListComp ? Op::LIST_APPEND : Op::SET_ADD, depth);
            }
        }
        emit_jump(Op::JUMP, top);
        bind(end);
    }

    Interpreter& interp_;
    const std::string& filename_;
    std::unordered_map<const void*, Scope*>& scopes_;
    Scope& scope_;
    std::string_view module_name_;
    int line_ = 0;

    std::vector<std::uint32_t> code_;
    std::vector<LineEntry> lines_;
    std::vector<Value> constants_;
    std::vector<std::string> names_;
    std::unordered_map<std::string, std::uint32_t> name_indices_;
    std::unordered_map<std::string, std::uint32_t> local_slots_;
    std::vector<std::string> local_order_;
    std::unordered_map<std::string, std::uint32_t> free_slots_;
    std::vector<std::string> free_order_;
    std::vector<int> labels_;
    std::vector<std::pair<std::size_t, Label>> patches_;
    std::vector<FBlock> fblocks_;
};

}  // namespace

CodeObj* compile_module(Interpreter& interp, const script::Module& module, std::string_view module_name) {
    std::unordered_map<const void*, Scope*> scopes;
    ScopeBuilder builder(module.filename, scopes);
    std::unique_ptr<Scope> root = builder.build(module);
    CodeGen gen(interp, module.filename, scopes, *root, module_name);
    return gen.compile_module(module);
}

// ============================================================================
// [STACK]
// ============================================================================

// Walks every path through the code, as a verifier: each instruction must be
// reached with one consistent depth, never below zero.
int compute_stack_depths(const CodeObj& code, std::vector<int>& depth_at) {
    const std::size_t n = code.code.size();
    depth_at.assign(n, -1);
    std::vector<std::size_t> work;
    int max_depth = 0;
    auto reach = [&](std::size_t pc, int depth) {
        if (pc >= n || depth < 0) return false;
        if (depth_at[pc] == -1) {
            depth_at[pc] = depth;
            work.push_back(pc);
            return true;
        }
        return depth_at[pc] == depth;
    };
    if (n == 0 || !reach(0, 0)) return n == 0 ? 0 : -1;
    while (!work.empty()) {
        const std::size_t pc = work.back();
        work.pop_back();
        const int depth = depth_at[pc];
        const Op op = decode_op(code.code[pc]);
        if (static_cast<int>(op) >= static_cast<int>(Op::COUNT_)) return -1;
        const std::uint32_t arg = decode_operand(code.code[pc]);
        const int after = depth + stack_effect(op, arg);
        max_depth = std::max({max_depth, depth, after});
        // Its general path pushes the local before storing, as the unfused pair does.
        if (op == Op::STORE_FAST_ATTR) max_depth = std::max(max_depth, depth + 1);
        // It lays out __exit__(type, exc, None) above the two values it keeps.
        if (op == Op::WITH_EXCEPT_START) max_depth = std::max(max_depth, depth + 4);
        StackEdge edges[2];
        const int count = stack_edges(op, arg, static_cast<std::uint32_t>(pc), edges);
        if (count == 0 && after < 0) return -1;  // return, raise: no fall-through
        for (int i = 0; i < count; ++i) {
            if (depth < edges[i].pops) return -1;
            const int next = depth - edges[i].pops + edges[i].pushes;
            max_depth = std::max(max_depth, next);
            if (!reach(edges[i].target, next)) return -1;
        }
    }
    return max_depth;
}

int compute_max_stack(const CodeObj& code) {
    std::vector<int> depth_at;
    const int max_depth = compute_stack_depths(code, depth_at);
    // No spare room: calls the VM makes itself above the expression's values
    // (dunder methods, nested calls from C++) ensure_stack() what they need.
    return max_depth;
}

}  // namespace spindle::vm
