// JSONPath filter expressions: parsing and evaluation, Jayway's semantics.

#include "engine/json/filter.h"

#include <cctype>
#include <charconv>

#include <re2/re2.h>

#include "engine/common/strings.h"

namespace fleetflow::json {

namespace {

class FilterParser {
 public:
  FilterParser(std::string_view text, size_t& pos) : text_(text), pos_(pos) {}

  absl::StatusOr<FilterExpr> ParseOr() {
    auto first = ParseAnd();
    if (!first.ok()) return first;
    FilterExpr result = *std::move(first);
    while (Consume("||")) {
      auto next = ParseAnd();
      if (!next.ok()) return next;
      result = Combine(FilterExpr::Op::kOr, std::move(result), *std::move(next));
    }
    return result;
  }

 private:
  static FilterExpr Combine(FilterExpr::Op op, FilterExpr a, FilterExpr b) {
    FilterExpr e;
    e.op = op;
    e.children.push_back(std::move(a));
    e.children.push_back(std::move(b));
    return e;
  }

  absl::StatusOr<FilterExpr> ParseAnd() {
    auto first = ParseUnary();
    if (!first.ok()) return first;
    FilterExpr result = *std::move(first);
    while (Consume("&&")) {
      auto next = ParseUnary();
      if (!next.ok()) return next;
      result = Combine(FilterExpr::Op::kAnd, std::move(result), *std::move(next));
    }
    return result;
  }

  absl::StatusOr<FilterExpr> ParseUnary() {
    FilterDepthGuard guard;
    if (guard.too_deep()) return Error("the filter is nested too deeply");
    SkipSpaces();
    if (Peek() == '!' && PeekAt(1) != '=') {
      ++pos_;
      auto inner = ParseUnary();
      if (!inner.ok()) return inner;
      FilterExpr e;
      e.op = FilterExpr::Op::kNot;
      e.children.push_back(*std::move(inner));
      return e;
    }
    if (Peek() == '(') {
      ++pos_;
      auto inner = ParseOr();
      if (!inner.ok()) return inner;
      SkipSpaces();
      if (Peek() != ')') return Error("expected ')'");
      ++pos_;
      return inner;
    }
    return ParseComparison();
  }

  absl::StatusOr<FilterExpr> ParseComparison() {
    FilterExpr e;
    auto lhs = ParseOperand();
    if (!lhs.ok()) return lhs.status();
    e.lhs = *std::move(lhs);
    SkipSpaces();
    static const std::pair<const char*, FilterExpr::Compare> kOps[] = {
        {"==", FilterExpr::Compare::kEq},        {"!=", FilterExpr::Compare::kNe},
        {"<=", FilterExpr::Compare::kLe},        {">=", FilterExpr::Compare::kGe},
        {"<", FilterExpr::Compare::kLt},         {">", FilterExpr::Compare::kGt},
        {"=~", FilterExpr::Compare::kRegex},     {"nin ", FilterExpr::Compare::kNin},
        {"in ", FilterExpr::Compare::kIn},       {"subsetof ", FilterExpr::Compare::kSubsetOf},
        {"anyof ", FilterExpr::Compare::kAnyOf}, {"noneof ", FilterExpr::Compare::kNoneOf},
        {"size ", FilterExpr::Compare::kSize},   {"empty ", FilterExpr::Compare::kEmpty},
    };
    for (const auto& [token, compare] : kOps) {
      if (!Consume(token)) continue;
      e.op = FilterExpr::Op::kCompare;
      e.compare = compare;
      SkipSpaces();
      if (compare == FilterExpr::Compare::kRegex) return ParseRegex(std::move(e));
      auto rhs = ParseOperand();
      if (!rhs.ok()) return rhs.status();
      e.rhs = *std::move(rhs);
      return e;
    }
    if (e.lhs.kind == FilterOperand::Kind::kLiteral) {
      return Error("a filter condition needs a path ('@...') or a comparison");
    }
    e.op = FilterExpr::Op::kExists;
    return e;
  }

  absl::StatusOr<FilterExpr> ParseRegex(FilterExpr e) {
    if (Peek() != '/') return Error("expected a /regular expression/ after '=~'");
    size_t start = ++pos_;
    while (pos_ < text_.size() && text_[pos_] != '/') {
      if (text_[pos_] == '\\') ++pos_;
      ++pos_;
    }
    if (pos_ >= text_.size()) return Error("unterminated regular expression");
    std::string pattern(text_.substr(start, pos_ - start));
    ++pos_;
    RE2::Options options;
    options.set_log_errors(false);
    options.set_max_mem(1 << 20);
    while (pos_ < text_.size() && std::isalpha(static_cast<unsigned char>(text_[pos_]))) {
      if (text_[pos_] == 'i') options.set_case_sensitive(false);
      ++pos_;
    }
    auto re = std::make_shared<const RE2>(pattern, options);
    if (!re->ok())
      return Error(StrCat("invalid regular expression /", pattern, "/: ", re->error()));
    e.regex = std::move(re);
    return e;
  }

  absl::StatusOr<FilterOperand> ParseOperand() {
    SkipSpaces();
    FilterOperand op;
    char c = Peek();
    if (c == '@' || c == '$') {
      size_t start = pos_;
      int depth = 0;
      char quote = 0;
      for (; pos_ < text_.size(); ++pos_) {
        char ch = text_[pos_];
        if (quote) {
          if (ch == quote) quote = 0;
          continue;
        }
        if (ch == '\'' || ch == '"')
          quote = ch;
        else if (ch == '[')
          ++depth;
        else if (ch == ']') {
          if (depth == 0) break;
          --depth;
        } else if (depth == 0 && (ch == ' ' || ch == ')' || ch == '=' || ch == '!' || ch == '<' ||
                                  ch == '>' || ch == '&' || ch == '|')) {
          if (ch == ')' && pos_ > 0 && text_[pos_ - 1] == '(') continue;  // length()
          break;
        }
      }
      std::string path_text(text_.substr(start, pos_ - start));
      op.kind = c == '@' ? FilterOperand::Kind::kCurrent : FilterOperand::Kind::kRoot;
      if (c == '@') path_text[0] = '$';
      auto path = Path::Parse(path_text);
      if (!path.ok()) return Error(StrCat("bad path in filter: ", path.status().message()));
      op.path = std::make_shared<const Path>(*std::move(path));
      return op;
    }
    auto literal = ParseLiteral();
    if (!literal.ok()) return literal.status();
    op.literal = *std::move(literal);
    return op;
  }

  absl::StatusOr<Value> ParseLiteral() {
    FilterDepthGuard guard;
    if (guard.too_deep()) return Error("the literal is nested too deeply");
    SkipSpaces();
    char c = Peek();
    if (c == '\'' || c == '"') {
      size_t start = ++pos_;
      std::string s;
      while (pos_ < text_.size() && text_[pos_] != c) {
        if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) ++pos_;
        s.push_back(text_[pos_++]);
      }
      if (pos_ >= text_.size()) {
        pos_ = start;
        return Error("unterminated string");
      }
      ++pos_;
      return Value(s);
    }
    if (c == '[') {
      ++pos_;
      Array items;
      SkipSpaces();
      if (Peek() == ']') {
        ++pos_;
        return Value(std::move(items));
      }
      for (;;) {
        auto item = ParseLiteral();
        if (!item.ok()) return item;
        items.push_back(*std::move(item));
        SkipSpaces();
        if (Peek() == ',') {
          ++pos_;
          continue;
        }
        if (Peek() == ']') {
          ++pos_;
          return Value(std::move(items));
        }
        return Error("expected ',' or ']' in an array literal");
      }
    }
    if (Consume("true")) return Value(true);
    if (Consume("false")) return Value(false);
    if (Consume("null")) return Value(nullptr);
    size_t start = pos_;
    while (pos_ < text_.size() &&
           (std::isdigit(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '-' ||
            text_[pos_] == '+' || text_[pos_] == '.' || text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
    }
    std::string_view num = text_.substr(start, pos_ - start);
    if (num.empty()) return Error("expected a value");
    int64_t i = 0;
    auto ri = std::from_chars(num.data(), num.data() + num.size(), i);
    if (ri.ec == std::errc() && ri.ptr == num.data() + num.size()) return Value(i);
    double d = 0;
    auto rd = std::from_chars(num.data(), num.data() + num.size(), d);
    if (rd.ec == std::errc() && rd.ptr == num.data() + num.size()) return Value(d);
    pos_ = start;
    return Error("expected a number");
  }

  bool Consume(std::string_view token) {
    SkipSpaces();
    if (text_.substr(pos_, token.size()) != token) return false;
    pos_ += token.size();
    return true;
  }
  void SkipSpaces() {
    while (pos_ < text_.size() && text_[pos_] == ' ') ++pos_;
  }
  char Peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  char PeekAt(size_t k) const { return pos_ + k < text_.size() ? text_[pos_ + k] : '\0'; }
  absl::Status Error(std::string_view what) const {
    return absl::InvalidArgumentError(StrCat("invalid JSONPath filter in '", text_, "': ", what,
                                             " (at character ", pos_ + 1, ")"));
  }

  std::string_view text_;
  size_t& pos_;
};

// The operand's value: a node of the document (no copy) or, for indefinite
// paths and functions, a computed value held in `scratch`.
const Value* Resolve(const FilterOperand& op, const Value& current, const Value& root,
                     Value& scratch) {
  if (op.kind == FilterOperand::Kind::kLiteral) return &op.literal;
  const Value& base = op.kind == FilterOperand::Kind::kCurrent ? current : root;
  if (op.path->definite() && !op.path->has_function()) return op.path->Find(base);
  if (!op.path->Select(base, scratch)) return nullptr;
  return &scratch;
}

bool Contains(const Value& array, const Value& item) {
  if (!array.is_array()) return false;
  for (const Value& e : array.get_array()) {
    if (Equal(e, item)) return true;
  }
  return false;
}

bool CompareValues(FilterExpr::Compare op, const Value& a, const Value& b) {
  using C = FilterExpr::Compare;
  switch (op) {
    case C::kEq:
      return Equal(a, b);
    case C::kNe:
      return !Equal(a, b);
    case C::kLt:
    case C::kLe:
    case C::kGt:
    case C::kGe: {
      int c;
      if (IsNumber(a) && IsNumber(b)) {
        c = CompareNumbers(a, b);
      } else if (a.is_string() && b.is_string()) {
        int r = a.get_string().compare(b.get_string());
        c = r < 0 ? -1 : (r > 0 ? 1 : 0);
      } else {
        return false;
      }
      if (op == C::kLt) return c < 0;
      if (op == C::kLe) return c <= 0;
      if (op == C::kGt) return c > 0;
      return c >= 0;
    }
    case C::kIn:
      return Contains(b, a);
    case C::kNin:
      return !Contains(b, a);
    case C::kSubsetOf:
    case C::kAnyOf:
    case C::kNoneOf: {
      if (!a.is_array() || !b.is_array()) return false;
      size_t hits = 0;
      for (const Value& e : a.get_array()) hits += Contains(b, e) ? 1 : 0;
      if (op == C::kSubsetOf) return hits == a.get_array().size();
      if (op == C::kAnyOf) return hits > 0;
      return hits == 0;
    }
    case C::kSize: {
      if (!IsNumber(b)) return false;
      double want = AsDouble(b);
      if (a.is_array()) return static_cast<double>(a.get_array().size()) == want;
      if (a.is_string()) return static_cast<double>(a.get_string().size()) == want;
      return false;
    }
    case C::kEmpty: {
      if (!b.is_bool()) return false;
      bool empty;
      if (a.is_array())
        empty = a.get_array().empty();
      else if (a.is_string())
        empty = a.get_string().empty();
      else
        return false;
      return empty == b.get_bool();
    }
    case C::kRegex:
      return false;  // handled by the caller
  }
  return false;
}

}  // namespace

absl::StatusOr<FilterExpr> ParseFilter(std::string_view text, size_t& pos) {
  return FilterParser(text, pos).ParseOr();
}

bool MatchesFilter(const FilterExpr& expr, const Value& current, const Value& root) {
  switch (expr.op) {
    case FilterExpr::Op::kOr:
      return MatchesFilter(expr.children[0], current, root) ||
             MatchesFilter(expr.children[1], current, root);
    case FilterExpr::Op::kAnd:
      return MatchesFilter(expr.children[0], current, root) &&
             MatchesFilter(expr.children[1], current, root);
    case FilterExpr::Op::kNot:
      return !MatchesFilter(expr.children[0], current, root);
    case FilterExpr::Op::kExists: {
      Value scratch;
      const Value* v = Resolve(expr.lhs, current, root, scratch);
      return v != nullptr &&
             !(v->is_array() && !expr.lhs.path->definite() && v->get_array().empty());
    }
    case FilterExpr::Op::kCompare: {
      Value lscratch, rscratch;
      const Value* a = Resolve(expr.lhs, current, root, lscratch);
      if (a == nullptr) return false;
      if (expr.compare == FilterExpr::Compare::kRegex) {
        if (!a->is_string()) return false;
        const String& s = a->get_string();
        return RE2::FullMatch(re2::StringPiece(s.data(), s.size()), *expr.regex);
      }
      const Value* b = Resolve(expr.rhs, current, root, rscratch);
      if (b == nullptr) return false;
      return CompareValues(expr.compare, *a, *b);
    }
  }
  return false;
}

}  // namespace fleetflow::json
