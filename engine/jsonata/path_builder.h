#pragma once
// Builds path expressions while parsing: joins steps, attaches predicates,
// sorts, group-bys and @/# bindings to the right step, and resolves what each
// `%` parent refers to (which step must bind its context into the tuple
// stream).

#include <string>
#include <vector>

#include "engine/jsonata/ast.h"

namespace fleetflow::jsonata::internal {

struct Program;

class PathBuilder {
 public:
  explicit PathBuilder(Program& program) : program_(program) {}

  Node* New(NodeType type, int position);
  Node* WrapName(Node* name);
  Node* NewParent(int position);
  // Records that `parent` contains `child`'s unresolved `%` references.
  void PushAncestry(Node* parent, Node* child);

  Node* Dot(Node* left, Node* right, int position);
  Node* AddPredicate(Node* left, Node* filter, int position);
  void KeepArray(Node* left);
  Node* AddGroup(Node* left, std::vector<std::pair<Node*, Node*>> pairs, int position);
  Node* AddSort(Node* left, std::vector<SortTerm> terms, int position);
  Node* AddFocus(Node* left, const std::string& var, int position);
  Node* AddIndex(Node* left, const std::string& var, int position);
  // Calls in tail position of a lambda body run in the caller's loop.
  void MarkTailCalls(Node* body);
  // A `%` with no step above it to refer to is an error (S0217).
  void CheckRoot(Node* root);

 private:
  void ResolveAncestry(Node* path);
  void SeekParent(Node* node, ParentSlot* slot);

  // Errors found while building paths are reported after the whole text has
  // parsed, so a syntax error later in the text wins, as in JSONata.
  void Defer(std::string_view code, int position, std::string_view token = {});

  Program& program_;
  int next_label_ = 0;

 public:
  bool has_deferred() const { return !deferred_code_.empty(); }
  void ThrowDeferred() const;

 private:
  std::string deferred_code_;
  std::string deferred_token_;
  int deferred_position_ = 0;
};

}  // namespace fleetflow::jsonata::internal
