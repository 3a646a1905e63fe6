// libFuzzer target: the first line is an intrinsic function call, the rest the
// state input. Parsing and evaluating must give a value or a Failure.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/json/intrinsic.h"

namespace json = fleetflow::json;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t newline = input.find('\n');
  auto call = json::ParseIntrinsic(input.substr(0, newline));
  if (!call.ok()) return 0;
  json::Value doc = json::Object{{"a", 1}, {"s", "x,y"}, {"arr", json::Array{1, 2, 2}}};
  if (newline != std::string_view::npos) {
    auto parsed = json::Parse(input.substr(newline + 1));
    if (parsed.ok()) doc = *std::move(parsed);
  }
  json::Object variables{{"v", json::Array{"a", "b"}}};
  json::SimpleScope scope(doc, &doc, &variables, 42);
  auto result = json::EvaluateIntrinsic(*call, scope);
  if (result.ok()) (void)json::Serialize(result.value());
  return 0;
}
