#pragma once
// Which error names a Retrier's or Catcher's ErrorEquals matches.

#include <string>
#include <vector>

namespace fleetflow::runtime {

// States.Runtime and States.DataLimitExceeded end the execution: no Retry or
// Catch applies to them, States.ALL included.
bool IsTerminalError(const std::string& error);

// States.ALL matches every non-terminal error; States.TaskFailed every one
// but the timeouts; States.Timeout also matches States.HeartbeatTimeout.
bool ErrorMatches(const std::vector<std::string>& error_equals, const std::string& error);

}  // namespace fleetflow::runtime
