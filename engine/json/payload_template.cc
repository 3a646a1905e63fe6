#include "engine/json/payload_template.h"

#include <algorithm>

#include "engine/common/strings.h"

namespace fleetflow::json {

namespace {

using Node = PayloadTemplate::Node;

bool EndsWithDollar(std::string_view key) {
  return key.size() >= 2 && key.substr(key.size() - 2) == ".$";
}

Node CompileNode(const Value& v, const std::string& pointer,
                 const PayloadTemplate::ErrorSink& errors) {
  Node node;
  if (const Object* obj = v.if_object()) {
    node.kind = Node::Kind::kObject;
    bool dynamic = false;
    std::vector<std::string> seen;
    for (const auto& kv : *obj) {
      std::string key(kv.key());
      std::string child_pointer = StrCat(pointer, "/", EscapePointer(key));
      std::string output_key = EndsWithDollar(key) ? key.substr(0, key.size() - 2) : key;
      if (std::find(seen.begin(), seen.end(), output_key) != seen.end()) {
        errors(child_pointer,
               StrCat("\"", output_key, "\" appears twice once \".$\" is removed; keep one of \"",
                      output_key, "\" and \"", output_key, ".$\""));
        continue;
      }
      seen.push_back(output_key);
      Node child;
      if (EndsWithDollar(key)) {
        if (!kv.value().is_string()) {
          errors(child_pointer, StrCat("the value of \"", key,
                                       "\" must be a string holding a path or an "
                                       "intrinsic function, not ",
                                       KindName(kv.value())));
          continue;
        }
        std::string message = CompileDynamicValue(std::string(kv.value().get_string()), child);
        if (!message.empty()) errors(child_pointer, message);
        child.source_key = key;
        key.resize(key.size() - 2);
        dynamic = true;
      } else {
        child = CompileNode(kv.value(), child_pointer, errors);
        dynamic = dynamic || child.kind != Node::Kind::kLiteral;
      }
      node.fields.push_back({std::move(key), std::move(child)});
    }
    if (!dynamic) {
      node = Node();
      node.literal = v;
    }
    return node;
  }
  if (const Array* arr = v.if_array()) {
    node.kind = Node::Kind::kArray;
    bool dynamic = false;
    for (size_t i = 0; i < arr->size(); ++i) {
      node.items.push_back(CompileNode((*arr)[i], StrCat(pointer, "/", i), errors));
      dynamic = dynamic || node.items.back().kind != Node::Kind::kLiteral;
    }
    if (!dynamic) {
      node = Node();
      node.literal = v;
    }
    return node;
  }
  node.literal = v;
  return node;
}

Result<Value> EvaluateNode(const Node& node, EvalScope& scope) {
  switch (node.kind) {
    case Node::Kind::kLiteral:
      return node.literal;
    case Node::Kind::kIntrinsic:
      return EvaluateIntrinsic(*node.call, scope);
    case Node::Kind::kPath: {
      const Value* root = scope.RootOf(*node.path);
      if (root != nullptr) {
        if (node.path->definite() && !node.path->has_function()) {
          if (const Value* found = node.path->Find(*root)) return *found;
        } else {
          Value out;
          if (node.path->Select(*root, out)) return out;
        }
      }
      std::string where =
          node.path->root() == PathRoot::kVariable
              ? "the variables"
              : (root ? StrCat("the input '", Serialize(*root), "'") : std::string("the input"));
      if (node.path->root() == PathRoot::kContext && root) {
        where = StrCat("the context object '", Serialize(*root), "'");
      }
      return Failure{"States.Runtime",
                     StrCat("The JSONPath '", node.path->text(), "' specified for the field '",
                            node.source_key, "' could not be found in ", where)};
    }
    case Node::Kind::kObject: {
      Object out;
      out.reserve(node.fields.size());
      for (const auto& [key, child] : node.fields) {
        Result<Value> v = EvaluateNode(child, scope);
        if (!v.ok()) return std::move(v).failure();
        out.emplace(key, std::move(v).value());
      }
      return Value(std::move(out));
    }
    case Node::Kind::kArray: {
      Array out;
      out.reserve(node.items.size());
      for (const Node& child : node.items) {
        Result<Value> v = EvaluateNode(child, scope);
        if (!v.ok()) return std::move(v).failure();
        out.push_back(std::move(v).value());
      }
      return Value(std::move(out));
    }
  }
  return Value();
}

}  // namespace

std::string CompileDynamicValue(const std::string& text, Node& node) {
  if (LooksLikeIntrinsic(text)) {
    auto call = ParseIntrinsic(text);
    if (!call.ok()) return std::string(call.status().message());
    node.kind = Node::Kind::kIntrinsic;
    node.call = std::make_shared<const IntrinsicCall>(*std::move(call));
    return "";
  }
  if (text.empty() || text[0] != '$') {
    return StrCat("\"", text,
                  "\" is neither a path (starting with '$') nor an intrinsic function "
                  "(States.Name(...)); drop the \".$\" from the key for a constant");
  }
  auto path = Path::Parse(text);
  if (!path.ok()) return std::string(path.status().message());
  node.kind = Node::Kind::kPath;
  node.path = std::make_shared<const Path>(*std::move(path));
  return "";
}

PayloadTemplate PayloadTemplate::Compile(const Value& source, const ErrorSink& errors) {
  PayloadTemplate t;
  t.root_ = CompileNode(source, "", errors);
  return t;
}

Result<Value> PayloadTemplate::Evaluate(EvalScope& scope) const {
  return EvaluateNode(root_, scope);
}

std::vector<std::string> PayloadTemplate::TopLevelKeys() const {
  std::vector<std::string> keys;
  if (root_.kind == Node::Kind::kObject) {
    for (const auto& [key, child] : root_.fields) keys.push_back(key);
  } else if (const Object* obj = root_.literal.if_object()) {
    for (const auto& kv : *obj) keys.emplace_back(kv.key());
  }
  return keys;
}

}  // namespace fleetflow::json
