#pragma once
// JSONata in ASL (QueryLanguage "JSONata"): a string whose whole text is
// "{% expression %}" is a JSONata expression; a template (Arguments, Output,
// Assign, ItemSelector, ...) is a JSON value whose strings may be such
// expressions at any depth. Both are compiled once, when the definition
// loads; engine/runtime/jsonata_env.h evaluates them.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/json/json.h"
#include "engine/jsonata/jsonata.h"

namespace fleetflow::definition {

// Which members of the reserved `$states` variable an expression reads.
enum StatesUse : uint8_t {
  kUsesInput = 1,
  kUsesResult = 2,
  kUsesErrorOutput = 4,
  kUsesContext = 8,
  // `$states` is used other than as `$states.member` (or the text could not
  // be analysed): the whole object is bound.
  kUsesWhole = 16,
};

struct JsonataExpression {
  std::string text;  // between "{%" and "%}", trimmed: what error causes show
  // Compiled with `$states.member` rewritten to `$__states_member`, so each
  // member binds by reference and no `$states` object is built (unless
  // kUsesWhole).
  std::shared_ptr<const jsonata::Expression> compiled;
  uint8_t uses = 0;
  // The members the text names as `$states.member`, also when `uses` is
  // kUsesWhole: what the load-time checks of AWS see.
  uint8_t members = 0;
};

// True when the whole of `s` is "{%...%}".
bool IsJsonataString(std::string_view s);

// Compiles "{% ... %}". Returns "" on success, else the message (with
// JSONata's code and position within the expression).
std::string CompileJsonata(std::string_view whole, JsonataExpression& out);

// The name `$states.member` is rewritten to (without the '$').
std::string StatesMemberVariable(std::string_view member);

class JsonataTemplate {
 public:
  // Receives (JSON pointer below the template, message) for each bad string.
  using ErrorSink = std::function<void(const std::string& pointer, const std::string& message)>;

  // `unavailable`: the StatesUse members (kUsesResult, kUsesErrorOutput) the
  // field cannot read; an expression that names one is an error at its
  // pointer, as AWS rejects it when the machine is created.
  static JsonataTemplate Compile(const json::Value& source, const ErrorSink& errors,
                                 uint8_t unavailable = 0);

  struct Node {
    enum class Kind { kLiteral, kExpression, kObject, kArray };
    // Declared, not defaulted: clang 14 cannot default the constructor of a
    // class that holds vectors of itself (the fuzz builds use clang).
    Node() {}
    Kind kind = Kind::kLiteral;
    json::Value literal;
    std::shared_ptr<const JsonataExpression> expression;
    std::vector<std::pair<std::string, Node>> fields;  // kObject
    std::vector<Node> items;                           // kArray
  };

  const Node& root() const { return root_; }
  // The union of the expressions' StatesUse bits.
  uint8_t uses() const { return uses_; }
  bool is_constant() const { return root_.kind == Node::Kind::kLiteral; }
  // The top-level keys of an object template (Assign), in order.
  std::vector<std::string> TopLevelKeys() const;

 private:
  Node root_;
  uint8_t uses_ = 0;
};

}  // namespace fleetflow::definition
