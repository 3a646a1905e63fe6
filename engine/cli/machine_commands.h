#pragma once
// `fleetflow test` and `fleetflow graph`: the verbs about machines as a whole
// (docs/machine-tests.md, docs/graph.md).

#include <optional>
#include <string>
#include <vector>

namespace fleetflow::cli {

struct TestOptions {
  std::vector<std::string> paths;  // directories, test files or machine files
  std::string history_dir;         // where to write each case's history; empty: nowhere
};

// Exit codes: 0 every case passed, 1 a case failed (or there was none), 2 a
// test file or its machine could not be loaded.
int Test(const TestOptions& options);

struct GraphOptions {
  std::string file;
  std::string format = "dot";  // dot, svg or mermaid
  std::optional<std::string> history_file;
  std::optional<std::string> output_file;
};

// Exit codes: 0 drawn, 2 invalid definition or history, 3 Graphviz failed or is missing.
int Graph(const GraphOptions& options);

}  // namespace fleetflow::cli
