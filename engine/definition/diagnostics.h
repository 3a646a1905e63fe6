#pragma once
// Errors found in a definition: where (a JSON pointer into the document, or
// file:line:col for the DSL) and what, in words a user can act on.

#include <string>
#include <vector>

namespace fleetflow::definition {

struct Diagnostic {
  std::string location;
  std::string message;
};

class Diagnostics {
 public:
  void Add(std::string location, std::string message) {
    items_.push_back({std::move(location), std::move(message)});
  }
  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }
  const std::vector<Diagnostic>& items() const { return items_; }

 private:
  std::vector<Diagnostic> items_;
};

// "UploadMap" for "Upload" among `candidates`, or "" when none is close.
std::string ClosestName(const std::string& name, const std::vector<std::string>& candidates);

}  // namespace fleetflow::definition
