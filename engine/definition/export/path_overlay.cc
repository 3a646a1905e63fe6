// The path an execution took, from its history events. Each event's
// previousEventId is the event before it in the same frame (one run of one
// block), so walking back from a state's entry to the nearest state event
// tells where the execution came from.

#include <unordered_map>

#include "engine/common/strings.h"
#include "engine/definition/export/graph_export.h"

namespace fleetflow::definition::graph_export {

namespace {

struct Event {
  int64_t id = 0, previous = 0;
  std::string type, name, error, cause;
};

bool Ends(const std::string& s, std::string_view suffix) { return s.ends_with(suffix); }

absl::StatusOr<std::vector<json::Value>> EventValues(std::string_view text) {
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return absl::InvalidArgumentError("the history is empty");
  auto whole = json::Parse(text);
  if (whole.ok()) {
    if (whole->is_array())
      return std::vector<json::Value>(whole->get_array().begin(), whole->get_array().end());
    if (const json::Object* o = whole->if_object()) {
      if (const json::Value* events = o->if_contains("events"); events && events->is_array()) {
        return std::vector<json::Value>(events->get_array().begin(), events->get_array().end());
      }
      if (o->contains("type")) return std::vector<json::Value>{*whole};
    }
    return absl::InvalidArgumentError(
        "expected history events: JSON lines, {\"events\": [...]} or an array");
  }
  // JSON lines (fleetflow run --history); other lines are skipped.
  std::vector<json::Value> out;
  size_t line_number = 0;
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    ++line_number;
    start = end + 1;
    size_t b = line.find_first_not_of(" \t\r");
    if (b == std::string_view::npos || line[b] != '{') continue;
    auto v = json::Parse(line);
    if (!v.ok()) {
      return absl::InvalidArgumentError(
          StrCat("line ", line_number, " is not JSON: ", v.status().message()));
    }
    out.push_back(*std::move(v));
  }
  if (out.empty()) return absl::InvalidArgumentError("no history events found");
  return out;
}

int64_t Int(const json::Value* v) {
  if (v == nullptr) return 0;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<int64_t>(v->get_uint64());
  if (v->is_string()) return std::atoll(std::string(v->get_string()).c_str());  // proto3 JSON
  return 0;
}

std::string Str(const json::Object& o, std::string_view key) {
  const json::Value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : "";
}

}  // namespace

absl::StatusOr<PathOverlay> ReadHistory(std::string_view text, const MachineDef& machine) {
  auto values = EventValues(text);
  if (!values.ok()) return values.status();
  std::unordered_map<std::string, int> graph_of;
  for (size_t g = 0; g < machine.graphs.size(); ++g) {
    for (const State& s : machine.graphs[g].states) graph_of[s.name] = static_cast<int>(g);
  }
  std::vector<Event> events;
  std::unordered_map<int64_t, size_t> by_id;
  for (const json::Value& v : *values) {
    const json::Object* o = v.if_object();
    if (o == nullptr) continue;
    Event e;
    e.id = Int(o->if_contains("id"));
    e.previous = Int(o->if_contains("previousEventId"));
    e.type = Str(*o, "type");
    for (const auto& [key, details] : *o) {
      if (!std::string_view(key).ends_with("EventDetails") || !details.is_object()) continue;
      e.name = Str(details.get_object(), "name");
      e.error = Str(details.get_object(), "error");
      e.cause = Str(details.get_object(), "cause");
    }
    // detailsJson: the raw proto JSON of the server's HistoryEvent.
    if (std::string raw = Str(*o, "detailsJson"); !raw.empty()) {
      if (auto d = json::Parse(raw); d.ok() && d->is_object()) {
        e.name = Str(d->get_object(), "name");
        e.error = Str(d->get_object(), "error");
        e.cause = Str(d->get_object(), "cause");
      }
    }
    if (e.type.empty()) continue;
    by_id[e.id] = events.size();
    events.push_back(std::move(e));
  }
  PathOverlay overlay;
  overlay.status = "RUNNING";
  auto is_state_event = [](const Event& e) {
    return Ends(e.type, "StateEntered") || Ends(e.type, "StateExited");
  };
  for (const Event& e : events) {
    if (is_state_event(e) && !graph_of.count(e.name)) {
      return absl::InvalidArgumentError(
          StrCat("the history enters state '", e.name, "', which this machine does not have"));
    }
    if (e.type == "ExecutionSucceeded") overlay.status = "SUCCEEDED";
    if (e.type == "ExecutionFailed") overlay.status = "FAILED";
    if (e.type == "ExecutionTimedOut") overlay.status = "TIMED_OUT";
    if (e.type == "ExecutionAborted") overlay.status = "ABORTED";
    if (e.type.starts_with("Execution") && !e.error.empty()) {
      overlay.error = e.error;
      overlay.cause = e.cause;
    }
  }
  // The nearest state event at or before each event of its frame.
  std::vector<int64_t> owner(events.size(), -1);
  auto owner_of = [&](auto&& self, size_t i) -> int64_t {
    if (owner[i] != -1) return owner[i];
    int64_t result = 0;
    if (is_state_event(events[i])) {
      result = events[i].id;
    } else if (auto p = by_id.find(events[i].previous); p != by_id.end() && p->second < i) {
      result = self(self, p->second);
    }
    owner[i] = result;
    return result;
  };
  std::unordered_map<int64_t, bool> left;     // entry event id -> exited or followed
  std::unordered_map<int64_t, bool> aborted;  // entry event id -> aborted
  std::set<int64_t> failed_exits;             // exit events that follow a failure
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    int64_t before = 0;
    if (auto p = by_id.find(e.previous); p != by_id.end() && p->second < i) {
      before = owner_of(owner_of, p->second);
    }
    const Event* prior = before > 0 ? &events[by_id[before]] : nullptr;
    if (Ends(e.type, "StateEntered")) {
      ++overlay.visits[e.name];
      left[e.id] = false;
      if (prior != nullptr && graph_of[prior->name] == graph_of[e.name]) {
        // Caught: the state failed and was left without an exit event (AWS), or
        // its exit event follows the failure (Fleetflow).
        bool caught = Ends(prior->type, "StateEntered") || failed_exits.count(prior->id) > 0;
        ++overlay.transitions[{prior->name, e.name, caught}];
        if (caught) {
          overlay.caught.insert(prior->name);
          left[prior->id] = true;
        }
      } else {
        ++overlay.starts[e.name];
      }
    } else if (Ends(e.type, "StateExited")) {
      if (auto p = by_id.find(e.previous); p != by_id.end() && p->second < i) {
        const std::string& type = events[p->second].type;
        if (Ends(type, "Failed") || Ends(type, "TimedOut")) failed_exits.insert(e.id);
      }
      if (!failed_exits.count(e.id)) overlay.exited.insert(e.name);
      if (prior != nullptr && Ends(prior->type, "StateEntered")) left[prior->id] = true;
    } else if (Ends(e.type, "StateAborted") && prior != nullptr) {
      aborted[prior->id] = true;
    }
  }
  if (overlay.status != "SUCCEEDED") {
    for (const auto& [id, was_left] : left) {
      if (!was_left && !aborted[id]) overlay.failed.insert(events[by_id[id]].name);
    }
    // A state still running is not a failure.
    if (overlay.status == "RUNNING") overlay.failed.clear();
  }
  return overlay;
}

}  // namespace fleetflow::definition::graph_export
