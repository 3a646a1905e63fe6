#include "engine/cli/local_executions.h"

#include "engine/definition/dsl/flow.h"
#include "engine/definition/loader.h"
#include "engine/json/json.h"

namespace fleetflow::cli {

std::optional<std::map<std::string, definition::MachinePtr>> ImportedMachines(
    const std::string& file, std::ostream& err) {
  std::map<std::string, definition::MachinePtr> machines;
  if (!definition::dsl::IsFlowFile(file)) return machines;
  definition::dsl::FlowResult flow = definition::dsl::LoadFlowFile(file);
  if (!flow.ok()) {
    err << flow.Render();
    return std::nullopt;
  }
  for (const definition::dsl::ImportedMachine& imported : flow.imports) {
    // A cycle's entry has no document: the machine is loaded elsewhere in the list.
    if (imported.asl.is_null() || machines.count(imported.name)) continue;
    definition::LoadResult loaded = definition::LoadAslDocument(imported.asl);
    if (!loaded.ok()) {
      err << imported.path << ": " << loaded.errors.front().location << ": "
          << loaded.errors.front().message << "\n";
      return std::nullopt;
    }
    machines[imported.name] = loaded.machine;
  }
  return machines;
}

LocalExecutions::LocalExecutions(std::map<std::string, definition::MachinePtr> machines,
                                 runtime::Clock& clock, runtime::InterpreterOptions options,
                                 const runtime::MockConfig* mocks, std::string test_case)
    : mocks_(mocks), test_case_(std::move(test_case)) {
  nested_ = std::make_shared<runtime::LocalNestedExecutions>(
      std::move(machines), clock, options,
      [this](const std::string& machine) -> const runtime::ResourceRegistry& {
        return RegistryFor(machine);
      });
}

runtime::ResourceRegistry& LocalExecutions::RegistryFor(const std::string& machine) {
  std::unique_ptr<runtime::ResourceRegistry>& registry = registries_[machine];
  if (registry) return *registry;
  registry = std::make_unique<runtime::ResourceRegistry>();
  registry->Register(std::string(runtime::kStartExecutionResource), nested_);
  if (mocks_ == nullptr) return *registry;
  auto cases = mocks_->machines.find(machine);
  if (cases == mocks_->machines.end() || !cases->second.count(test_case_)) return *registry;
  auto handler = runtime::MockTaskHandler::Create(*mocks_, machine, test_case_);
  if (!handler.ok()) return *registry;  // checked by Create above: cannot happen
  std::shared_ptr<runtime::MockTaskHandler> mocks = *handler;
  registry->SetInterceptor(
      mocks, [mocks](const runtime::DispatchTask& t) { return mocks->Mocks(t.state_name); });
  return *registry;
}

}  // namespace fleetflow::cli
