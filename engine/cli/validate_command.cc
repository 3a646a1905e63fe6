#include <iostream>

#include "engine/cli/commands.h"
#include "engine/definition/loader.h"

namespace fleetflow::cli {

int Validate(const ValidateOptions& options) {
  size_t flow_errors = 0;
  std::optional<std::string> text =
      ReadDefinition(options.definition_file, std::cout, &flow_errors);
  if (!text) {
    if (flow_errors > 0) std::cout << flow_errors << (flow_errors == 1 ? " error\n" : " errors\n");
    return 2;
  }
  definition::LoadResult loaded = definition::LoadAsl(*text);
  if (!loaded.ok()) {
    for (const definition::Diagnostic& d : loaded.errors) {
      std::cout << options.definition_file << ": " << (d.location.empty() ? "/" : d.location)
                << ": " << d.message << "\n";
    }
    std::cout << loaded.errors.size() << (loaded.errors.size() == 1 ? " error\n" : " errors\n");
    return 2;
  }
  size_t states = 0;
  for (const auto& g : loaded.machine->graphs) states += g.states.size();
  std::cout << options.definition_file << ": valid (" << states << " states)\n";
  return 0;
}

}  // namespace fleetflow::cli
