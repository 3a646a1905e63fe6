#pragma once
// What a StartExecution ARN runs: a machine's current definition, a version,
// or the version an alias routes this start to. Resolving reads the store;
// starts come by the thousand per second for a few machines, so the answer
// is kept for a second. AWS documents the same eventual consistency: an
// execution started just after UpdateStateMachine may run the previous
// definition. Changes made through this process are seen at once (Forget).

#include <mutex>
#include <string>
#include <unordered_map>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "engine/runtime/durable/engine.h"
#include "engine/store/store.h"

namespace fleetflow::server {

class StartTargets {
 public:
  explicit StartTargets(store::Store& store, absl::Duration keep = absl::Seconds(1))
      : store_(store), keep_(keep) {}

  // The StartRequest without name and input; kInvalidArgument for a bad ARN,
  // kNotFound ("StateMachineDoesNotExist: ...") for an unknown one.
  absl::StatusOr<runtime::durable::StartRequest> Resolve(const std::string& arn);
  // The machine changed (update, delete, a version or alias changed).
  void Forget(const std::string& machine_arn);

 private:
  absl::StatusOr<runtime::durable::StartRequest> Read(const std::string& arn);

  struct Entry {
    runtime::durable::StartRequest request;
    absl::Time until;
  };
  store::Store& store_;
  absl::Duration keep_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;  // by machine or version ARN
  uint64_t epoch_ = 0;  // bumped by Forget: a read begun before it is not kept
};

}  // namespace fleetflow::server
