#pragma once
// Pratt parser for JSONata. Produces a Program: the annotated tree (ast.h)
// plus the storage that owns its nodes.

#include <deque>
#include <memory>
#include <string>
#include <string_view>

#include "engine/jsonata/ast.h"

namespace fleetflow::jsonata::internal {

struct Program {
  std::string text;
  std::deque<Node> nodes;
  std::deque<ParentSlot> slots;
  Node* root = nullptr;
};

// Throws JsonataError (S0xxx) for a malformed expression.
std::unique_ptr<Program> Parse(std::string_view text);

}  // namespace fleetflow::jsonata::internal
