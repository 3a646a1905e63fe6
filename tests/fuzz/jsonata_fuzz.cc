// libFuzzer target: the first line is a JSONata expression, the rest a JSON
// document. Compiling and evaluating under tight limits must not crash or
// hang; errors are fine.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/json/json.h"
#include "engine/jsonata/jsonata.h"

namespace json = fleetflow::json;
namespace jsonata = fleetflow::jsonata;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t newline = input.find('\n');
  std::string_view text = input.substr(0, newline);
  json::Value doc;
  const json::Value* in = nullptr;
  if (newline != std::string_view::npos) {
    auto parsed = json::Parse(input.substr(newline + 1));
    if (parsed.ok()) {
      doc = *std::move(parsed);
      in = &doc;
    }
  }
  auto expr = jsonata::Compile(text);
  if (!expr.ok()) return 0;
  jsonata::EvalOptions options;
  options.max_depth = 120;
  options.timeout = absl::Milliseconds(200);
  options.max_memory_bytes = size_t{64} << 20;
  (void)(*expr)->Evaluate(in, {}, options);
  return 0;
}
