#pragma once
// Stored history batches (JSON arrays of AWS-shaped events) to the API's
// HistoryEvent messages.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/store/records.h"
#include "fleetflow/v1/engine.pb.h"

namespace fleetflow::server {

// Appends the events of `batch` with after_id < id < before_id, in id order.
// Without execution data, inputs, outputs and parameters are left out.
absl::Status AppendEvents(const store::HistoryBatch& batch, int64_t after_id, int64_t before_id,
                          bool include_execution_data, std::vector<v1::HistoryEvent>& out);

// ExecutionSucceeded, ExecutionFailed, ExecutionTimedOut, ExecutionAborted.
bool ClosesExecution(const std::string& type);

}  // namespace fleetflow::server
