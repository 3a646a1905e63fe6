#include "engine/runtime/error_matching.h"

namespace fleetflow::runtime {

bool IsTerminalError(const std::string& error) {
  return error == "States.Runtime" || error == "States.DataLimitExceeded";
}

bool ErrorMatches(const std::vector<std::string>& error_equals, const std::string& error) {
  if (IsTerminalError(error)) return false;
  bool timeout = error == "States.Timeout" || error == "States.HeartbeatTimeout";
  for (const std::string& e : error_equals) {
    if (e == error || e == "States.ALL") return true;
    if (e == "States.TaskFailed" && !timeout) return true;
    if (e == "States.Timeout" && error == "States.HeartbeatTimeout") return true;
  }
  return false;
}

}  // namespace fleetflow::runtime
