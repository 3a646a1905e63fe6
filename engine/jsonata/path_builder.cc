#include "engine/jsonata/path_builder.h"

#include "engine/jsonata/errors.h"
#include "engine/jsonata/parser.h"

namespace fleetflow::jsonata::internal {

Node* PathBuilder::New(NodeType type, int position) {
  Node& n = program_.nodes.emplace_back();
  n.type = type;
  n.position = position;
  return &n;
}

Node* PathBuilder::WrapName(Node* name) {
  Node* path = New(NodeType::kPath, name->position);
  path->items.push_back(name);
  return path;
}

Node* PathBuilder::NewParent(int position) {
  Node* n = New(NodeType::kParent, position);
  ParentSlot& slot = program_.slots.emplace_back();
  slot.label = "!" + std::to_string(next_label_++);
  n->slot = &slot;
  return n;
}

void PathBuilder::PushAncestry(Node* parent, Node* child) {
  if (!child) return;
  for (ParentSlot* s : child->seeking_parent) parent->seeking_parent.push_back(s);
  if (child->type == NodeType::kParent) parent->seeking_parent.push_back(child->slot);
}

Node* PathBuilder::Dot(Node* left, Node* right, int position) {
  Node* path = left;
  if (left->type != NodeType::kPath) {
    path = New(NodeType::kPath, position);
    path->items.push_back(left);
    if (left->type == NodeType::kParent) path->seeking_parent.push_back(left->slot);
  }
  if (right->type == NodeType::kPath) {
    for (Node* step : right->items) path->items.push_back(step);
  } else {
    if (!right->predicates.empty()) {
      for (Node* p : right->predicates) right->stages.push_back(Stage{p, "", p->position});
      right->predicates.clear();
    }
    path->items.push_back(right);
  }
  for (Node* step : path->items) {
    if (step->type == NodeType::kNumber || step->type == NodeType::kBool ||
        step->type == NodeType::kNull) {
      Defer("S0213", step->position, step->type == NodeType::kNumber ? "" : step->text);
    }
    if (step->type == NodeType::kString) step->type = NodeType::kName;
    if (step->keep_array) path->keep_singleton_array = true;
  }
  if (path->items.front()->type == NodeType::kArray) path->items.front()->cons_array = true;
  if (path->items.back()->type == NodeType::kArray) path->items.back()->cons_array = true;
  ResolveAncestry(path);
  return path;
}

Node* PathBuilder::AddPredicate(Node* left, Node* filter, int position) {
  Node* step = left->type == NodeType::kPath ? left->items.back() : left;
  if (step->group) Defer("S0209", position);
  for (ParentSlot* slot : filter->seeking_parent) {
    if (slot->level == 1) {
      SeekParent(step, slot);
    } else {
      --slot->level;
    }
  }
  PushAncestry(step, filter);
  if (left->type == NodeType::kPath) {
    step->stages.push_back(Stage{filter, "", position});
  } else {
    left->predicates.push_back(filter);
  }
  return left;
}

void PathBuilder::KeepArray(Node* left) {
  if (left->type == NodeType::kPath) {
    left->items.back()->keep_array = true;
    left->keep_singleton_array = true;
  } else {
    left->keep_array = true;
  }
}

Node* PathBuilder::AddGroup(Node* left, std::vector<std::pair<Node*, Node*>> pairs, int position) {
  if (left->group) {
    Defer("S0210", position);
    return left;
  }
  left->group = std::make_unique<GroupBy>();
  left->group->pairs = std::move(pairs);
  left->group->position = position;
  return left;
}

Node* PathBuilder::AddSort(Node* left, std::vector<SortTerm> terms, int position) {
  Node* path = left;
  if (left->type != NodeType::kPath) {
    path = New(NodeType::kPath, position);
    path->items.push_back(left);
  }
  Node* sort = New(NodeType::kSort, position);
  sort->terms = std::move(terms);
  for (const SortTerm& term : sort->terms) PushAncestry(sort, term.expr);
  path->items.push_back(sort);
  ResolveAncestry(path);
  return path;
}

Node* PathBuilder::AddFocus(Node* left, const std::string& var, int position) {
  Node* step = left->type == NodeType::kPath ? left->items.back() : left;
  if (!step->stages.empty() || !step->predicates.empty()) Defer("S0215", position, "@");
  if (step->type == NodeType::kSort) Defer("S0216", position, "@");
  step->focus = var;
  step->tuple = true;
  return left;
}

Node* PathBuilder::AddIndex(Node* left, const std::string& var, int position) {
  Node* step = left;
  if (left->type == NodeType::kPath) {
    step = left->items.back();
  } else {
    Node* path = New(NodeType::kPath, position);
    path->items.push_back(left);
    for (Node* p : step->predicates) step->stages.push_back(Stage{p, "", p->position});
    step->predicates.clear();
    left = path;
  }
  if (step->stages.empty()) {
    step->index_var = var;
  } else {
    step->stages.push_back(Stage{nullptr, var, position});
  }
  step->tuple = true;
  return left;
}

void PathBuilder::MarkTailCalls(Node* body) {
  switch (body->type) {
    case NodeType::kCall:
      if (body->predicates.empty() && !body->group) body->tail_call = true;
      break;
    case NodeType::kCondition:
      MarkTailCalls(body->rhs);
      if (body->third) MarkTailCalls(body->third);
      break;
    case NodeType::kBlock:
      if (!body->items.empty()) MarkTailCalls(body->items.back());
      break;
    default:
      break;
  }
}

void PathBuilder::CheckRoot(Node* root) {
  if (root->type == NodeType::kParent || !root->seeking_parent.empty())
    Defer("S0217", root->position, "%");
}

void PathBuilder::Defer(std::string_view code, int position, std::string_view token) {
  if (!deferred_code_.empty()) return;
  deferred_code_ = std::string(code);
  deferred_position_ = position;
  deferred_token_ = std::string(token);
}

void PathBuilder::ThrowDeferred() const {
  if (!deferred_code_.empty()) Throw(deferred_code_, deferred_position_, deferred_token_);
}

void PathBuilder::ResolveAncestry(Node* path) {
  Node* last = path->items.back();
  std::vector<ParentSlot*> slots = last->seeking_parent;
  if (last->type == NodeType::kParent) slots.push_back(last->slot);
  for (ParentSlot* slot : slots) {
    int index = static_cast<int>(path->items.size()) - 2;
    while (slot->level > 0) {
      if (index < 0) {
        path->seeking_parent.push_back(slot);
        break;
      }
      Node* step = path->items[index--];
      // Consecutive steps that bind a focus variable share one context.
      while (index >= 0 && !step->focus.empty() && !path->items[index]->focus.empty())
        step = path->items[index--];
      SeekParent(step, slot);
    }
  }
}

void PathBuilder::SeekParent(Node* node, ParentSlot* slot) {
  switch (node->type) {
    case NodeType::kName:
    case NodeType::kWildcard:
      if (--slot->level == 0) {
        if (node->ancestor) slot->label = node->ancestor->label;
        node->ancestor = slot;
        node->tuple = true;
      }
      break;
    case NodeType::kParent:
      ++slot->level;
      break;
    case NodeType::kBlock:
      if (!node->items.empty()) {
        node->tuple = true;
        SeekParent(node->items.back(), slot);
      }
      break;
    case NodeType::kPath: {
      node->tuple = true;
      int index = static_cast<int>(node->items.size()) - 1;
      SeekParent(node->items[index--], slot);
      while (slot->level > 0 && index >= 0) SeekParent(node->items[index--], slot);
      break;
    }
    default:
      Defer("S0217", node->position, NodeTypeName(node->type));
      slot->level = 0;
  }
}

const char* NodeTypeName(NodeType t) {
  switch (t) {
    case NodeType::kString:
      return "string";
    case NodeType::kNumber:
      return "number";
    case NodeType::kBool:
    case NodeType::kNull:
      return "value";
    case NodeType::kRegex:
      return "regex";
    case NodeType::kName:
      return "name";
    case NodeType::kVariable:
      return "variable";
    case NodeType::kWildcard:
      return "wildcard";
    case NodeType::kDescendant:
      return "descendant";
    case NodeType::kParent:
      return "parent";
    case NodeType::kPath:
      return "path";
    case NodeType::kSort:
      return "sort";
    case NodeType::kBinary:
      return "binary";
    case NodeType::kNegate:
      return "unary";
    case NodeType::kArray:
      return "unary";
    case NodeType::kObject:
      return "unary";
    case NodeType::kBlock:
      return "block";
    case NodeType::kCondition:
      return "condition";
    case NodeType::kCall:
      return "function";
    case NodeType::kPartial:
      return "partial";
    case NodeType::kPlaceholder:
      return "operator";
    case NodeType::kLambda:
      return "lambda";
    case NodeType::kBind:
      return "bind";
    case NodeType::kApply:
      return "apply";
    case NodeType::kTransform:
      return "transform";
  }
  return "?";
}

}  // namespace fleetflow::jsonata::internal
