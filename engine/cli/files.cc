#include <fstream>
#include <iostream>
#include <sstream>

#include "engine/cli/commands.h"
#include "engine/definition/dsl/flow.h"

namespace fleetflow::cli {

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << path << ": cannot open the file\n";
    return std::nullopt;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::optional<std::string> ReadDefinition(const std::string& path, std::ostream& diagnostics,
                                          size_t* errors) {
  if (errors != nullptr) *errors = 0;
  if (!definition::dsl::IsFlowFile(path)) return ReadFile(path);
  definition::dsl::FlowResult flow = definition::dsl::LoadFlowFile(path);
  diagnostics << flow.Render();
  if (!flow.ok()) {
    if (errors != nullptr) *errors = flow.error_count();
    return std::nullopt;
  }
  return definition::dsl::PrettyJson(flow.asl);
}

}  // namespace fleetflow::cli
