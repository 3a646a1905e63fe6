#include "engine/common/strings.h"
#include "engine/definition/load_context.h"

namespace fleetflow::definition {

void LoadWait(const StateInput& in, State& state) {
  CheckAllowedFields(in, "Wait",
                     {"Next", "End", "InputPath", "OutputPath", "Seconds", "SecondsPath",
                      "Timestamp", "TimestampPath", "Assign", "Output"});
  LoadTransition(in, state);
  WaitSpec spec;
  if (in.jsonata) {
    auto f = std::make_shared<JsonataFields>();
    LoadJsonataOutputAndAssign(in, *f);
    if (in.object.contains("Seconds") == in.object.contains("Timestamp")) {
      in.Error("", "a JSONata Wait state needs exactly one of Seconds and Timestamp");
    }
    NumberSource seconds;
    LoadJsonataNumber(in, "Seconds", true, 0, 99999999, seconds, f->seconds);
    spec.seconds = seconds.value;
    if (const json::Value* t = in.object.if_contains("Timestamp")) {
      if (t->is_string() && IsJsonataString(t->get_string())) {
        f->timestamp = LoadJsonataTemplate(in, *t, in.At("Timestamp"));
      } else if (!t->is_string() || !IsRfc3339(t->get_string())) {
        in.Error("Timestamp",
                 "Timestamp must be an RFC 3339 string such as \"2026-03-14T01:59:00Z\" or a "
                 "JSONata expression \"{% ... %}\"");
      } else {
        spec.timestamp = std::string(t->get_string());
      }
    }
    state.jsonata = std::move(f);
    state.spec = std::move(spec);
    return;
  }
  LoadInputOutputPaths(in, state);
  state.assign = LoadAssign(in, in.object.if_contains("Assign"), in.At("Assign"));
  int given = 0;
  for (const char* f : {"Seconds", "SecondsPath", "Timestamp", "TimestampPath"}) {
    given += in.object.contains(f) ? 1 : 0;
  }
  if (given != 1) {
    in.Error(
        "",
        given == 0
            ? "a Wait state needs one of Seconds, SecondsPath, Timestamp or TimestampPath"
            : "a Wait state takes only one of Seconds, SecondsPath, Timestamp and TimestampPath");
  }
  if (const json::Value* s = in.object.if_contains("Seconds")) {
    if (!json::IsNumber(*s) || !json::IsIntegral(*s) || json::AsDouble(*s) < 0 ||
        json::AsDouble(*s) > 99999999) {
      in.Error("Seconds", "Seconds must be an integer from 0 to 99999999");
    } else {
      spec.seconds = json::AsDouble(*s);
    }
  }
  if (const json::Value* t = in.object.if_contains("Timestamp")) {
    if (!t->is_string() || !IsRfc3339(t->get_string())) {
      in.Error("Timestamp",
               "Timestamp must be an RFC 3339 string such as \"2026-03-14T01:59:00Z\"");
    } else {
      spec.timestamp = std::string(t->get_string());
    }
  }
  spec.seconds_path = LoadReferencePath(in, "SecondsPath");
  spec.timestamp_path = LoadReferencePath(in, "TimestampPath");
  state.spec = std::move(spec);
}

}  // namespace fleetflow::definition
