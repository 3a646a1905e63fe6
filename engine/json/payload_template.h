#pragma once
// A payload template (Parameters, ItemSelector, ResultSelector, Assign in
// JSONPath mode): a JSON value whose "key.$" fields take their values from a
// path or an intrinsic function. Compiled once; evaluated per state run.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/common/failure.h"
#include "engine/json/eval_scope.h"
#include "engine/json/intrinsic.h"
#include "engine/json/json.h"
#include "engine/json/path.h"

namespace fleetflow::json {

class PayloadTemplate {
 public:
  // Receives (JSON pointer below the template, message) for each bad field.
  using ErrorSink = std::function<void(const std::string& pointer, const std::string& message)>;

  // Compiles `source`. Every bad ".$" value is reported to `errors`; the
  // result is usable only when none was.
  static PayloadTemplate Compile(const Value& source, const ErrorSink& errors);

  Result<Value> Evaluate(EvalScope& scope) const;

  // True when the template has no dynamic field (it is its own output).
  bool is_constant() const { return root_.kind == Node::Kind::kLiteral; }

  // For Assign: the top-level keys (".$" stripped), in order.
  std::vector<std::string> TopLevelKeys() const;

  struct Node {
    enum class Kind { kLiteral, kPath, kIntrinsic, kObject, kArray };
    Kind kind = Kind::kLiteral;
    Value literal;
    std::shared_ptr<const Path> path;
    std::shared_ptr<const IntrinsicCall> call;
    std::string source_key;  // "name.$", for messages
    struct Field;
    std::vector<Field> fields;  // kObject
    std::vector<Node> items;    // kArray
  };

 private:
  Node root_;
};

struct PayloadTemplate::Node::Field {
  std::string key;  // ".$" stripped
  Node node;
};

// Compiles one ".$" value: a path or an intrinsic call.
// Empty string on success, else the message.
std::string CompileDynamicValue(const std::string& text, PayloadTemplate::Node& node);

}  // namespace fleetflow::json
