#pragma once
// Drawings of a state machine (docs/graph.md): Graphviz DOT and Mermaid text
// of its states, transitions, retries, catches, and of Parallel branches and
// Map item processors as clusters; optionally with the path one execution
// took, read from its history.

#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/definition/machine_def.h"
#include "engine/json/json.h"

namespace fleetflow::definition::graph_export {

// What one execution did, from its history.
struct PathOverlay {
  std::string status;  // SUCCEEDED, FAILED, TIMED_OUT, ABORTED or RUNNING
  std::string error, cause;
  std::map<std::string, int> visits;  // state name -> times entered
  // (from, to, caught) -> times taken; caught: `from` failed and a catch led to `to`.
  std::map<std::tuple<std::string, std::string, bool>, int> transitions;
  std::map<std::string, int> starts;  // first state of a block -> times a block run began there
  std::set<std::string> failed;       // states whose failure ended the execution
  std::set<std::string> caught;       // states that failed and were caught
  std::set<std::string> exited;       // states left normally at least once
};

// Reads a history in any of the shapes Fleetflow prints: the JSON lines of
// `fleetflow run --history`, {"events": [...]} of `fleetflow history` and
// GetExecutionHistory (AWS's shape too), or a bare array of events. Fails
// when the history names a state the machine does not have.
absl::StatusOr<PathOverlay> ReadHistory(std::string_view text, const MachineDef& machine);

struct DrawOptions {
  std::string title;                     // shown above the drawing; empty: none
  const json::Value* asl = nullptr;      // the ASL document, for details the model drops
  const PathOverlay* overlay = nullptr;  // the path to highlight
};

std::string ToDot(const MachineDef& machine, const DrawOptions& options = {});
std::string ToMermaid(const MachineDef& machine, const DrawOptions& options = {});

}  // namespace fleetflow::definition::graph_export
