#pragma once
// `fleetflow run` and `fleetflow test` run a machine and the executions it
// starts (startExecution tasks) in this process. The machines it can start
// are its own (a machine may start itself) and, for a .flow file, every
// machine it imports. Each machine's tasks go to its own registry: the
// mocks of that machine for the test case, when the mock file has them.

#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "engine/definition/machine_def.h"
#include "engine/runtime/clock.h"
#include "engine/runtime/interpreter.h"
#include "engine/runtime/local_nested.h"
#include "engine/runtime/mock_config.h"
#include "engine/runtime/resource_registry.h"

namespace fleetflow::cli {

// The machines `file` imports, by name, loaded and validated; nullopt after
// a message on `err`. An ASL file imports nothing.
std::optional<std::map<std::string, definition::MachinePtr>> ImportedMachines(
    const std::string& file, std::ostream& err);

class LocalExecutions {
 public:
  // `mocks` may be null (no mocks); `test_case` picks each machine's mocks.
  LocalExecutions(std::map<std::string, definition::MachinePtr> machines, runtime::Clock& clock,
                  runtime::InterpreterOptions options, const runtime::MockConfig* mocks,
                  std::string test_case);

  // The registry of `machine`'s executions; built on first use.
  runtime::ResourceRegistry& RegistryFor(const std::string& machine);

  const runtime::LocalNestedExecutions& nested() const { return *nested_; }

 private:
  const runtime::MockConfig* mocks_;
  std::string test_case_;
  std::shared_ptr<runtime::LocalNestedExecutions> nested_;
  std::map<std::string, std::unique_ptr<runtime::ResourceRegistry>> registries_;
};

}  // namespace fleetflow::cli
