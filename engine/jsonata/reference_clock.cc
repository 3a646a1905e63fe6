#include "engine/jsonata/reference_clock.h"

#include <algorithm>
#include <optional>

#include "engine/jsonata/ast.h"
#include "engine/jsonata/evaluator.h"

namespace fleetflow::jsonata::internal {

uint64_t ReferenceTurns(const Node& node) {
  switch (node.type) {
    case NodeType::kPath:
    case NodeType::kBinary:
    case NodeType::kNegate:
    case NodeType::kArray:
    case NodeType::kObject:
    case NodeType::kBlock:
    case NodeType::kCondition:
    case NodeType::kPartial:
    case NodeType::kBind:
    case NodeType::kApply:
      return 2;
    case NodeType::kCall:
      // A call in tail position is a thunk, made synchronously; the
      // trampoline evaluates it (Evaluator::Apply).
      return node.tail_call ? 1 : 2;
    default:
      return 1;
  }
}

bool AwaitsInReference(std::string_view name) {
  for (std::string_view async : {"contains", "match", "replace", "split", "map", "filter", "single",
                                 "reduce", "each", "sift", "sort", "eval"})
    if (name == async) return true;
  return false;
}

// Every item starts when the constructor does. An item that fails sets a
// limit: a later item that reaches that time without failing cannot fail
// first any more (ties go to the lower index), so it is abandoned. Awaiting
// Promise.all settles two turns after the item that decides it: one for
// Promise.all's own reaction, one for the await.
void Evaluator::Concurrently(size_t n, absl::FunctionRef<void(size_t)> item) {
  if (n == 0) {
    clock_.Advance(1);  // Promise.all([]) is already resolved
    return;
  }
  const uint64_t start = clock_.now();
  const uint64_t outer_limit = clock_.limit();
  const int depth = depth_;
  uint64_t settled = start;
  std::optional<JsonataError> failure;
  uint64_t failed_at = 0;
  for (size_t i = 0; i < n; ++i) {
    clock_.set(start);
    try {
      item(i);
      settled = std::max(settled, clock_.now());
    } catch (JsonataError& e) {
      depth_ = depth;
      if (e.code == "U1001") {
        clock_.set_limit(outer_limit);
        throw;
      }
      if (!failure || clock_.now() < failed_at) {
        failed_at = clock_.now();
        failure = std::move(e);
        clock_.set_limit(std::min(outer_limit, failed_at));
      }
    } catch (ClockLimitReached&) {
      depth_ = depth;
      // Ours when an earlier item's failure set the limit; else an enclosing
      // constructor gave up on this whole item.
      if (!failure || failed_at >= outer_limit) {
        clock_.set_limit(outer_limit);
        throw;
      }
    }
  }
  clock_.set_limit(outer_limit);
  if (failure) {
    clock_.set(failed_at + 2);
    throw std::move(*failure);
  }
  clock_.set(settled + 2);
}

}  // namespace fleetflow::jsonata::internal
