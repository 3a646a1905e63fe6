// Names of execution statuses and the partition of an execution.

#include <cstring>

#include "engine/store/records.h"

namespace fleetflow::store {
namespace {

constexpr const char* kStatusNames[] = {"RUNNING",   "SUCCEEDED", "FAILED",
                                        "TIMED_OUT", "ABORTED",   "PENDING_REDRIVE"};

}  // namespace

const char* ExecutionStatusName(ExecutionStatus status) {
  return kStatusNames[static_cast<int>(status)];
}

bool ParseExecutionStatus(std::string_view name, ExecutionStatus& status) {
  for (int i = 0; i < static_cast<int>(std::size(kStatusNames)); ++i) {
    if (name == kStatusNames[i]) {
      status = static_cast<ExecutionStatus>(i);
      return true;
    }
  }
  return false;
}

// FNV-1a: stable across builds and platforms, unlike std::hash, because the
// partition is stored.
int32_t PartitionOf(std::string_view execution_arn) {
  uint32_t hash = 2166136261u;
  for (unsigned char c : execution_arn) {
    hash = (hash ^ c) * 16777619u;
  }
  return static_cast<int32_t>(hash % kPartitions);
}

}  // namespace fleetflow::store
