// Path semantics: each step maps over the previous step's results and the
// results are flattened into one sequence. Steps that bind @, # or % switch
// the rest of the path to a tuple stream that carries those bindings along.
#include <algorithm>
#include <cmath>

#include "absl/container/flat_hash_map.h"
#include "engine/jsonata/evaluator.h"
#include "engine/jsonata/functions.h"

namespace fleetflow::jsonata::internal {
namespace {

bool IsCons(const Value& v) { return v.is_array() && !v.is_json() && v.array()->cons; }

void AppendItems(ValueVector& out, const Value& v) {
  size_t n = ArraySize(v);
  for (size_t i = 0; i < n; ++i) out.push_back(ArrayAt(v, i));
}

Value Lookup(Evaluator& ev, const Value& input, std::string_view key) {
  if (input.is_array()) {
    ArrayData* seq = ev.NewSequence();
    size_t n = ArraySize(input);
    for (size_t i = 0; i < n; ++i) {
      Value r = Lookup(ev, ArrayAt(input, i), key);
      if (r.undefined()) continue;
      if (r.is_array()) {
        AppendItems(seq->items, r);
      } else {
        seq->items.push_back(r);
      }
    }
    return Value::Array(seq);
  }
  if (input.is_object()) return ObjectGet(input, key);
  return Value();
}

void FlattenInto(ValueVector& out, const Value& v) {
  if (v.is_array()) {
    size_t n = ArraySize(v);
    for (size_t i = 0; i < n; ++i) FlattenInto(out, ArrayAt(v, i));
  } else {
    out.push_back(v);
  }
}

void Descend(ValueVector& out, const Value& v) {
  if (!v.is_array()) out.push_back(v);
  if (v.is_array()) {
    size_t n = ArraySize(v);
    for (size_t i = 0; i < n; ++i) Descend(out, ArrayAt(v, i));
  } else if (v.is_object()) {
    ForEachEntry(v, [&](std::string_view, Value child) { Descend(out, child); });
  }
}

}  // namespace

Value Evaluator::EvalName(const Node* node, Value input) {
  return Lookup(*this, input, node->text);
}

Value Evaluator::Flatten(Value v) {
  ArrayData* out = NewArray();
  FlattenInto(out->items, v);
  return Value::Array(out);
}

Value Evaluator::EvalWildcard(Value input) {
  ArrayData* seq = NewSequence();
  if (input.is_array() && !input.is_json() && input.array()->outer_wrapper &&
      !input.array()->items.empty())
    input = input.array()->items[0];
  auto add = [&](Value v) {
    if (v.is_array()) {
      FlattenInto(seq->items, v);
      seq->sequence = false;  // JSONata's append yields a plain array here
    } else {
      seq->items.push_back(v);
    }
  };
  if (input.is_object()) {
    ForEachEntry(input, [&](std::string_view, Value v) { add(v); });
  } else if (input.is_array()) {
    size_t n = ArraySize(input);
    for (size_t i = 0; i < n; ++i) add(ArrayAt(input, i));
  }
  return Value::Array(seq);
}

Value Evaluator::EvalDescendants(Value input) {
  if (input.undefined()) return input;
  ArrayData* seq = NewSequence();
  Descend(seq->items, input);
  if (seq->items.size() == 1) return seq->items[0];
  return Value::Array(seq);
}

// --- predicates -------------------------------------------------------------

TupleStream* FilterTuples(Evaluator& ev, const Node* predicate, TupleStream* input,
                          const Frame* env);

namespace {

// Index matching for a numeric predicate value: negative counts from the end.
bool IndexMatches(double value, size_t index, size_t size) {
  double i = std::floor(value);
  if (i < 0) i += static_cast<double>(size);
  return i == static_cast<double>(index);
}

template <typename GetContext, typename Keep>
void FilterItems(Evaluator& ev, const Node* predicate, size_t size, GetContext&& context_of,
                 Keep&& keep) {
  for (size_t i = 0; i < size; ++i) {
    auto [context, frame] = context_of(i);
    Value r = ev.Eval(predicate, context, frame);
    if (r.is_number()) {
      if (IndexMatches(r.number(), i, size)) keep(i);
    } else if (IsArrayOfNumbers(r)) {
      size_t n = ArraySize(r);
      for (size_t k = 0; k < n; ++k)
        if (IndexMatches(ArrayAt(r, k).number(), i, size)) keep(i);
    } else if (ToBoolean(r)) {
      keep(i);
    }
  }
}

}  // namespace

Value Evaluator::Filter(const Node* predicate, Value input, const Frame* env) {
  if (input.is(Kind::kTailCall))
    input =
        Apply(input.tail_call()->procedure, input.tail_call()->args, root_, predicate->position);
  if (input.is(Kind::kTuples))
    return Value::Tuples(FilterTuples(*this, predicate, input.tuples(), env));
  ArrayData* out = NewSequence();
  bool is_array = input.is_array();
  size_t size = is_array ? ArraySize(input) : 1;
  auto item = [&](size_t i) { return is_array ? ArrayAt(input, i) : input; };
  if (predicate->type == NodeType::kNumber && predicate->predicates.empty()) {
    clock_.Advance(1);  // the reference awaits the item
    double index = std::floor(predicate->number);
    if (index < 0) index += static_cast<double>(size);
    if (index >= 0 && index < static_cast<double>(size)) {
      Value v = item(static_cast<size_t>(index));
      if (v.is_array()) return v;
      if (!v.undefined()) out->items.push_back(v);
    }
    return Value::Array(out);
  }
  FilterItems(
      *this, predicate, size,
      [&](size_t i) { return std::pair<Value, const Frame*>(item(i), env); },
      [&](size_t i) { out->items.push_back(item(i)); });
  return Value::Array(out);
}

TupleStream* FilterTuples(Evaluator& ev, const Node* predicate, TupleStream* input,
                          const Frame* env) {
  TupleStream* out = ev.Make<TupleStream>(ev.arena());
  auto& tuples = input->tuples;
  size_t size = tuples.size();
  if (predicate->type == NodeType::kNumber && predicate->predicates.empty()) {
    ev.clock().Advance(1);  // the reference awaits the item
    double index = std::floor(predicate->number);
    if (index < 0) index += static_cast<double>(size);
    if (index >= 0 && index < static_cast<double>(size))
      out->tuples.push_back(tuples[static_cast<size_t>(index)]);
    return out;
  }
  FilterItems(
      ev, predicate, size,
      [&](size_t i) {
        Frame* frame = ev.NewFrame(env);
        frame->bindings = tuples[i].bindings;
        return std::pair<Value, const Frame*>(tuples[i].focus, frame);
      },
      [&](size_t i) { out->tuples.push_back(tuples[i]); });
  return out;
}

// --- group-by and object construction ----------------------------------------

namespace {

// Merges a group's tuples: every binding becomes the append of its values.
Tuple ReduceTuples(Evaluator& ev, const std::vector<Tuple>& tuples) {
  if (tuples.size() == 1) return tuples[0];
  std::vector<std::pair<std::string_view, Value>> merged;
  Value focus;
  for (const Tuple& t : tuples) {
    focus = Append(ev, focus, t.focus);
    std::vector<std::pair<std::string_view, Value>> own;
    for (const Binding* b = t.bindings; b; b = b->next) {
      bool seen = false;
      for (auto& o : own) seen |= o.first == b->name;
      if (!seen) own.emplace_back(b->name, b->value);
    }
    for (auto& entry : own) {
      std::string_view name = entry.first;
      Value value = entry.second;
      auto it =
          std::find_if(merged.begin(), merged.end(), [&](auto& m) { return m.first == name; });
      if (it == merged.end()) {
        merged.emplace_back(name, value);
      } else {
        it->second = Append(ev, it->second, value);
      }
    }
  }
  Tuple out;
  out.focus = focus;
  for (auto it = merged.rbegin(); it != merged.rend(); ++it)
    out.bindings = ev.Push(out.bindings, it->first, it->second);
  return out;
}

}  // namespace

Value Evaluator::GroupBy(const ::fleetflow::jsonata::internal::GroupBy& group, Value input,
                         const Frame* env) {
  struct Group {
    std::string_view key;
    size_t pair;
    Value data;
    std::vector<Value> more;  // further items, appended once at the end
    std::vector<Tuple> tuples;
  };
  std::vector<Group> groups;
  absl::flat_hash_map<std::string_view, size_t> index;
  bool reduce = input.is(Kind::kTuples);
  size_t size = reduce ? input.tuples()->tuples.size() : input.is_array() ? ArraySize(input) : 1;
  bool empty = size == 0;
  if (empty) size = 1;
  for (size_t i = 0; i < size; ++i) {
    Value item;
    Tuple tuple;
    const Frame* frame = env;
    if (reduce) {
      if (!empty) tuple = input.tuples()->tuples[i];
      Frame* f = NewFrame(env);
      f->bindings = tuple.bindings;
      frame = f;
      item = tuple.focus;
    } else if (!empty) {
      item = input.is_array() ? ArrayAt(input, i) : input;
    }
    for (size_t p = 0; p < group.pairs.size(); ++p) {
      Value key = Eval(group.pairs[p].first, item, frame);
      if (key.undefined()) continue;
      if (!key.is_string()) Throw("T1003", group.position, "", StringOf(*this, key));
      auto [it, inserted] = index.try_emplace(key.str(), groups.size());
      if (inserted) {
        groups.push_back(Group{key.str(), p, item, {}});
        if (reduce) groups.back().tuples.push_back(tuple);
        continue;
      }
      Group& g = groups[it->second];
      if (g.pair != p) Throw("D1009", group.position, "", std::string(key.str()));
      if (reduce) {
        g.tuples.push_back(tuple);
      } else {
        g.more.push_back(item);
      }
    }
  }
  // The reference evaluates the values concurrently, then awaits each.
  std::vector<Value> values(groups.size());
  Concurrently(groups.size(), [&](size_t i) {
    Group& g = groups[i];
    Value context = g.data;
    if (!g.more.empty()) {
      // JSONata's append, done once: arrays contribute their items.
      ArrayData* all = NewArray();
      ForEachItem(g.data, [&](const Value& v) { all->items.push_back(v); });
      for (const Value& item : g.more)
        ForEachItem(item, [&](const Value& v) { all->items.push_back(v); });
      context = Value::Array(all);
    }
    const Frame* frame = env;
    if (reduce) {
      Tuple t = ReduceTuples(*this, g.tuples);
      context = t.focus;
      Frame* f = NewFrame(env);
      f->bindings = t.bindings;
      frame = f;
    }
    values[i] = Eval(group.pairs[g.pair].second, context, frame);
  });
  clock_.Advance(groups.size());
  ObjectData* out = NewObject();
  out->entries.reserve(groups.size());
  for (size_t i = 0; i < groups.size(); ++i)
    if (!values[i].undefined()) out->entries.emplace_back(groups[i].key, values[i]);
  return Value::Object(out);
}

// --- paths --------------------------------------------------------------------

namespace {

TupleStream* ApplyTupleStages(Evaluator& ev, const Node* step, TupleStream* stream,
                              const Frame* env) {
  if (step->stages.empty()) return stream;
  Await stages(ev.clock(), 1);
  for (const Stage& stage : step->stages) {
    if (stage.filter) {
      Await filter(ev.clock(), 1);
      stream = FilterTuples(ev, stage.filter, stream, env);
    } else {
      for (size_t i = 0; i < stream->tuples.size(); ++i)
        stream->tuples[i].bindings = ev.Push(stream->tuples[i].bindings, stage.index_var,
                                             Value::Number(static_cast<double>(i)));
    }
  }
  return stream;
}

}  // namespace

class PathEval {
 public:
  static Value Step(Evaluator& ev, const Node* step, const ValueVector& inputs, const Frame* env,
                    bool last) {
    if (step->type == NodeType::kSort) {
      ArrayData* in = ev.NewSequence();
      in->items = inputs;
      Value r;
      {
        Await sort(ev.clock(), 1);
        r = ev.SortValues(step, Value::Array(in), env);
      }
      if (!step->stages.empty()) {
        Await stages(ev.clock(), 1);
        for (const Stage& stage : step->stages) r = Filter(ev, stage, r, env);
      }
      return r;
    }
    ValueVector results(ev.arena());
    results.reserve(inputs.size());
    for (const Value& item : inputs) {
      Value r = ev.Eval(step, item, env);
      for (const Stage& stage : step->stages) r = Filter(ev, stage, r, env);
      if (!r.undefined()) results.push_back(r);
    }
    if (last && results.size() == 1 && results[0].is_array() && !IsSequence(results[0]))
      return results[0];
    ArrayData* seq = ev.NewSequence();
    seq->items.reserve(results.size());
    for (const Value& r : results) {
      if (!r.is_array() || IsCons(r)) {
        seq->items.push_back(r);
      } else {
        AppendItems(seq->items, r);
      }
    }
    return Value::Array(seq);
  }

  // A sort step in a tuple stream: the tuples sorted, or the inputs sorted
  // and made tuples (with their #$var positions).
  static TupleStream* SortStep(Evaluator& ev, const Node* step, const ValueVector& inputs,
                               TupleStream* tuples, const Frame* env) {
    if (tuples) return SortTuples(ev, step, tuples, env);
    ArrayData* in = ev.NewSequence();
    in->items = inputs;
    Value sorted = ev.SortValues(step, Value::Array(in), env);
    TupleStream* result = ev.Make<TupleStream>(ev.arena());
    size_t n = ArraySize(sorted);
    for (size_t i = 0; i < n; ++i) {
      Tuple t{ArrayAt(sorted, i), nullptr};
      if (!step->index_var.empty())
        t.bindings = ev.Push(nullptr, step->index_var, Value::Number(static_cast<double>(i)));
      result->tuples.push_back(t);
    }
    return result;
  }

  static TupleStream* TupleStep(Evaluator& ev, const Node* step, const ValueVector& inputs,
                                TupleStream* tuples, const Frame* env) {
    if (step->type == NodeType::kSort) {
      Await sort(ev.clock(), 1);
      return ApplyTupleStages(ev, step, SortStep(ev, step, inputs, tuples, env), env);
    }
    if (!tuples) {
      tuples = ev.Make<TupleStream>(ev.arena());
      for (const Value& v : inputs) tuples->tuples.push_back(Tuple{v, nullptr});
    }
    TupleStream* result = ev.Make<TupleStream>(ev.arena());
    for (const Tuple& tuple : tuples->tuples) {
      Frame* frame = ev.NewFrame(env);
      frame->bindings = tuple.bindings;
      Value r = ev.Eval(step, tuple.focus, frame);
      if (r.undefined()) continue;
      if (r.is(Kind::kTuples)) {
        for (const Tuple& inner : r.tuples()->tuples)
          result->tuples.push_back(Merge(ev, tuple, inner));
        continue;
      }
      size_t n = r.is_array() ? ArraySize(r) : 1;
      for (size_t i = 0; i < n; ++i) {
        Value v = r.is_array() ? ArrayAt(r, i) : r;
        Tuple t = tuple;
        if (!step->focus.empty()) {
          t.bindings = ev.Push(t.bindings, step->focus, v);
        } else {
          t.focus = v;
        }
        if (!step->index_var.empty())
          t.bindings = ev.Push(t.bindings, step->index_var, Value::Number(static_cast<double>(i)));
        if (step->ancestor) t.bindings = ev.Push(t.bindings, step->ancestor->label, tuple.focus);
        result->tuples.push_back(t);
      }
    }
    return ApplyTupleStages(ev, step, result, env);
  }

  static Value Filter(Evaluator& ev, const Stage& stage, Value v, const Frame* env) {
    if (!stage.filter) return v;
    Await filter(ev.clock(), 1);
    return ev.Filter(stage.filter, v, env);
  }

  // `inner`'s bindings layered over `outer`'s, as Object.assign would.
  static Tuple Merge(Evaluator& ev, const Tuple& outer, const Tuple& inner) {
    std::vector<const Binding*> chain;
    for (const Binding* b = inner.bindings; b; b = b->next) chain.push_back(b);
    Tuple t{inner.focus, outer.bindings};
    for (auto it = chain.rbegin(); it != chain.rend(); ++it)
      t.bindings = ev.Push(t.bindings, (*it)->name, (*it)->value);
    return t;
  }
};

namespace {

// A lone field name with nothing attached: the most common path by far.
bool IsPlainField(const Node* node) {
  if (node->items.size() != 1 || node->keep_singleton_array || node->group || node->tuple)
    return false;
  const Node* step = node->items[0];
  return step->type == NodeType::kName && step->stages.empty() && step->predicates.empty() &&
         !step->group && !step->tuple && !step->keep_array && step->focus.empty() &&
         step->index_var.empty();
}

}  // namespace

Value Evaluator::EvalPath(const Node* node, Value input, const Frame* env) {
  // Same result as the general code below for an object context (and the
  // same turns: the reference awaits the step and the name in it).
  if (input.is_object() && IsPlainField(node)) {
    clock_.Advance(2);
    return ObjectGet(input, node->items[0]->text);
  }
  const auto& steps = node->items;
  ValueVector inputs(arena_);
  if (input.is_array() && steps[0]->type != NodeType::kVariable) {
    AppendItems(inputs, input);
  } else {
    inputs.push_back(input);
  }
  Value result;
  TupleStream* tuples = nullptr;
  bool tuple_mode = false;
  for (size_t i = 0; i < steps.size(); ++i) {
    const Node* step = steps[i];
    if (step->tuple) tuple_mode = true;
    if (i == 0 && step->cons_array) {
      ArrayData* in = NewSequence();
      in->items = inputs;
      result = Eval(step, Value::Array(in), env);
    } else if (tuple_mode) {
      Await await(clock_, 1);
      tuples = PathEval::TupleStep(*this, step, inputs, tuples, env);
    } else {
      Await await(clock_, 1);
      result = PathEval::Step(*this, step, inputs, env, i + 1 == steps.size());
    }
    if (!tuple_mode && (result.undefined() || (result.is_array() && ArraySize(result) == 0))) break;
    if (step->focus.empty() && !tuple_mode) {
      inputs.clear();
      if (result.is_array()) {
        AppendItems(inputs, result);
      } else {
        inputs.push_back(result);
      }
    }
  }
  if (tuple_mode) {
    if (node->tuple) {
      result = Value::Tuples(tuples);
    } else {
      ArrayData* seq = NewSequence();
      seq->items.reserve(tuples->tuples.size());
      for (const Tuple& t : tuples->tuples) seq->items.push_back(t.focus);
      result = Value::Array(seq);
    }
  }
  if (node->keep_singleton_array && result.is_array() && !result.is_json()) {
    ArrayData* a = result.array();
    if (a->cons && !a->sequence) {
      ArrayData* wrapper = NewSequence();
      wrapper->items.push_back(result);
      a = wrapper;
      result = Value::Array(a);
    }
    a->keep_singleton = true;
  }
  if (node->group) {
    Await await(clock_, 1);
    result = GroupBy(*node->group, tuple_mode ? Value::Tuples(tuples) : result, env);
  }
  return result;
}

}  // namespace fleetflow::jsonata::internal
