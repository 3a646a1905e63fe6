// Differential-test driver: reads JSON lines {"expr": "...", "input": ...}
// ("input" absent means undefined) and writes one JSON line per case:
// {"result": value}, {"undefined": true} or {"error": "CODE"}.
#include <iostream>
#include <string>

#include "engine/json/json.h"
#include "engine/jsonata/jsonata.h"

namespace json = fleetflow::json;
namespace jsonata = fleetflow::jsonata;

int main() {
  std::ios::sync_with_stdio(false);
  std::string line;
  jsonata::EvalOptions options;
  options.timeout = absl::Seconds(2);
  while (std::getline(std::cin, line)) {
    json::Object out;
    auto parsed = json::Parse(line);
    if (!parsed.ok() || !parsed->is_object()) {
      out["error"] = "BADCASE";
    } else {
      const json::Object& c = parsed->get_object();
      jsonata::Error error;
      auto expr = jsonata::Compile(std::string(c.at("expr").get_string()), &error);
      if (!expr.ok()) {
        out["error"] = error.code;
      } else {
        const json::Value* input = c.if_contains("input");
        jsonata::Evaluation r = (*expr)->Evaluate(input, {}, options);
        if (!r.ok()) {
          out["error"] = r.error->code;
        } else if (!r.value) {
          out["undefined"] = true;
        } else {
          out["result"] = *r.value;
        }
      }
    }
    std::cout << json::Serialize(json::Value(std::move(out))) << '\n';
  }
  return 0;
}
