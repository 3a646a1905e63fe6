// libFuzzer target: any bytes as a .flow file. Loading must give an ASL
// document and a machine, or diagnostics, never crash, hang or leak; a
// document that loads must print, and the printed text must load again to
// the same document (the DSL -> ASL -> DSL round trip).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/definition/dsl/flow.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace dsl = fleetflow::definition::dsl;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  dsl::FlowOptions options;
  options.resolve_imports = false;
  dsl::FlowResult result = dsl::LoadFlow(text, "fuzz.flow", options);
  std::string rendered = result.Render();
  if (!result.ok()) {
    if (result.machine != nullptr) __builtin_trap();
    return 0;
  }
  if (result.machine == nullptr) __builtin_trap();
  auto printed = dsl::PrintFlow(result.asl);
  if (!printed.ok()) return 0;  // e.g. a path the printer cannot write back
  dsl::FlowResult again = dsl::LoadFlow(*printed, "printed.flow", options);
  if (!again.ok() || again.asl != result.asl) __builtin_trap();
  auto reprinted = dsl::PrintFlow(again.asl);
  if (!reprinted.ok() || *reprinted != *printed) __builtin_trap();
  return 0;
}
