#include "engine/server/history_events.h"

#include "engine/common/strings.h"
#include "engine/common/timestamp.h"
#include "engine/json/json.h"
#include "engine/server/backend.h"

namespace fleetflow::server {

bool ClosesExecution(const std::string& type) {
  return type == "ExecutionSucceeded" || type == "ExecutionFailed" || type == "ExecutionTimedOut" ||
         type == "ExecutionAborted";
}

absl::Status AppendEvents(const store::HistoryBatch& batch, int64_t after_id, int64_t before_id,
                          bool include_execution_data, std::vector<v1::HistoryEvent>& out) {
  auto parsed = json::Parse(batch.events);
  if (!parsed.ok() || !parsed->is_array()) {
    return absl::DataLossError(
        StrCat("history batch ", batch.first_event_id, " of an execution is unreadable"));
  }
  for (json::Value& value : parsed->get_array()) {
    if (!value.is_object()) continue;
    json::Object& e = value.get_object();
    int64_t id = e["id"].to_number<int64_t>();
    if (id <= after_id || id >= before_id) continue;
    v1::HistoryEvent& event = out.emplace_back();
    event.set_id(id);
    event.set_previous_event_id(e["previousEventId"].to_number<int64_t>());
    if (const json::Value* ts = e.if_contains("timestamp"); ts && ts->is_string()) {
      if (auto t = ParseRfc3339(std::string_view(ts->get_string()))) {
        FillTime(event.mutable_timestamp(), *t);
      }
    }
    if (const json::Value* type = e.if_contains("type"); type && type->is_string()) {
      event.set_type(std::string(type->get_string()));
    }
    std::string details = "{}";
    for (auto& [key, v] : e) {
      if (!std::string_view(key).ends_with("EventDetails") || !v.is_object()) continue;
      if (!include_execution_data) {
        json::Object& d = v.get_object();
        for (const char* data_key : {"input", "output", "parameters", "inputDetails",
                                     "outputDetails", "parametersDetails"}) {
          d.erase(data_key);
        }
      }
      details = json::Serialize(v);
    }
    event.set_details_json(std::move(details));
  }
  return absl::OkStatus();
}

}  // namespace fleetflow::server
