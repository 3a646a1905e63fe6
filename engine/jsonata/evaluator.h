#pragma once
// The tree-walking evaluator. One Evaluator lives for one evaluation: it owns
// the arena every computed value is allocated from, counts depth, and checks
// the deadline and memory budget.

#include <memory>
#include <memory_resource>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/time/time.h"
#include "engine/jsonata/ast.h"
#include "engine/jsonata/errors.h"
#include "engine/jsonata/jsonata.h"
#include "engine/jsonata/reference_clock.h"
#include "engine/jsonata/value.h"

namespace fleetflow::jsonata::internal {

struct Builtin;
struct Program;

// A scope. Bindings form a persistent list so tuples can hand theirs over
// without copying.
struct Frame {
  const Frame* parent = nullptr;
  const Binding* bindings = nullptr;
  const Binding* FindLocal(std::string_view name) const;
};

enum class FunctionKind : uint8_t {
  kLambda,
  kBuiltin,
  kNative,
  kPartial,
  kRegex,
  kTransform,
  kComposed,
};

struct FunctionData {
  FunctionKind kind;
  const Node* node = nullptr;  // lambda or transform
  const Frame* env = nullptr;  // closure scope
  Value input;                 // closure context
  const Signature* signature = nullptr;
  const Builtin* builtin = nullptr;
  const NativeFunction* native = nullptr;
  const Regex* regex = nullptr;
  const FunctionData* first = nullptr;   // partial target / composed first
  const FunctionData* second = nullptr;  // composed second
  ValueVector* bound = nullptr;          // partial: arguments, holes undefined
  std::pmr::vector<bool>* holes = nullptr;
  std::string_view name;
  int arity = 0;
};

class Evaluator {
 public:
  Evaluator(const Program& program, const Bindings& bindings, const EvalOptions& options,
            std::pmr::memory_resource* arena);
  ~Evaluator();
  Evaluator(const Evaluator&) = delete;
  Evaluator& operator=(const Evaluator&) = delete;

  // Evaluates the whole program against `input`.
  Value Run(Value input);

  Value Eval(const Node* node, Value input, const Frame* env);
  // Calls a function value (any kind); resolves tail calls.
  Value Apply(Value proc, std::span<const Value> args, Value context, int position,
              std::string_view name = {});

  // Arena helpers.
  std::pmr::memory_resource* arena() const { return arena_; }
  template <typename T, typename... Args>
  T* Make(Args&&... args) {
    void* p = arena_->allocate(sizeof(T), alignof(T));
    return new (p) T(std::forward<Args>(args)...);
  }
  ArrayData* NewArray() { return Make<ArrayData>(arena_); }
  ArrayData* NewSequence() {
    ArrayData* a = NewArray();
    a->sequence = true;
    return a;
  }
  ObjectData* NewObject() { return Make<ObjectData>(arena_); }
  std::string_view Intern(std::string_view s);
  Value StringValue(std::string_view s) { return Value::String(Intern(s)); }
  Frame* NewFrame(const Frame* parent);
  void Bind(Frame* frame, std::string_view name, Value v);
  const Binding* Push(const Binding* list, std::string_view name, Value v);

  // Limits: call in long loops that do not recurse through Eval.
  void Tick() {
    if (++ticks_ % 1024 == 0) CheckDeadline();
  }
  void CheckDeadline();

  absl::Time now() const { return now_; }
  // The reference implementation's scheduling, for choosing between errors
  // (reference_clock.h).
  ReferenceClock& clock() { return clock_; }
  // Runs item(0) .. item(n - 1) as jsonata-js runs the items of a Promise.all:
  // when some fail, rethrows the error of the one that fails first on the
  // reference clock. Limit errors (U1001) are rethrown at once.
  void Concurrently(size_t n, absl::FunctionRef<void(size_t)> item);
  Value LookupVariable(std::string_view name, const Frame* env);
  const Bindings& bindings() const { return bindings_; }
  // Keeps a program parsed by $eval alive for the rest of the evaluation.
  const Program* KeepProgram(std::unique_ptr<Program> program);

  // Helpers shared by the path code and the function library.
  Value Filter(const Node* predicate, Value input, const Frame* env);
  Value SortValues(const Node* sort, Value input, const Frame* env);
  Value GroupBy(const GroupBy& group, Value input, const Frame* env);
  Value Flatten(Value v);
  // Clones input views so a transform can modify them.
  Value DeepClone(Value v);
  Value FromUserJson(const json::Value& v);

 private:
  friend class PathEval;
  Value EvalNode(const Node* node, Value input, const Frame* env);
  // Applies a node's predicates, group-by and sequence collapsing.
  Value Finish(const Node* node, Value result, const Frame* env);
  Value EvalPath(const Node* node, Value input, const Frame* env);
  Value EvalName(const Node* node, Value input);
  Value EvalWildcard(Value input);
  Value EvalDescendants(Value input);
  Value EvalBinary(const Node* node, Value input, const Frame* env);
  Value EvalDefault(const Node* node, Value input, const Frame* env);  // ?? and ?:
  Value EvalArray(const Node* node, Value input, const Frame* env);
  Value EvalBlock(const Node* node, Value input, const Frame* env);
  Value EvalCall(const Node* node, Value input, const Frame* env);
  Value EvalPartial(const Node* node, Value input, const Frame* env);
  Value EvalApply(const Node* node, Value input, const Frame* env);
  Value EvalVariable(const Node* node, Value input, const Frame* env);
  Value EvalTransform(const Node* node, Value input, const Frame* env);
  Value ApplyOnce(Value proc, std::span<const Value> args, Value context, int position,
                  std::string_view name);
  Value ApplyLambda(const FunctionData* f, std::span<const Value> args);
  Value ApplyTransform(const FunctionData* f, std::span<const Value> args, int position);
  Value ApplyNative(const FunctionData* f, std::span<const Value> args, int position);

  const Program& program_;
  const Bindings& bindings_;
  const EvalOptions& options_;
  std::pmr::memory_resource* arena_;
  absl::Time deadline_;
  absl::Time now_;
  int depth_ = 0;
  uint64_t ticks_ = 0;
  ReferenceClock clock_;
  Value root_;
  std::vector<json::Value*> kept_json_;
  std::vector<std::unique_ptr<Program>> kept_programs_;
};

// Evaluation helpers used across files.
// Sorts a tuple stream by a sort step's terms (path_sort.cc).
TupleStream* SortTuples(Evaluator& ev, const Node* sort, TupleStream* input, const Frame* env);
bool IsSequence(const Value& v);
bool IsArrayOfNumbers(const Value& v);
bool IsArrayOfStrings(const Value& v);
// JSONata's truthiness ($boolean).
bool ToBoolean(const Value& v);
// Deep equality as `=` defines it.
bool DeepEqual(const Value& a, const Value& b);
// Elements of an array, or the value itself; undefined gives none.
template <typename Fn>
void ForEachItem(const Value& v, Fn&& fn) {
  if (v.undefined()) return;
  if (v.is_array()) {
    size_t n = ArraySize(v);
    for (size_t i = 0; i < n; ++i) fn(ArrayAt(v, i));
  } else {
    fn(v);
  }
}

}  // namespace fleetflow::jsonata::internal
