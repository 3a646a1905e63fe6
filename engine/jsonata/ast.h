#pragma once
// The parsed, annotated expression tree. The parser builds it already in the
// form the evaluator wants: paths as step lists, predicates attached to the
// step they filter, and the bookkeeping for @ # % bindings resolved.

#include <memory>
#include <string>
#include <vector>

#include "engine/jsonata/signature.h"

namespace fleetflow::jsonata::internal {

class Regex;

enum class NodeType {
  kString,
  kNumber,
  kBool,
  kNull,
  kRegex,
  kName,
  kVariable,
  kWildcard,
  kDescendant,
  kParent,
  kPath,
  kSort,  // a sort step inside a path
  kBinary,
  kNegate,
  kArray,
  kObject,
  kBlock,
  kCondition,
  kCall,
  kPartial,
  kPlaceholder,
  kLambda,
  kBind,
  kApply,
  kTransform,
};

enum class BinaryOp {
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMod,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kConcat,
  kAnd,
  kOr,
  kIn,
  kRange,
  kCoalesce,  // ??
  kDefault,   // ?:
};

struct Node;

// Where a `%` looks for its parent: `level` steps up from where it is used.
// Slots resolved to the same step share one label, the variable the tuple
// stream binds the parent under.
struct ParentSlot {
  std::string label;
  int level = 1;
};

struct Stage {
  Node* filter = nullptr;  // a [predicate]
  std::string index_var;   // or a #$var binding after a predicate
  int position = 0;
};

struct SortTerm {
  Node* expr = nullptr;
  bool descending = false;
};

struct GroupBy {
  std::vector<std::pair<Node*, Node*>> pairs;
  int position = 0;
};

struct Node {
  NodeType type;
  int position = 0;
  std::string text;  // name, variable, string literal, operator
  double number = 0;
  bool boolean = false;
  BinaryOp op = BinaryOp::kAdd;
  Node* lhs = nullptr;       // binary lhs, call procedure, condition, transform pattern
  Node* rhs = nullptr;       // binary rhs, condition then, transform update, lambda body
  Node* third = nullptr;     // condition else, transform delete
  std::vector<Node*> items;  // path steps, array items, block, call args
  std::vector<std::pair<Node*, Node*>> pairs;  // object constructor
  std::vector<std::string> params;             // lambda parameter names
  std::unique_ptr<Signature> signature;
  std::shared_ptr<const Regex> regex;
  std::vector<SortTerm> terms;

  // Path-step annotations.
  std::vector<Stage> stages;      // filters applied per step evaluation
  std::vector<Node*> predicates;  // filters applied to the node's whole result
  std::unique_ptr<GroupBy> group;
  std::string focus;               // @$var
  std::string index_var;           // #$var
  ParentSlot* ancestor = nullptr;  // this step binds its context as a parent
  ParentSlot* slot = nullptr;      // kParent: what it reads
  std::vector<ParentSlot*> seeking_parent;
  bool keep_array = false;
  bool keep_singleton_array = false;
  bool cons_array = false;
  bool tuple = false;
  bool tail_call = false;
};

const char* NodeTypeName(NodeType t);

}  // namespace fleetflow::jsonata::internal
