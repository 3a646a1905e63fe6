// libFuzzer target: any bytes as an ASL definition (JSON or YAML). The loader
// must return a machine or errors, never crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/definition/loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  fleetflow::definition::LoadResult result = fleetflow::definition::LoadAsl(text);
  if (result.ok() == result.errors.empty() && (result.machine != nullptr) != result.ok())
    __builtin_trap();
  return 0;
}
