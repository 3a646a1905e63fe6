// libFuzzer target: the first line is a JSONPath, the rest a JSON document.
// Parsing in both modes and evaluating against the document must not crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/json/path.h"

namespace json = fleetflow::json;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t newline = input.find('\n');
  std::string_view path_text = input.substr(0, newline);
  json::Value doc;
  if (newline != std::string_view::npos) {
    auto parsed = json::Parse(input.substr(newline + 1));
    if (parsed.ok()) doc = *std::move(parsed);
  }
  for (auto mode : {json::PathMode::kPath, json::PathMode::kReferencePath}) {
    auto path = json::Path::Parse(path_text, mode);
    if (!path.ok()) continue;
    json::Value out;
    path->Select(doc, out);
    std::vector<const json::Value*> nodes;
    path->Collect(doc, nodes);
    if (path->definite() && !path->has_function()) path->Find(doc);
    (void)path->Normalized();
  }
  return 0;
}
