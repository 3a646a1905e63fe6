#include "engine/jsonata/evaluator.h"

#include <cmath>
#include <cstring>

#include "engine/jsonata/functions.h"
#include "engine/jsonata/parser.h"
#include "engine/jsonata/regex.h"

namespace fleetflow::jsonata::internal {

const Binding* Frame::FindLocal(std::string_view name) const {
  for (const Binding* b = bindings; b; b = b->next)
    if (b->name == name) return b;
  return nullptr;
}

Evaluator::Evaluator(const Program& program, const Bindings& bindings, const EvalOptions& options,
                     std::pmr::memory_resource* arena)
    : program_(program), bindings_(bindings), options_(options), arena_(arena) {
  absl::Time start = absl::Now();
  deadline_ = options.timeout == absl::InfiniteDuration() ? absl::InfiniteFuture()
                                                          : start + options.timeout;
  now_ = options.now.value_or(start);
}

Evaluator::~Evaluator() {
  for (json::Value* v : kept_json_) v->~value();
}

std::string_view Evaluator::Intern(std::string_view s) {
  if (s.empty()) return {};
  char* p = static_cast<char*>(arena_->allocate(s.size(), 1));
  std::memcpy(p, s.data(), s.size());
  return {p, s.size()};
}

const Program* Evaluator::KeepProgram(std::unique_ptr<Program> program) {
  kept_programs_.push_back(std::move(program));
  return kept_programs_.back().get();
}

Frame* Evaluator::NewFrame(const Frame* parent) {
  Frame* f = Make<Frame>();
  f->parent = parent;
  return f;
}

const Binding* Evaluator::Push(const Binding* list, std::string_view name, Value v) {
  return Make<Binding>(Binding{name, v, list});
}

void Evaluator::Bind(Frame* frame, std::string_view name, Value v) {
  frame->bindings = Push(frame->bindings, name, v);
}

void Evaluator::CheckDeadline() {
  if (absl::Now() > deadline_)
    Throw("U1001", -1, "", "Expression evaluation timeout: Check for infinite loop");
}

Value Evaluator::Run(Value input) {
  Frame* root = NewFrame(nullptr);
  Bind(root, "$", input);
  if (input.is_array() && !IsSequence(input)) {
    // JSONata wraps an array input so that `$` keeps seeing it whole.
    ArrayData* wrapper = NewSequence();
    wrapper->items.push_back(input);
    wrapper->outer_wrapper = true;
    input = Value::Array(wrapper);
  }
  root_ = input;
  return Eval(program_.root, input, root);
}

Value Evaluator::Eval(const Node* node, Value input, const Frame* env) {
  clock_.Check();
  Await await(clock_, ReferenceTurns(*node));
  if (++depth_ > options_.max_depth)
    Throw("U1001", node->position, "",
          "Stack overflow error: Check for non-terminating recursive function.  Consider "
          "rewriting as tail-recursive.");
  if ((++ticks_ & 255) == 0) CheckDeadline();
  Value result = Finish(node, EvalNode(node, input, env), env);
  --depth_;
  return result;
}

Value Evaluator::Finish(const Node* node, Value result, const Frame* env) {
  for (const Node* predicate : node->predicates) {
    Await await(clock_, 1);
    result = Filter(predicate, result, env);
  }
  if (node->group && node->type != NodeType::kPath) {
    Await await(clock_, 1);
    result = GroupBy(*node->group, result, env);
  }
  if (result.is_array() && !result.is_json() && result.array()->sequence) {
    ArrayData* seq = result.array();
    if (node->keep_array) seq->keep_singleton = true;
    if (seq->items.empty()) {
      result = Value();
    } else if (seq->items.size() == 1 && !seq->keep_singleton) {
      result = seq->items[0];
    }
  }
  return result;
}

Value Evaluator::EvalNode(const Node* node, Value input, const Frame* env) {
  switch (node->type) {
    case NodeType::kString:
      return Value::String(node->text);
    case NodeType::kNumber:
      return Value::Number(node->number);
    case NodeType::kBool:
      return Value::Bool(node->boolean);
    case NodeType::kNull:
      return Value::Null();
    case NodeType::kRegex: {
      FunctionData* f = Make<FunctionData>();
      f->kind = FunctionKind::kRegex;
      f->regex = node->regex.get();
      f->arity = 1;
      return Value::Function(f);
    }
    case NodeType::kName:
      return EvalName(node, input);
    case NodeType::kVariable:
      return EvalVariable(node, input, env);
    case NodeType::kWildcard:
      return EvalWildcard(input);
    case NodeType::kDescendant:
      return EvalDescendants(input);
    case NodeType::kParent:
      return LookupVariable(node->slot->label, env);
    case NodeType::kPath:
      return EvalPath(node, input, env);
    case NodeType::kSort:
      return SortValues(node, input, env);
    case NodeType::kBinary:
      return EvalBinary(node, input, env);
    case NodeType::kNegate: {
      Value v = Eval(node->lhs, input, env);
      if (v.undefined()) return v;
      if (!v.is_number()) Throw("D1002", node->position, "-", StringOf(*this, v));
      return Value::Number(-v.number());
    }
    case NodeType::kArray:
      return EvalArray(node, input, env);
    case NodeType::kObject: {
      ::fleetflow::jsonata::internal::GroupBy group;
      group.pairs = node->pairs;
      group.position = node->position;
      Await await(clock_, 1);
      return GroupBy(group, input, env);
    }
    case NodeType::kBlock:
      return EvalBlock(node, input, env);
    case NodeType::kCondition: {
      Value condition = Eval(node->lhs, input, env);
      if (ToBoolean(condition)) return Eval(node->rhs, input, env);
      if (node->third) return Eval(node->third, input, env);
      return Value();
    }
    case NodeType::kCall:
      return EvalCall(node, input, env);
    case NodeType::kPartial:
      return EvalPartial(node, input, env);
    case NodeType::kLambda: {
      FunctionData* f = Make<FunctionData>();
      f->kind = FunctionKind::kLambda;
      f->node = node;
      f->env = env;
      f->input = input;
      f->signature = node->signature.get();
      f->arity = static_cast<int>(node->params.size());
      return Value::Function(f);
    }
    case NodeType::kBind: {
      Value v = Eval(node->rhs, input, env);
      Bind(const_cast<Frame*>(env), node->lhs->text, v);
      return v;
    }
    case NodeType::kApply:
      return EvalApply(node, input, env);
    case NodeType::kTransform: {
      FunctionData* f = Make<FunctionData>();
      f->kind = FunctionKind::kTransform;
      f->node = node;
      f->env = env;
      f->arity = 1;
      return Value::Function(f);
    }
    case NodeType::kPlaceholder:
      break;
  }
  Throw("S0206", node->position);
}

Value Evaluator::EvalVariable(const Node* node, Value input, const Frame* env) {
  if (node->text.empty()) {
    if (input.is_array() && !input.is_json() && input.array()->outer_wrapper &&
        !input.array()->items.empty())
      return input.array()->items[0];
    return input;
  }
  return LookupVariable(node->text, env);
}

Value Evaluator::LookupVariable(std::string_view name, const Frame* env) {
  for (const Frame* f = env; f; f = f->parent)
    if (const Binding* b = f->FindLocal(name)) return b->value;
  if (!bindings_.empty()) {
    if (const json::Value* v = bindings_.FindValue(name)) return Value::FromJson(*v);
    if (const NativeFunction* native = bindings_.FindFunction(name)) {
      FunctionData* f = Make<FunctionData>();
      f->kind = FunctionKind::kNative;
      f->native = native;
      f->name = name;
      if (!native->signature.empty()) {
        f->signature = Make<Signature>(ParseSignature(native->signature, -1));
        for (const auto& p : f->signature->params)
          if (!p.optional) ++f->arity;
      }
      return Value::Function(f);
    }
  }
  if (const Builtin* b = FindBuiltin(name))
    return Value::Function(const_cast<FunctionData*>(&b->function));
  return Value();
}

Value Evaluator::EvalArray(const Node* node, Value input, const Frame* env) {
  ArrayData* out = NewArray();
  size_t n = node->items.size();
  ValueVector values(n, arena_);
  Concurrently(n, [&](size_t i) { values[i] = Eval(node->items[i], input, env); });
  if (n == 1 && node->items[0]->type == NodeType::kBinary &&
      node->items[0]->op == BinaryOp::kRange) {
    // [a..b]: adopt the range's fresh array instead of copying it.
    if (values[0].is_array()) out = values[0].array();
    out->cons = node->cons_array;
    return Value::Array(out);
  }
  for (size_t i = 0; i < n; ++i) {
    const Node* item = node->items[i];
    Value v = values[i];
    if (v.undefined()) continue;
    if (item->type == NodeType::kArray || !v.is_array()) {
      out->items.push_back(v);
    } else {
      size_t n = ArraySize(v);
      out->items.reserve(out->items.size() + n);
      for (size_t i = 0; i < n; ++i) out->items.push_back(ArrayAt(v, i));
    }
  }
  out->cons = node->cons_array;
  return Value::Array(out);
}

Value Evaluator::EvalBlock(const Node* node, Value input, const Frame* env) {
  Frame* frame = NewFrame(env);
  Value result;
  for (const Node* e : node->items) result = Eval(e, input, frame);
  return result;
}

namespace {

std::string_view ProcedureName(const Node* procedure) {
  if (procedure->type == NodeType::kPath && !procedure->items.empty())
    return procedure->items[0]->text;
  if (procedure->type == NodeType::kVariable) return procedure->text;
  return {};
}

bool IsNamePath(const Node* n) {
  return n->type == NodeType::kPath && n->items.size() == 1 && n->items[0]->type == NodeType::kName;
}

}  // namespace

Value Evaluator::EvalCall(const Node* node, Value input, const Frame* env) {
  Value proc = Eval(node->lhs, input, env);
  std::string_view name = ProcedureName(node->lhs);
  if (proc.undefined() && IsNamePath(node->lhs) &&
      !LookupVariable(node->lhs->items[0]->text, env).undefined())
    Throw("T1005", node->position, name);
  ValueVector args(arena_);
  args.reserve(node->items.size());
  for (const Node* a : node->items) args.push_back(Eval(a, input, env));
  if (node->tail_call) {
    TailCallData* tail = Make<TailCallData>(TailCallData{proc, std::move(args), node->position});
    return Value::TailCall(tail);
  }
  Await await(clock_, 1);
  return Apply(proc, args, input, node->position, name);
}

Value Evaluator::EvalPartial(const Node* node, Value input, const Frame* env) {
  Value proc = Eval(node->lhs, input, env);
  std::string_view name = ProcedureName(node->lhs);
  if (proc.undefined() && IsNamePath(node->lhs) &&
      !LookupVariable(node->lhs->items[0]->text, env).undefined())
    Throw("T1007", node->position, name);
  if (!proc.is_function()) Throw("T1008", node->position, name);
  FunctionData* f = Make<FunctionData>();
  f->kind = FunctionKind::kPartial;
  f->first = proc.function();
  f->bound = Make<ValueVector>(arena_);
  f->holes = Make<std::pmr::vector<bool>>(arena_);
  f->name = name;
  for (const Node* a : node->items) {
    bool hole = a->type == NodeType::kPlaceholder;
    f->bound->push_back(hole ? Value() : Eval(a, input, env));
    f->holes->push_back(hole);
    if (hole) ++f->arity;
  }
  return Value::Function(f);
}

Value Evaluator::EvalApply(const Node* node, Value input, const Frame* env) {
  Value lhs = Eval(node->lhs, input, env);
  const Node* rhs = node->rhs;
  if (rhs->type == NodeType::kCall) {
    Await call(clock_, 1);
    Value proc = Eval(rhs->lhs, input, env);
    std::string_view name = ProcedureName(rhs->lhs);
    if (proc.undefined() && IsNamePath(rhs->lhs) &&
        !LookupVariable(rhs->lhs->items[0]->text, env).undefined())
      Throw("T1005", rhs->position, name);
    ValueVector args(arena_);
    args.push_back(lhs);
    for (const Node* a : rhs->items) args.push_back(Eval(a, input, env));
    Value result;
    {
      Await await(clock_, 1);
      result = Apply(proc, args, input, rhs->position, name);
    }
    // The reference ignores predicates here; they take it no time.
    uint64_t now = clock_.now();
    result = Finish(rhs, result, env);
    clock_.set(now);
    return result;
  }
  Value func = Eval(rhs, input, env);
  if (!func.is_function()) Throw("T2006", node->position, "~>", StringOf(*this, func));
  if (lhs.is_function()) {
    FunctionData* f = Make<FunctionData>();
    f->kind = FunctionKind::kComposed;
    f->first = lhs.function();
    f->second = func.function();
    f->arity = 1;
    return Value::Function(f);
  }
  Value args[1] = {lhs};
  Await await(clock_, 1);
  return Apply(func, args, input, node->position, ProcedureName(rhs));
}

// The reference's apply: each step of the trampoline awaits applyInner.
Value Evaluator::Apply(Value proc, std::span<const Value> args, Value context, int position,
                       std::string_view name) {
  Value result;
  {
    Await await(clock_, 1);
    result = ApplyOnce(proc, args, context, position, name);
  }
  while (result.is(Kind::kTailCall)) {
    TailCallData* tail = result.tail_call();
    Tick();
    Await await(clock_, 1);
    result = ApplyOnce(tail->procedure, tail->args, context, tail->position, name);
  }
  return result;
}

Value Evaluator::ApplyOnce(Value proc, std::span<const Value> args, Value context, int position,
                           std::string_view name) {
  if (!proc.is_function()) Throw("T1006", position, name);
  const FunctionData* f = proc.function();
  if (f->name.size()) name = f->name;
  ValueVector validated(arena_);
  if (f->signature) {
    validated = ValidateArguments(*this, *f->signature, args, context, position, name);
    args = validated;
  }
  switch (f->kind) {
    case FunctionKind::kLambda: {
      Await await(clock_, 1);
      return ApplyLambda(f, args);
    }
    case FunctionKind::kBuiltin: {
      CallContext call{*this, context, position, name};
      Await await(clock_, f->builtin->awaits ? 1 : 0);
      return f->builtin->fn(call, args);
    }
    case FunctionKind::kNative:
      return ApplyNative(f, args, position);
    case FunctionKind::kPartial: {
      ValueVector full(arena_);
      size_t next = 0;
      for (size_t i = 0; i < f->bound->size(); ++i) {
        if ((*f->holes)[i]) {
          full.push_back(next < args.size() ? args[next] : Value());
          ++next;
        } else {
          full.push_back((*f->bound)[i]);
        }
      }
      // The reference wraps the target in a lambda: one more await for a
      // built-in, none for a lambda (tail calls return to the caller's Apply).
      Await await(clock_, f->first->kind == FunctionKind::kLambda ? 0 : 1);
      return ApplyOnce(Value::Function(const_cast<FunctionData*>(f->first)), full, context,
                       position, name);
    }
    case FunctionKind::kRegex:
      return RegexMatchObject(*this, *f->regex, Arg(args, 0), 0);
    case FunctionKind::kTransform: {
      Await await(clock_, 1);
      return ApplyTransform(f, args, position);
    }
    case FunctionKind::kComposed: {
      Value first = Apply(Value::Function(const_cast<FunctionData*>(f->first)), args, context,
                          position, name);
      Value second_args[1] = {first};
      return Apply(Value::Function(const_cast<FunctionData*>(f->second)), second_args, context,
                   position, name);
    }
  }
  return Value();
}

Value Evaluator::ApplyLambda(const FunctionData* f, std::span<const Value> args) {
  Frame* frame = NewFrame(f->env);
  const auto& params = f->node->params;
  for (size_t i = 0; i < params.size(); ++i)
    Bind(frame, params[i], i < args.size() ? args[i] : Value());
  return Eval(f->node->rhs, f->input, frame);
}

}  // namespace fleetflow::jsonata::internal
