#pragma once
// Which error wins when several sub-expressions fail.
//
// The reference implementation (jsonata-js) evaluates the items of an array
// constructor, and the values of an object constructor, concurrently
// (Promise.all). When more than one of them fails, the error it reports is the
// one whose promise is rejected first on JavaScript's microtask queue, which
// is not always the first in the text: `[x.y.z = 1 < "a", -"b"]` reports the
// negation's D1002, because that item fails after fewer awaits. JSONata's
// documentation leaves the order open, and users compare results with the
// reference, so Fleetflow reports the same error.
//
// To know which item would fail first, the evaluator keeps a virtual clock:
// the number of turns of the microtask queue jsonata-js would have taken so
// far. Every `await` takes one turn, whether the awaited promise resolves or
// rejects, so the evaluator advances the clock where the reference awaits (an
// Await on the stack advances it as it goes out of scope, on return and on
// unwind). Items evaluated "concurrently" all start at the same time; the one
// that fails at the earliest time (then the lowest index) wins. The clock
// influences nothing else: values, and the error of an expression without
// concurrent failures, are what they always were.

#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

namespace fleetflow::jsonata::internal {

struct Node;

// Thrown by ReferenceClock::Check when the item being evaluated can no longer
// fail before an earlier item that already failed: it is abandoned.
struct ClockLimitReached {};

class ReferenceClock {
 public:
  uint64_t now() const { return now_; }
  void set(uint64_t now) { now_ = now; }
  void Advance(uint64_t turns) { now_ += turns; }

  uint64_t limit() const { return limit_; }
  void set_limit(uint64_t limit) { limit_ = limit; }
  // Throws ClockLimitReached once the clock reaches the limit.
  void Check() const {
    if (now_ >= limit_) throw ClockLimitReached{};
  }

 private:
  uint64_t now_ = 0;
  uint64_t limit_ = std::numeric_limits<uint64_t>::max();
};

// Advances the clock by `turns` when it goes out of scope, however it leaves.
class Await {
 public:
  Await(ReferenceClock& clock, uint64_t turns) : clock_(clock), turns_(turns) {}
  ~Await() { clock_.Advance(turns_); }
  Await(const Await&) = delete;
  Await& operator=(const Await&) = delete;
  // More turns, for awaits that only happen once something has succeeded.
  void Add(uint64_t turns) { turns_ += turns; }

 private:
  ReferenceClock& clock_;
  uint64_t turns_;
};

// The reference's merge sort, used by $sort and order-by: halves sorted
// left then right, then merged taking `b` before `a` when swap(a, b) (stable,
// and user comparators see the same calls in the same order). Advances the
// clock as its asynchronous recursion would; `swap` advances it by what a
// comparison costs.
template <typename T, typename Swap>
void ReferenceMergeSortHalves(ReferenceClock& clock, std::vector<T>& items, Swap& swap) {
  if (items.size() < 2) return;
  size_t mid = items.size() / 2;
  std::vector<T> left(items.begin(), items.begin() + mid);
  std::vector<T> right(items.begin() + mid, items.end());
  {
    Await halve(clock, 1);
    ReferenceMergeSortHalves(clock, left, swap);
  }
  {
    Await halve(clock, 1);
    ReferenceMergeSortHalves(clock, right, swap);
  }
  // Merging awaits one step per comparison, each awaiting the next.
  Await merge(clock, 2);
  size_t l = 0, r = 0, k = 0;
  while (l < left.size() && r < right.size()) {
    bool swapped;
    {
      Await compare(clock, 1);
      swapped = swap(left[l], right[r]);
    }
    merge.Add(1);
    items[k++] = swapped ? right[r++] : left[l++];
  }
  while (l < left.size()) items[k++] = left[l++];
  while (r < right.size()) items[k++] = right[r++];
}

template <typename T, typename Swap>
void ReferenceMergeSort(ReferenceClock& clock, std::vector<T>& items, Swap&& swap) {
  if (items.size() < 2) return;
  Await sort(clock, 1);
  ReferenceMergeSortHalves(clock, items, swap);
}

// Turns the reference takes to evaluate `node` beyond its sub-expressions:
// the caller's await, and the await on the node's own evaluator where that is
// asynchronous (operators, paths, constructors, calls, blocks, conditions).
uint64_t ReferenceTurns(const Node& node);

// Whether the reference's implementation of the built-in `name` is
// asynchronous (its caller awaits one more turn): the regex and higher-order
// functions, $sort and $eval.
bool AwaitsInReference(std::string_view name);

}  // namespace fleetflow::jsonata::internal
