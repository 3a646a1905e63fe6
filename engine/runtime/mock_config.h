#pragma once
// AWS Step Functions Local's mock configuration (MockConfigFile.json):
//   StateMachines -> <machine> -> TestCases -> <case> -> <state> -> <response>
//   MockedResponses -> <response> -> "0" | "1-2" -> {"Return": ...} | {"Throw": {Error, Cause}}
// Each attempt of a state (retries included) takes the next invocation index.

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/json/json.h"
#include "engine/runtime/resource_registry.h"

namespace fleetflow::runtime {

struct MockedInvocation {
  int first = 0, last = 0;  // inclusive
  bool is_throw = false;
  json::Value value;         // Return
  std::string error, cause;  // Throw
};

struct MockConfig {
  // machine -> test case -> state -> response name
  std::map<std::string, std::map<std::string, std::map<std::string, std::string>>> machines;
  std::map<std::string, std::vector<MockedInvocation>> responses;

  // Parses and checks the file; errors name the JSON pointer.
  static absl::StatusOr<MockConfig> Parse(const json::Value& document);
};

// Answers the tasks of one test case from a MockConfig.
class MockTaskHandler : public TaskHandler {
 public:
  // Fails when the machine or test case is not in the config.
  static absl::StatusOr<std::shared_ptr<MockTaskHandler>> Create(const MockConfig& config,
                                                                 const std::string& machine,
                                                                 const std::string& test_case);
  bool Mocks(const std::string& state_name) const { return states_.count(state_name) > 0; }
  void Invoke(const DispatchTask& task, TaskCallback done) override;

 private:
  std::map<std::string, const std::vector<MockedInvocation>*> states_;
  std::map<std::string, int> calls_;
  std::mutex mu_;
  MockConfig config_;
};

}  // namespace fleetflow::runtime
