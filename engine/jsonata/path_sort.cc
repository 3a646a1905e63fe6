// Order-by (`^(...)`): the reference's merge sort over the sort terms, for
// plain sequences and for tuple streams.
#include <vector>

#include "engine/jsonata/evaluator.h"

namespace fleetflow::jsonata::internal {

namespace {

int CompareKeys(const Value& a, const Value& b, bool descending, int position) {
  if (a.undefined() && b.undefined()) return 0;
  if (a.undefined()) return 1;
  if (b.undefined()) return -1;
  bool a_ok = a.is_number() || a.is_string();
  bool b_ok = b.is_number() || b.is_string();
  if (!a_ok || !b_ok) Throw("T2008", position);
  if (a.kind() != b.kind()) Throw("T2007", position);
  int c = 0;
  if (a.is_number()) {
    c = a.number() < b.number() ? -1 : a.number() > b.number() ? 1 : 0;
  } else {
    c = a.str() < b.str() ? -1 : a.str() > b.str() ? 1 : 0;
  }
  return descending ? -c : c;
}

// Sorts `count` items by the node's terms with the reference's merge sort (so
// that a type error surfaces at the same comparison). The reference evaluates
// the terms of both items at each comparison; here each term is evaluated
// once per item, and the turns that took are replayed per comparison.
template <typename ContextOf>
std::vector<size_t> SortOrder(Evaluator& ev, const Node* sort, size_t count,
                              ContextOf&& context_of) {
  ReferenceClock& clock = ev.clock();
  Await sort_call(clock, 1);
  std::vector<size_t> order(count);
  for (size_t i = 0; i < count; ++i) order[i] = i;
  if (count <= 1) return order;
  size_t terms = sort->terms.size();
  std::vector<Value> keys(count * terms);
  std::vector<uint64_t> turns(count * terms);
  uint64_t start = clock.now();
  for (size_t i = 0; i < count; ++i) {
    auto [context, frame] = context_of(i);
    for (size_t t = 0; t < terms; ++t) {
      uint64_t before = clock.now();
      keys[i * terms + t] = ev.Eval(sort->terms[t].expr, context, frame);
      turns[i * terms + t] = clock.now() - before;
    }
  }
  clock.set(start);
  ReferenceMergeSort(clock, order, [&](size_t a, size_t b) {
    for (size_t t = 0; t < terms; ++t) {
      clock.Advance(turns[a * terms + t] + turns[b * terms + t]);
      int c = CompareKeys(keys[a * terms + t], keys[b * terms + t], sort->terms[t].descending,
                          sort->position);
      if (c != 0) return c > 0;
    }
    return false;
  });
  return order;
}

}  // namespace

Value Evaluator::SortValues(const Node* sort, Value input, const Frame* env) {
  ArrayData* out = NewSequence();
  if (input.undefined()) return Value::Array(out);
  bool is_array = input.is_array();
  size_t size = is_array ? ArraySize(input) : 1;
  auto item = [&](size_t i) { return is_array ? ArrayAt(input, i) : input; };
  auto order = SortOrder(*this, sort, size,
                         [&](size_t i) { return std::pair<Value, const Frame*>(item(i), env); });
  for (size_t i : order) out->items.push_back(item(i));
  return Value::Array(out);
}

TupleStream* SortTuples(Evaluator& ev, const Node* sort, TupleStream* input, const Frame* env) {
  auto& tuples = input->tuples;
  auto order = SortOrder(ev, sort, tuples.size(), [&](size_t i) {
    Frame* frame = ev.NewFrame(env);
    frame->bindings = tuples[i].bindings;
    return std::pair<Value, const Frame*>(tuples[i].focus, frame);
  });
  TupleStream* out = ev.Make<TupleStream>(ev.arena());
  for (size_t i : order) out->tuples.push_back(tuples[i]);
  return out;
}

}  // namespace fleetflow::jsonata::internal
