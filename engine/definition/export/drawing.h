#pragma once
// The drawing both writers render: the machine's states as boxes in blocks
// (the top level, each Parallel branch, each Map item processor), edges
// between them, and what an execution's history says about each.

#include <string>
#include <vector>

#include "engine/definition/export/graph_export.h"

namespace fleetflow::definition::graph_export {

struct Box {
  std::string name;
  StateType type = StateType::kPass;
  std::vector<std::string> details;  // label lines under the name
  int block = 0;                     // the block it belongs to
  std::vector<int> own_blocks;       // Parallel branches or the Map processor
  std::string retry;                 // retry label lines joined by "\n"; empty: no retry
  int visits = 0;
  bool failed = false, caught = false;
};

struct Block {
  int owner = -1;  // the Parallel/Map box; -1 for the top level
  int start = -1;  // first box
  std::vector<int> boxes;
  std::string label;  // "branch 2"; empty for the top level and Map processors
};

enum class EdgeKind { kNext, kRule, kDefault, kCatch, kStart, kEnd };

// An edge between boxes; kStart comes from the block's entry (the top level's
// start marker or the owning box), kEnd goes to the block's exit.
struct Edge {
  int from = -1, to = -1;
  EdgeKind kind = EdgeKind::kNext;
  std::string label;
  int taken = 0;
};

struct Drawing {
  std::vector<Box> boxes;
  std::vector<Block> blocks;
  std::vector<Edge> edges;
  std::string title;
  bool overlay = false;
};

Drawing BuildDrawing(const MachineDef& machine, const DrawOptions& options);

// "15m" for 900, "90s" for 90.
std::string FormatSeconds(double seconds);

}  // namespace fleetflow::definition::graph_export
