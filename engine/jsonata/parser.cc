#include "engine/jsonata/parser.h"

#include <map>

#include "engine/jsonata/errors.h"
#include "engine/jsonata/lexer.h"
#include "engine/jsonata/path_builder.h"
#include "engine/jsonata/regex.h"

namespace fleetflow::jsonata::internal {
namespace {

// Deeply nested text would exhaust the parser's stack; JSONata has no such
// limit because JavaScript throws first.
constexpr int kMaxParseDepth = 400;

int BindingPower(const Token& t) {
  if (t.type != TokenType::kOperator) return 0;
  static const std::map<std::string, int, std::less<>> kPower = {
      {".", 75},  {"[", 80},  {"]", 0},   {"{", 70},  {"}", 0},    {"(", 80},  {")", 0},
      {",", 0},   {"@", 80},  {"#", 80},  {";", 0},   {":", 0},    {"?", 20},  {"+", 50},
      {"-", 50},  {"*", 60},  {"/", 60},  {"%", 60},  {"|", 0},    {"=", 40},  {"<", 40},
      {">", 40},  {"^", 40},  {"**", 60}, {"..", 0},  {":=", 10},  {"!=", 40}, {"<=", 40},
      {">=", 40}, {"~>", 40}, {"?:", 40}, {"??", 40}, {"and", 30}, {"or", 25}, {"in", 40},
      {"&", 50},  {"!", 0},   {"~", 0}};
  auto it = kPower.find(t.value);
  return it == kPower.end() ? 0 : it->second;
}

bool Is(const Token& t, std::string_view op) {
  return t.type == TokenType::kOperator && t.value == op;
}

class Parser {
 public:
  Parser(std::string_view text, Program& program)
      : lexer_(text), text_(text), program_(program), builder_(program) {}

  Node* ParseAll() {
    Advance(true);
    Node* root = Expression(0);
    if (current_.type != TokenType::kEnd) Throw("S0201", current_.position, current_.value);
    builder_.CheckRoot(root);
    builder_.ThrowDeferred();
    return root;
  }

 private:
  void Advance(bool prefix) {
    current_ = lexer_.Next(prefix);
    if (current_.type == TokenType::kOperator && (current_.value == "!" || current_.value == "~"))
      Throw("S0204", current_.position, current_.value);
  }
  // After an operand-like token an operator follows; after an operator, an
  // operand (so '/' would start a regex).
  void AdvanceAfter(const Token& t) {
    bool operand_follows =
        t.type == TokenType::kOperator && !Is(t, ")") && !Is(t, "]") && !Is(t, "}");
    Advance(operand_follows);
  }
  void Expect(std::string_view op) {
    if (!Is(current_, op)) {
      if (current_.type == TokenType::kEnd) Throw("S0203", current_.position, op);
      Throw("S0202", current_.position, std::string(op), current_.value);
    }
    Token t = current_;
    AdvanceAfter(t);
  }

  Node* New(NodeType type, int position) { return builder_.New(type, position); }

  Node* Expression(int rbp) {
    if (++depth_ > kMaxParseDepth) Throw("U1001", current_.position, "", "parse depth");
    Token t = current_;
    AdvanceAfter(t);
    Node* left = Nud(t);
    while (rbp < BindingPower(current_)) {
      t = current_;
      AdvanceAfter(t);
      left = Led(t, left);
    }
    --depth_;
    return left;
  }

  Node* Nud(const Token& t);
  Node* Led(const Token& t, Node* left);
  Node* ParseBlock(const Token& t);
  Node* ParseArray(const Token& t);
  std::vector<std::pair<Node*, Node*>> ParsePairs();
  Node* ParseCall(const Token& t, Node* left);
  Node* ParseLambda(const Token& t);
  Node* ParseSort(const Token& t, Node* left);
  Node* ParseTransform(const Token& t);

  Lexer lexer_;
  std::string_view text_;
  Program& program_;
  PathBuilder builder_;
  Token current_;
  int depth_ = 0;
};

Node* Parser::Nud(const Token& t) {
  switch (t.type) {
    case TokenType::kEnd:
      Throw("S0207", t.position);
    case TokenType::kString: {
      Node* n = New(NodeType::kString, t.position);
      n->text = t.value;
      return n;
    }
    case TokenType::kNumber: {
      Node* n = New(NodeType::kNumber, t.position);
      n->number = t.number;
      return n;
    }
    case TokenType::kValue: {
      Node* n = New(t.value == "null" ? NodeType::kNull : NodeType::kBool, t.position);
      n->boolean = t.value == "true";
      n->text = t.value;
      return n;
    }
    case TokenType::kRegex: {
      Node* n = New(NodeType::kRegex, t.position);
      n->text = t.value;
      n->regex = CompileRegex(t.value, t.flags, t.position);
      return n;
    }
    case TokenType::kVariable: {
      Node* n = New(NodeType::kVariable, t.position);
      n->text = t.value;
      return n;
    }
    case TokenType::kName: {
      Node* n = New(NodeType::kName, t.position);
      n->text = t.value;
      if ((t.value == "function" || t.value == "λ") && Is(current_, "(")) return ParseLambda(t);
      return builder_.WrapName(n);
    }
    case TokenType::kOperator:
      break;
  }
  const std::string& op = t.value;
  if (op == "and" || op == "or" || op == "in") {
    Node* n = New(NodeType::kName, t.position);
    n->text = op;
    return builder_.WrapName(n);
  }
  if (op == "-") {
    Node* operand = Expression(70);
    if (operand->type == NodeType::kNumber) {
      operand->number = -operand->number;
      return operand;
    }
    Node* n = New(NodeType::kNegate, t.position);
    n->lhs = operand;
    builder_.PushAncestry(n, operand);
    return n;
  }
  if (op == "*") return New(NodeType::kWildcard, t.position);
  if (op == "**") return New(NodeType::kDescendant, t.position);
  if (op == "%") return builder_.NewParent(t.position);
  if (op == "(") return ParseBlock(t);
  if (op == "[") return ParseArray(t);
  if (op == "{") {
    Node* n = New(NodeType::kObject, t.position);
    n->pairs = ParsePairs();
    for (auto& [k, v] : n->pairs) {
      builder_.PushAncestry(n, k);
      builder_.PushAncestry(n, v);
    }
    return n;
  }
  if (op == "|") return ParseTransform(t);
  Throw("S0211", t.position, op);
}

Node* Parser::ParseBlock(const Token& t) {
  Node* n = New(NodeType::kBlock, t.position);
  while (!Is(current_, ")")) {
    Node* e = Expression(0);
    n->items.push_back(e);
    builder_.PushAncestry(n, e);
    if (e->cons_array || (e->type == NodeType::kPath && e->items[0]->cons_array))
      n->cons_array = true;
    if (!Is(current_, ";")) break;
    Advance(true);
  }
  Expect(")");
  return n;
}

Node* Parser::ParseArray(const Token& t) {
  Node* n = New(NodeType::kArray, t.position);
  if (!Is(current_, "]")) {
    for (;;) {
      Node* item = Expression(0);
      if (Is(current_, "..")) {
        Node* range = New(NodeType::kBinary, current_.position);
        range->op = BinaryOp::kRange;
        range->text = "..";
        Advance(true);
        range->lhs = item;
        range->rhs = Expression(0);
        item = range;
      }
      n->items.push_back(item);
      builder_.PushAncestry(n, item);
      if (!Is(current_, ",")) break;
      Advance(true);
    }
  }
  Expect("]");
  return n;
}

std::vector<std::pair<Node*, Node*>> Parser::ParsePairs() {
  std::vector<std::pair<Node*, Node*>> pairs;
  if (!Is(current_, "}")) {
    for (;;) {
      Node* key = Expression(0);
      Expect(":");
      Node* value = Expression(0);
      pairs.emplace_back(key, value);
      if (!Is(current_, ",")) break;
      Advance(true);
    }
  }
  Expect("}");
  return pairs;
}

Node* Parser::ParseCall(const Token& t, Node* left) {
  Node* n = New(NodeType::kCall, t.position);
  n->lhs = left;
  if (!Is(current_, ")")) {
    for (;;) {
      if (Is(current_, "?")) {
        n->type = NodeType::kPartial;
        n->items.push_back(New(NodeType::kPlaceholder, current_.position));
        Advance(false);
      } else {
        Node* arg = Expression(0);
        n->items.push_back(arg);
        builder_.PushAncestry(n, arg);
      }
      if (!Is(current_, ",")) break;
      Advance(true);
    }
  }
  Expect(")");
  return n;
}

Node* Parser::ParseLambda(const Token& t) {
  Node* n = New(NodeType::kLambda, t.position);
  Expect("(");
  if (!Is(current_, ")")) {
    for (;;) {
      if (current_.type != TokenType::kVariable) Throw("S0208", current_.position, current_.value);
      n->params.push_back(current_.value);
      Advance(false);
      if (!Is(current_, ",")) break;
      Advance(true);
    }
  }
  Expect(")");
  if (Is(current_, "<")) {
    // The signature is raw text up to the matching '>'.
    size_t start = static_cast<size_t>(current_.position) - 1;
    size_t pos = start + 1;
    int depth = 1;
    while (pos < text_.size() && depth > 0) {
      if (text_[pos] == '<') ++depth;
      if (text_[pos] == '>') --depth;
      ++pos;
    }
    if (depth > 0) Throw("S0401", static_cast<int>(pos));
    std::string sig(text_.substr(start, pos - start));
    n->signature = std::make_unique<Signature>(ParseSignature(sig, current_.position));
    lexer_ = Lexer(text_);
    lexer_.Seek(pos);
    Advance(false);
  }
  Expect("{");
  n->rhs = Expression(0);
  Expect("}");
  builder_.MarkTailCalls(n->rhs);
  return n;
}

Node* Parser::ParseSort(const Token& t, Node* left) {
  Expect("(");
  std::vector<SortTerm> terms;
  for (;;) {
    SortTerm term;
    if (Is(current_, "<")) {
      Advance(true);
    } else if (Is(current_, ">")) {
      term.descending = true;
      Advance(true);
    }
    term.expr = Expression(0);
    terms.push_back(term);
    if (!Is(current_, ",")) break;
    Advance(true);
  }
  Expect(")");
  return builder_.AddSort(left, std::move(terms), t.position);
}

Node* Parser::ParseTransform(const Token& t) {
  Node* n = New(NodeType::kTransform, t.position);
  n->lhs = Expression(0);
  Expect("|");
  n->rhs = Expression(0);
  if (Is(current_, ",")) {
    Advance(true);
    n->third = Expression(0);
  }
  Expect("|");
  return n;
}

Node* Parser::Led(const Token& t, Node* left) {
  const std::string& op = t.value;
  static const std::map<std::string, BinaryOp, std::less<>> kBinary = {
      {"+", BinaryOp::kAdd},       {"-", BinaryOp::kSub},     {"*", BinaryOp::kMul},
      {"/", BinaryOp::kDiv},       {"%", BinaryOp::kMod},     {"=", BinaryOp::kEq},
      {"!=", BinaryOp::kNe},       {"<", BinaryOp::kLt},      {"<=", BinaryOp::kLe},
      {">", BinaryOp::kGt},        {">=", BinaryOp::kGe},     {"&", BinaryOp::kConcat},
      {"and", BinaryOp::kAnd},     {"or", BinaryOp::kOr},     {"in", BinaryOp::kIn},
      {"??", BinaryOp::kCoalesce}, {"?:", BinaryOp::kDefault}};
  if (auto it = kBinary.find(op); it != kBinary.end()) {
    Node* n = New(NodeType::kBinary, t.position);
    n->op = it->second;
    n->text = op;
    n->lhs = left;
    // ?? and ?: take everything to their right, as JSONata parses them.
    bool greedy = n->op == BinaryOp::kCoalesce || n->op == BinaryOp::kDefault;
    n->rhs = Expression(greedy ? 0 : BindingPower(t));
    builder_.PushAncestry(n, n->lhs);
    builder_.PushAncestry(n, n->rhs);
    return n;
  }
  if (op == ".") return builder_.Dot(left, Expression(75), t.position);
  if (op == "(") return ParseCall(t, left);
  if (op == "[") {
    if (Is(current_, "]")) {
      Advance(true);  // JSONata lexes a '/' after "[]" as a regex
      builder_.KeepArray(left);
      return left;
    }
    Node* filter = Expression(0);
    Expect("]");
    return builder_.AddPredicate(left, filter, t.position);
  }
  if (op == "{") return builder_.AddGroup(left, ParsePairs(), t.position);
  if (op == "^") return ParseSort(t, left);
  if (op == "?") {
    Node* n = New(NodeType::kCondition, t.position);
    n->lhs = left;
    n->rhs = Expression(0);
    builder_.PushAncestry(n, left);
    builder_.PushAncestry(n, n->rhs);
    if (Is(current_, ":")) {
      Advance(true);
      n->third = Expression(0);
      builder_.PushAncestry(n, n->third);
    }
    return n;
  }
  if (op == ":=") {
    if (left->type != NodeType::kVariable || !left->predicates.empty())
      Throw("S0212", t.position, left->text);
    Node* n = New(NodeType::kBind, t.position);
    n->lhs = left;
    n->rhs = Expression(BindingPower(t) - 1);
    builder_.PushAncestry(n, n->rhs);
    return n;
  }
  if (op == "~>") {
    Node* n = New(NodeType::kApply, t.position);
    n->lhs = left;
    n->rhs = Expression(BindingPower(t));
    builder_.PushAncestry(n, n->lhs);
    builder_.PushAncestry(n, n->rhs);
    return n;
  }
  if (op == "@" || op == "#") {
    if (current_.type != TokenType::kVariable) Throw("S0214", current_.position, op);
    std::string var = current_.value;
    Advance(false);
    return op == "@" ? builder_.AddFocus(left, var, t.position)
                     : builder_.AddIndex(left, var, t.position);
  }
  Throw("S0201", t.position, op);
}

}  // namespace

std::unique_ptr<Program> Parse(std::string_view text) {
  auto program = std::make_unique<Program>();
  program->text = std::string(text);
  Parser parser(program->text, *program);
  program->root = parser.ParseAll();
  return program;
}

}  // namespace fleetflow::jsonata::internal
