// Lines that guard or route a state: retry, catch, when and else, with the
// conditions of a choice (docs/dsl.md 4.4 and 4.5).

#include "engine/definition/dsl/keywords.h"
#include "engine/definition/dsl/parser_impl.h"

namespace fleetflow::definition::dsl {

namespace {

const std::vector<std::string>& RetryOptions() {
  static const std::vector<std::string> kOptions = {"every", "attempts", "backoff", "max_delay",
                                                    "jitter"};
  return kOptions;
}

bool IsRetryOption(std::string_view word) {
  for (const auto& o : RetryOptions()) {
    if (o == word) return true;
  }
  return false;
}

// The comparator for an operator and an operand type ("String", "Numeric", ...).
std::string Comparator(Tok op, const std::string& type) {
  switch (op) {
    case Tok::kEq:
    case Tok::kNe:
      return type + "Equals";
    case Tok::kLt:
      return type + "LessThan";
    case Tok::kLe:
      return type + "LessThanEquals";
    case Tok::kGt:
      return type + "GreaterThan";
    default:
      return type + "GreaterThanEquals";
  }
}

}  // namespace

std::vector<std::pair<std::string, SourceSpan>> Parser::ParseErrorNames(std::string_view word) {
  std::vector<std::pair<std::string, SourceSpan>> names;
  while (true) {
    const Token& t = Peek();
    bool is_name = t.kind == Tok::kDotted || (t.kind == Tok::kString && !t.interpolated) ||
                   (t.kind == Tok::kIdent && !(names.empty() && IsRetryOption(t.text)));
    if (!is_name) {
      if (names.empty()) {
        Fail(t.span, std::string(word) + " needs at least one error name",
             "write '" + std::string(word) + " States.ALL ...' to " + std::string(word) +
                 " every error");
      }
      Fail(t.span, "expected an error name after ','", "error names: Robot.Busy, \"Any text\"");
    }
    Take();
    if (t.text.rfind("States.", 0) == 0 && !IsPredefinedError(t.text)) {
      Fail(t.span,
           "'" + t.text + "' is not a predefined error" + DidYouMean(t.text, PredefinedErrors()),
           "names starting with 'States.' are reserved for the predefined errors");
    }
    names.emplace_back(t.text, t.span);
    if (!At(Tok::kComma)) break;
    Take();
  }
  return names;
}

void Parser::ParseRetry(StateCtx& s, const Token& word) {
  std::string ptr = s.pointer + "/Retry/" + std::to_string(s.retry.size());
  MapSpan(ptr, word.span);
  auto names = ParseErrorNames("retry");
  json::Object r;
  json::Array errors;
  SourceSpan all{0, 0, 0};
  for (size_t i = 0; i < names.size(); ++i) {
    errors.push_back(json::Value(names[i].first));
    MapSpan(ptr + "/ErrorEquals/" + std::to_string(i), names[i].second);
    if (names[i].first == "States.ALL") all = names[i].second;
  }
  r["ErrorEquals"] = std::move(errors);
  std::map<std::string, json::Value> options;
  std::map<std::string, int> seen;
  while (!At(Tok::kNewline)) {
    const Token& o = Take();
    if (o.kind != Tok::kIdent || !IsRetryOption(o.text)) {
      std::string text = o.kind == Tok::kIdent ? o.text : o.text;
      Fail(o.span,
           "unknown retry option '" + text + "'" +
               (o.kind == Tok::kIdent ? DidYouMean(o.text, RetryOptions()) : ""),
           "retry options: every, attempts, backoff, max_delay, jitter");
    }
    if (!seen.emplace(o.text, o.span.line).second)
      Fail(o.span, "retry option '" + o.text + "' is given twice", "keep one");
    const Token& v = Peek();
    if (o.text == "every" || o.text == "max_delay") {
      if (v.kind != Tok::kDuration) {
        Fail(v.span,
             "'" + o.text + "' needs a duration with a unit" +
                 (v.kind == Tok::kNumber ? ", not '" + v.text + "'" : std::string()),
             v.kind == Tok::kNumber ? "write " + v.text + "s" : "for example: every 10s");
      }
      Take();
      double max = o.text == "every" ? 99999999 : 31622400;
      if (v.seconds < 1 || v.seconds > max) {
        Fail(v.span,
             "'" + o.text + "' is from 1s to " + DurationText(max) + ", not '" + v.text + "'",
             "ASL's limits on retry intervals");
      }
      const char* key = o.text == "every" ? "IntervalSeconds" : "MaxDelaySeconds";
      r[key] = static_cast<int64_t>(v.seconds);
      MapSpan(ptr + "/" + key, v.span);
    } else if (o.text == "attempts") {
      json::Value n = v.kind == Tok::kNumber ? NumberValue(v.text) : json::Value();
      if (!n.is_int64() || n.get_int64() < 0) {
        Fail(v.span, "'attempts' needs a whole number of at least 0", "for example: attempts 5");
      }
      Take();
      r["MaxAttempts"] = n;
      MapSpan(ptr + "/MaxAttempts", v.span);
    } else if (o.text == "backoff") {
      json::Value n = v.kind == Tok::kNumber ? NumberValue(v.text) : json::Value();
      if (n.is_null() || json::AsDouble(n) < 1) {
        Fail(v.span, "backoff must be a number of at least 1",
             "the interval is multiplied by backoff after each attempt; 1 keeps it constant");
      }
      Take();
      r["BackoffRate"] = n;
      MapSpan(ptr + "/BackoffRate", v.span);
    } else {
      if (!IsWord(v, "full") && !IsWord(v, "none"))
        Fail(v.span, "'jitter' is 'full' or 'none'", "");
      Take();
      r["JitterStrategy"] = IsWord(v, "full") ? "FULL" : "NONE";
      MapSpan(ptr + "/JitterStrategy", v.span);
    }
  }
  json::Object ordered;
  ordered["ErrorEquals"] = r["ErrorEquals"];
  for (const char* key :
       {"IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy"}) {
    if (auto* v = r.if_contains(key)) ordered[key] = *v;
  }
  s.retry.push_back(std::move(ordered));
  s.retry_all.push_back(all);
  ExpectNewline("the retry");
}

void Parser::ParseCatch(StateCtx& s, const Token& word) {
  std::string ptr = s.pointer + "/Catch/" + std::to_string(s.catchers.size());
  MapSpan(ptr, word.span);
  auto names = ParseErrorNames("catch");
  json::Object c;
  json::Array errors;
  SourceSpan all{0, 0, 0};
  for (size_t i = 0; i < names.size(); ++i) {
    errors.push_back(json::Value(names[i].first));
    MapSpan(ptr + "/ErrorEquals/" + std::to_string(i), names[i].second);
    if (names[i].first == "States.ALL") all = names[i].second;
  }
  c["ErrorEquals"] = std::move(errors);
  if (!At(Tok::kArrow)) {
    Fail(Peek().span, "expected '->' and a state name after the errors of a catch",
         "catch States.ALL -> Failed");
  }
  Take();
  SourceSpan at = Peek().span;
  c["Next"] = ParseTarget(s, "->");
  MapSpan(ptr + "/Next", at);
  if (AtWord("into") && s.jsonata) {
    Fail(Peek().span, "'into' on a catch is for JSONPath states",
         "give the catch an indented 'output', which reads $states.errorOutput");
  }
  if (AtWord("into")) {
    Take();
    const Token& v = Peek();
    if (IsWord(v, "null")) {
      Take();
      c["ResultPath"] = nullptr;
    } else if (v.kind == Tok::kPath) {
      Take();
      CheckPath(v, json::PathMode::kReferencePath, "into");
      c["ResultPath"] = v.text;
    } else {
      Fail(v.span, "'into' needs a path or null", "catch States.ALL -> Failed into $.error");
    }
    MapSpan(ptr + "/ResultPath", v.span);
  } else if (AtWord("output")) {
    Fail(Peek().span,
         s.jsonata ? "a catch's 'output' goes on its own line, indented below the catch"
                   : "'output' on a catch is for JSONata states",
         s.jsonata ? "catch States.ALL -> Failed\n    output {% $states.errorOutput %}"
                   : "use 'into' to place the error");
  }
  ExpectNewline("the catch");
  std::string anchor = s.pointer + "/catch/" + std::to_string(s.catchers.size());
  if (At(Tok::kIndent)) ParseNested(s, c, ptr, "a catch", anchor);
  s.catchers.push_back(std::move(c));
  s.catch_all.push_back(all);
}

void Parser::ParseNested(const StateCtx& s, json::Object& target, const std::string& pointer,
                         std::string_view under, const std::string& anchor) {
  Take();  // INDENT
  while (!At(Tok::kDedent) && !At(Tok::kEnd)) {
    size_t before = pos_;
    try {
      const Token& w = Peek();
      bool output = IsWord(w, "output");
      if (output && !s.jsonata) {
        Fail(w.span, "'output' under " + std::string(under) + " is for JSONata states",
             under == "a catch" ? "use 'into' on the catch line to place the error"
                                : "add 'query jsonata' to the state or the machine");
      }
      if (!IsWord(w, "assign") && !output) {
        Fail(w.span,
             "only 'assign'" + std::string(s.jsonata ? " and 'output'" : "") +
                 " can be indented under " + std::string(under),
             "unindent it to make it a field of the state");
      }
      Take();
      const char* key = output ? "Output" : "Assign";
      if (target.contains(key)) Fail(w.span, "'" + w.text + "' is given twice", "keep one");
      std::string field_anchor = anchor + "/" + w.text;
      Anchor(w, field_anchor);
      MapSpan(pointer + "/" + key, w.span);
      bool dynamic = false;
      target[key] = ParsePayload(pointer + "/" + key, ModeFor(s, !output), w.text, field_anchor,
                                 output ? &dynamic : nullptr);
    } catch (const SyntaxError&) {
      Recover();
    }
    if (pos_ == before) Take();
  }
  if (At(Tok::kDedent)) Take();
}

json::Object Parser::ParseJsonataCondition(const std::string& pointer) {
  const Token& t = Peek();
  json::Object rule;
  if (t.kind == Tok::kJsonata) {
    rule["Condition"] = TakeJsonata();
  } else if (IsWord(t, "true") || IsWord(t, "false")) {
    Take();
    rule["Condition"] = t.text == "true";
  } else if (t.kind == Tok::kPath || AtWord("not") || At(Tok::kLParen)) {
    Fail(t.span, "a JSONPath condition in a JSONata state",
         "write the condition in JSONata: when {% $states.input.battery > 30 %} -> Clean");
  } else {
    Fail(t.span, std::string("expected a JSONata condition, found ") + TokName(t.kind),
         "when {% $states.input.battery > 30 %} -> Clean");
  }
  MapSpan(pointer + "/Condition", t.span);
  return rule;
}

void Parser::ParseWhen(StateCtx& s, const Token& word) {
  if (s.has_else) Fail(word.span, "'when' after 'else'", "'else' is the last rule of a choice");
  s.has_when = true;
  std::string ptr = s.pointer + "/Choices/" + std::to_string(s.choices.size());
  std::string anchor = s.pointer + "/when/" + std::to_string(s.choices.size());
  MapSpan(ptr, word.span);
  json::Object rule = s.jsonata ? ParseJsonataCondition(ptr) : ParseCondition(ptr);
  if (!At(Tok::kArrow)) {
    const Token& t = Peek();
    if (IsWord(t, "and") || IsWord(t, "or")) {
      Fail(t.span, "'and' and 'or' cannot be mixed without parentheses",
           "write (a and b) or c, or a and (b or c)");
    }
    Fail(t.span, std::string("expected '->' and a state name, found ") + TokName(t.kind),
         "when $.battery < 20 -> Charge");
  }
  Take();
  SourceSpan at = Peek().span;
  rule["Next"] = ParseTarget(s, "->");
  MapSpan(ptr + "/Next", at);
  ExpectNewline("the rule");
  if (At(Tok::kIndent)) ParseNested(s, rule, ptr, "a 'when' rule", anchor);
  s.choices.push_back(std::move(rule));
}

void Parser::ParseElse(StateCtx& s, const Token& word) {
  if (s.has_else) {
    Fail(word.span, "'else' is given twice", "a choice has one 'else'");
  }
  s.has_else = true;
  if (!At(Tok::kArrow)) Fail(Peek().span, "expected '->' after 'else'", "else -> GiveUp");
  Take();
  SourceSpan at = Peek().span;
  s.obj["Default"] = ParseTarget(s, "->");
  MapSpan(s.pointer + "/Default", at);
  ExpectNewline("the rule");
}

json::Object Parser::ParseCondition(const std::string& pointer) {
  if (At(Tok::kJsonata)) JsonataHere(Peek());
  // The first operand is parsed before the connective is known: its source
  // map entries are filed under a placeholder, then moved.
  std::string placeholder = pointer + "/?";
  SourceSpan first_span = Peek().span;
  json::Object first = ParseUnary(placeholder);
  if (!AtWord("and") && !AtWord("or")) {
    out_.map.Rename(placeholder, pointer);
    return first;
  }
  std::string connective = Peek().text;
  std::string key = connective == "and" ? "And" : "Or";
  out_.map.Rename(placeholder, pointer + "/" + key + "/0");
  MapSpan(pointer + "/" + key + "/0", first_span);
  json::Array children;
  children.push_back(std::move(first));
  Take();
  while (true) {
    std::string child = pointer + "/" + key + "/" + std::to_string(children.size());
    MapSpan(child, Peek().span);
    children.push_back(ParseUnary(child));
    if (AtWord(connective)) {
      Take();
      continue;
    }
    if (AtWord("and") || AtWord("or")) {
      Fail(Peek().span, "'and' and 'or' cannot be mixed without parentheses",
           "write (a and b) or c, or a and (b or c)");
    }
    break;
  }
  json::Object out;
  out[key] = std::move(children);
  return out;
}

json::Object Parser::ParseUnary(const std::string& pointer) {
  DepthGuard guard(depth_, *this, Peek().span);
  if (AtWord("not")) {
    Take();
    MapSpan(pointer + "/Not", Peek().span);
    json::Object out;
    out["Not"] = ParseUnary(pointer + "/Not");
    return out;
  }
  if (At(Tok::kLParen)) {
    Take();
    json::Object inner = ParseCondition(pointer);
    if (!At(Tok::kRParen)) {
      Fail(Peek().span, std::string("expected ')', found ") + TokName(Peek().kind),
           "close the parenthesis");
    }
    Take();
    return inner;
  }
  return ParseComparison(pointer);
}

json::Object Parser::ParseComparison(const std::string& pointer) {
  const Token& var = Peek();
  if (var.kind != Tok::kPath) {
    Fail(var.span, std::string("expected a condition, found ") + TokName(var.kind),
         "a condition starts with a path: $.battery < 20, $.state == \"docked\", $.x is null");
  }
  Take();
  CheckPath(var, json::PathMode::kPath, "");
  json::Object out;
  out["Variable"] = var.text;
  MapSpan(pointer + "/Variable", var.span);
  const Token& op = Take();
  if (IsWord(op, "matches")) {
    const Token& v = Expect(Tok::kString, "a pattern string after 'matches'");
    if (v.interpolated) Fail(v.span, "a pattern cannot hold '${'", "write \\$ for a literal '$'");
    out["StringMatches"] = v.text;
    MapSpan(pointer + "/StringMatches", v.span);
    return out;
  }
  if (IsWord(op, "is")) {
    bool negate = AtWord("not");
    if (negate) Take();
    const Token& v = Take();
    static const std::map<std::string, std::string, std::less<>> kTests = {
        {"null", "IsNull"},     {"present", "IsPresent"}, {"number", "IsNumeric"},
        {"string", "IsString"}, {"bool", "IsBoolean"},    {"timestamp", "IsTimestamp"}};
    auto it = v.kind == Tok::kIdent ? kTests.find(v.text) : kTests.end();
    if (it == kTests.end()) {
      Fail(v.span, "'is' needs null, present, number, string, bool or timestamp",
           "$.error is not null");
    }
    out[it->second] = !negate;
    MapSpan(pointer + "/" + it->second, v.span);
    return out;
  }
  bool is_op = op.kind == Tok::kEq || op.kind == Tok::kNe || op.kind == Tok::kLt ||
               op.kind == Tok::kLe || op.kind == Tok::kGt || op.kind == Tok::kGe;
  if (!is_op) {
    Fail(op.span,
         std::string("expected a comparison after the path, found ") +
             (op.kind == Tok::kIdent ? "'" + op.text + "'" : TokName(op.kind)),
         "==, !=, <, <=, >, >=, matches, is");
  }
  std::string type;
  const Token* v = &Peek();
  static const std::map<std::string, std::string, std::less<>> kTypes = {
      {"string", "String"}, {"number", "Numeric"}, {"bool", "Boolean"}, {"timestamp", "Timestamp"}};
  if (v->kind == Tok::kIdent && kTypes.count(v->text)) {
    type = kTypes.at(v->text);
    Take();
    v = &Peek();
  }
  Take();
  std::string comparator;
  json::Value operand;
  if (v->kind == Tok::kPath) {
    if (type.empty()) {
      Fail(v->span, "comparing with a path needs a type: number, string, bool or timestamp",
           "write '" + var.text + " " + op.text + " number " + v->text + "'");
    }
    CheckPath(*v, json::PathMode::kPath, "");
    comparator = Comparator(op.kind, type) + "Path";
    operand = v->text;
  } else if (v->kind == Tok::kString && !v->interpolated &&
             (type.empty() || type == "String" || type == "Timestamp")) {
    comparator = Comparator(op.kind, type.empty() ? "String" : type);
    operand = v->text;
  } else if (v->kind == Tok::kNumber && (type.empty() || type == "Numeric")) {
    comparator = Comparator(op.kind, "Numeric");
    operand = NumberValue(v->text);
  } else if ((IsWord(*v, "true") || IsWord(*v, "false")) && (type.empty() || type == "Boolean")) {
    if (op.kind != Tok::kEq && op.kind != Tok::kNe) {
      Fail(op.span, "booleans compare only with '==' and '!='", "$.docked == true");
    }
    comparator = "BooleanEquals";
    operand = v->text == "true";
  } else {
    Fail(v->span, std::string("expected a value to compare with, found ") + TokName(v->kind),
         "a string, a number, true, false, timestamp \"...\", or a type and a path");
  }
  if (comparator.rfind("Boolean", 0) == 0 && op.kind != Tok::kEq && op.kind != Tok::kNe) {
    Fail(op.span, "booleans compare only with '==' and '!='", "$.docked == true");
  }
  if (op.kind == Tok::kNe) {
    json::Object inner;
    inner["Variable"] = var.text;
    inner[comparator] = std::move(operand);
    MapSpan(pointer + "/Not/" + comparator, v->span);
    MapSpan(pointer + "/Not/Variable", var.span);
    json::Object negated;
    negated["Not"] = std::move(inner);
    return negated;
  }
  out[comparator] = std::move(operand);
  MapSpan(pointer + "/" + comparator, v->span);
  return out;
}

}  // namespace fleetflow::definition::dsl
