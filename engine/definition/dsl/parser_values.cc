// Payloads (key: value blocks and inline JSON), expressions (paths,
// intrinsic calls, interpolated strings) and the number-like fields.

#include "engine/definition/dsl/jsonata_text.h"
#include "engine/definition/dsl/keywords.h"
#include "engine/definition/dsl/parser_impl.h"
#include "engine/definition/jsonata_template.h"
#include "engine/json/intrinsic.h"

namespace fleetflow::definition::dsl {

namespace {

const char* kPathHint =
    "paths are written as in ASL: $.field, $['odd name'], $[0], $$.Execution.Id, $variable";

bool EndsWithDollar(std::string_view key) {
  return key.size() >= 2 && key.substr(key.size() - 2) == ".$";
}

void AppendTemplateText(std::string& out, std::string_view text) {
  for (char c : text) {
    if (c == '\'' || c == '{' || c == '}' || c == '\\') out += '\\';
    out += c;
  }
}

}  // namespace

json::Value Parser::NumberValue(const std::string& text) {
  auto v = json::Parse(text);
  if (v.ok()) return *v;
  return 0;
}

void Parser::JsonataHere(const Token& t) {
  Fail(t.span, "a JSONata expression in a JSONPath state",
       "add 'query jsonata' to the state or the machine");
}

void Parser::JsonPathHere(const Token& t) {
  if (t.kind == Tok::kPath) {
    std::string hint = "JSONata states read data in {% %} expressions";
    if (t.text.rfind("$$", 0) == 0) {
      hint = "write {% $states.context" + t.text.substr(2) + " %}";
    } else if (t.text == "$" || t.text[1] == '.' || t.text[1] == '[') {
      hint = "write {% $states.input" + t.text.substr(1) + " %}";
    } else {
      hint = "write {% " + t.text + " %}";
    }
    Fail(t.span, "a JSONPath path in a JSONata state", hint);
  }
  if (t.kind == Tok::kIntrinsic) {
    Fail(t.span, "an intrinsic function in a JSONata state",
         "JSONata has its own functions: {% $uuid() %}, {% $string($states.input.n) %}");
  }
  if (t.interpolated) {
    Fail(t.span, "'${' interpolation in a JSONata state",
         "build the text in JSONata: {% 'robots/' & $states.input.robot %}; write \\$ for a "
         "literal '$'");
  }
  Fail(t.span, "a JSONata expression in quotes",
       "write it without the quotes; ASL would evaluate the quoted text anyway");
}

std::string Parser::TakeJsonata() {
  const Token& t = Take();
  JsonataProblem problem;
  if (!CheckJsonata(t.text, t.span, problem)) {
    Fail(problem.span, std::move(problem.message), std::move(problem.hint));
  }
  return t.text;
}

json::Path Parser::CheckPath(const Token& t, json::PathMode mode, std::string_view field) {
  auto path = json::Path::Parse(t.text, mode);
  if (!path.ok()) {
    std::string hint = kPathHint;
    if (mode == json::PathMode::kReferencePath)
      hint = "'" + std::string(field) +
             "' takes a path to a single node, such as $.results or $.results[0]";
    Fail(t.span, std::string(path.status().message()), hint);
  }
  return *std::move(path);
}

void Parser::CheckIntrinsic(const std::string& text, SourceSpan span) {
  auto call = json::ParseIntrinsic(text);
  if (call.ok()) return;
  std::string hint = "intrinsic calls are written as in ASL: States.Format('{} rooms', $.count)";
  std::string name = text.substr(0, text.find('('));
  const auto& names = IntrinsicNames();
  if (std::find(names.begin(), names.end(), name) == names.end()) {
    std::string close = DidYouMean(name, names);
    if (!close.empty()) hint = close.substr(2);
  }
  Fail(span, std::string(call.status().message()), hint);
}

std::string Parser::LowerInterpolation(const Token& t) {
  std::string tmpl, args;
  for (const StringPart& part : t.parts) {
    if (!part.expr) {
      AppendTemplateText(tmpl, part.text);
      continue;
    }
    tmpl += "{}";
    args += ", " + part.text;
    if (part.text[0] == '$') {
      Token path;
      path.text = part.text;
      path.span = part.span;
      CheckPath(path, json::PathMode::kPath, "");
    } else {
      CheckIntrinsic(part.text, part.span);
    }
  }
  return "States.Format('" + tmpl + "'" + args + ")";
}

json::Value Parser::ParsePayload(const std::string& pointer, PayloadMode mode,
                                 std::string_view field, const std::string& anchor, bool* dynamic) {
  if (At(Tok::kNewline)) {
    SourceSpan end = Peek().span;
    Take();
    if (!At(Tok::kIndent)) {
      Fail(end, "'" + std::string(field) + "' needs a value or an indented block of 'key: value'",
           "for example:\n  " + std::string(field) + "\n    robot: $.robot");
    }
    Take();
    json::Object obj = ParseEntries(pointer, mode, anchor);
    if (At(Tok::kDedent)) Take();
    return obj;
  }
  bool is_dynamic = false;
  SourceSpan at = Peek().span;
  json::Value v = ParseValue(pointer, mode, false, is_dynamic, field);
  if (is_dynamic && dynamic == nullptr) {
    Fail(at, "'" + std::string(field) + "' takes an object, not an expression",
         "write '" + std::string(field) + "' followed by indented 'key: value' lines");
  }
  if (dynamic != nullptr) *dynamic = is_dynamic;
  ExpectNewline("the value");
  return v;
}

void Parser::CheckKey(const Token& key, PayloadMode mode, const json::Object& obj,
                      std::map<std::string, int>& lines) {
  if (key.kind == Tok::kUri) {
    std::string k = key.text.substr(0, key.text.find(':'));
    std::string v = key.text.substr(key.text.find(':') + 1);
    Fail(key.span, "missing space after ':' in '" + key.text + "'", "write '" + k + ": " + v + "'");
  }
  if (key.kind != Tok::kIdent && !(key.kind == Tok::kString && !key.interpolated)) {
    Fail(key.span, std::string("expected a key, found ") + TokName(key.kind),
         "a key is a word, or any text in double quotes");
  }
  if ((mode == PayloadMode::kDynamic || mode == PayloadMode::kAssign) && EndsWithDollar(key.text)) {
    std::string bare = key.text.substr(0, key.text.size() - 2);
    Fail(key.span, "key '" + key.text + "' ends in '.$'",
         "write '" + bare + ": $." + bare + "'; the DSL adds '.$' when the value is a path");
  }
  if (IsAssignMode(mode) &&
      (!json::IsVariableName(key.text) || key.text.size() > 80 || key.text == "states")) {
    Fail(key.span, "'" + key.text + "' is not a variable name",
         "a variable name is a letter or '_', then letters, digits or '_'");
  }
  auto [it, fresh] = lines.emplace(key.text, key.span.line);
  if (!fresh || obj.contains(key.text) || obj.contains(key.text + ".$")) {
    Fail(key.span,
         "duplicate key '" + key.text + "' (first at line " + std::to_string(it->second) + ")",
         "the keys of an object are unique");
  }
}

json::Object Parser::ParseEntries(const std::string& pointer, PayloadMode mode,
                                  const std::string& anchor) {
  DepthGuard guard(depth_, *this, Peek().span);
  json::Object obj;
  std::map<std::string, int> lines;
  while (!At(Tok::kDedent) && !At(Tok::kEnd)) {
    size_t before = pos_;
    try {
      if (At(Tok::kIndent)) {
        Fail(Peek().span, "unexpected indentation",
             "the line above does not open a block; align this line with it");
      }
      const Token& key = Take();
      CheckKey(key, mode, obj, lines);
      std::string key_anchor = anchor + "/" + json::EscapePointer(key.text);
      Anchor(key, key_anchor);
      if (!At(Tok::kColon)) {
        Fail(Peek().span, "expected ':' after key '" + key.text + "'",
             "write '" + key.text + ": " +
                 (At(Tok::kNewline) ? std::string("VALUE") : Peek().text) + "'");
      }
      Take();
      if (At(Tok::kNewline)) {
        Take();
        if (!At(Tok::kIndent)) {
          Fail(key.span, "key '" + key.text + "' has no value",
               "write the value after ':', or an indented block below");
        }
        Take();
        std::string child = pointer + "/" + json::EscapePointer(key.text);
        MapSpan(child, key.span);
        obj[key.text] = ParseEntries(child, mode, key_anchor);
        if (At(Tok::kDedent)) Take();
        continue;
      }
      ParseEntryValue(obj, key, pointer, mode);
      ExpectNewline("the value");
    } catch (const SyntaxError&) {
      Recover();
    }
    if (pos_ == before) Take();
  }
  return obj;
}

void Parser::ParseEntryValue(json::Object& obj, const Token& key, const std::string& pointer,
                             PayloadMode mode) {
  bool dynamic = false;
  std::string base = pointer + "/" + json::EscapePointer(key.text);
  SourceSpan value_span = Peek().span;
  json::Value v = ParseValue(base, mode, false, dynamic, "");
  std::string asl_key = dynamic && !IsJsonataMode(mode) ? key.text + ".$" : key.text;
  MapSpan(pointer + "/" + json::EscapePointer(asl_key), dynamic ? value_span : key.span);
  obj[asl_key] = std::move(v);
}

json::Value Parser::ParseValue(const std::string& pointer, PayloadMode mode, bool in_array,
                               bool& dynamic, std::string_view field) {
  const Token& t = Peek();
  DepthGuard guard(depth_, *this, t.span);
  dynamic = false;
  bool expr = t.kind == Tok::kPath || t.kind == Tok::kIntrinsic ||
              (t.kind == Tok::kString && t.interpolated);
  if (IsJsonataMode(mode)) {
    if (expr || (t.kind == Tok::kString && IsJsonataString(t.text))) JsonPathHere(t);
    if (t.kind == Tok::kJsonata) {
      dynamic = true;
      return json::Value(TakeJsonata());
    }
  }
  if (expr && mode == PayloadMode::kLiteral) {
    std::string shown = t.text;
    for (const StringPart& p : t.parts) shown += p.expr ? "${" + p.text + "}" : p.text;
    Fail(t.span,
         "'result' is a JSON literal; '" + shown + "' is " +
             (t.kind == Tok::kPath ? "a path" : "an expression"),
         "use 'args' to build the result from the input");
  }
  if (expr && in_array && !IsJsonataMode(mode)) {
    Fail(t.span,
         t.kind == Tok::kPath ? "an array element cannot be a path"
                              : "an array element cannot be an expression",
         "build the array with States.Array(...), whose arguments may be paths");
  }
  switch (t.kind) {
    case Tok::kPath:
      Take();
      CheckPath(t, json::PathMode::kPath, field);
      dynamic = true;
      return json::Value(t.text);
    case Tok::kIntrinsic:
      Take();
      CheckIntrinsic(t.text, t.span);
      dynamic = true;
      return json::Value(t.text);
    case Tok::kString:
      Take();
      if (t.interpolated) {
        dynamic = true;
        return json::Value(LowerInterpolation(t));
      }
      return json::Value(t.text);
    case Tok::kNumber:
      Take();
      return NumberValue(t.text);
    case Tok::kLBrace:
      return ParseInlineObject(pointer, mode);
    case Tok::kLBracket:
      return ParseArray(pointer, mode);
    case Tok::kJsonata:
      JsonataHere(t);
    case Tok::kIdent:
      if (t.text == "true" || t.text == "false" || t.text == "null") {
        Take();
        if (t.text == "null") return nullptr;
        return json::Value(t.text == "true");
      }
      Fail(t.span, "expected a value, found '" + t.text + "'",
           "text is written in double quotes: \"" + t.text + "\"");
    case Tok::kDuration:
    case Tok::kPercent:
      Fail(t.span, "expected a JSON value, found '" + t.text + "'",
           "numbers in a payload have no unit");
    case Tok::kDotted:
    case Tok::kUri:
      Fail(t.span, "expected a value, found '" + t.text + "'",
           "text is written in double quotes: \"" + t.text + "\"");
    default:
      Fail(t.span, std::string("expected a value, found ") + TokName(t.kind),
           "a value is a path, a call, a string, a number, true, false, null, {...} or [...]");
  }
}

json::Object Parser::ParseInlineObject(const std::string& pointer, PayloadMode mode) {
  Take();  // {
  json::Object obj;
  std::map<std::string, int> lines;
  while (!At(Tok::kRBrace)) {
    const Token& key = Take();
    CheckKey(key, mode, obj, lines);
    if (!At(Tok::kColon)) {
      Fail(Peek().span, "expected ':' after key '" + key.text + "'",
           "write '{" + key.text + ": VALUE}'");
    }
    Take();
    ParseEntryValue(obj, key, pointer, mode);
    if (At(Tok::kComma)) {
      Take();
      continue;
    }
    if (!At(Tok::kRBrace)) {
      Fail(Peek().span, std::string("expected ',' or '}', found ") + TokName(Peek().kind),
           "inline objects are written {key: value, key: value}");
    }
  }
  Take();
  return obj;
}

json::Array Parser::ParseArray(const std::string& pointer, PayloadMode mode) {
  Take();  // [
  json::Array arr;
  while (!At(Tok::kRBracket)) {
    bool dynamic = false;
    std::string child = pointer + "/" + std::to_string(arr.size());
    MapSpan(child, Peek().span);
    arr.push_back(ParseValue(child, mode, true, dynamic, ""));
    if (At(Tok::kComma)) {
      Take();
      continue;
    }
    if (!At(Tok::kRBracket)) {
      Fail(Peek().span, std::string("expected ',' or ']', found ") + TokName(Peek().kind),
           "arrays are written [a, b]");
    }
  }
  Take();
  return arr;
}

void Parser::ParsePathField(StateCtx& s, const Token& word, const char* asl, json::PathMode mode) {
  const Token& v = Peek();
  std::string pointer = s.pointer + "/" + asl;
  if (IsWord(v, "null")) {
    Take();
    s.obj[asl] = nullptr;
  } else if (v.kind == Tok::kPath) {
    Take();
    CheckPath(v, mode, word.text);
    s.obj[asl] = v.text;
  } else if (v.kind == Tok::kJsonata) {
    JsonataHere(v);
  } else {
    Fail(v.span, "'" + word.text + "' needs a path or null",
         "for example: " + word.text + " $.result");
  }
  MapSpan(pointer, v.span);
  ExpectNewline("the path");
}

void Parser::ParseSeconds(json::Object& obj, const std::string& pointer, const Token& word,
                          const char* asl, const char* asl_path, double min, double max,
                          std::optional<std::pair<double, SourceSpan>>* keep, bool jsonata) {
  const Token& v = Peek();
  if (jsonata && v.kind == Tok::kJsonata) {
    obj[asl] = TakeJsonata();
    MapSpan(pointer + "/" + asl, v.span);
    return;
  }
  if (jsonata && v.kind == Tok::kPath) JsonPathHere(v);
  if (v.kind == Tok::kDuration) {
    Take();
    if (v.seconds < min || v.seconds > max) {
      Fail(v.span,
           "'" + word.text + "' is from " + DurationText(min) + " to 99999999s, not '" + v.text +
               "'",
           "ASL's limits on timeouts and heartbeats");
    }
    obj[asl] = static_cast<int64_t>(v.seconds);
    MapSpan(pointer + "/" + asl, v.span);
    if (keep != nullptr) keep->emplace(v.seconds, v.span);
    return;
  }
  if (v.kind == Tok::kPath) {
    Take();
    CheckPath(v, json::PathMode::kReferencePath, word.text);
    obj[asl_path] = v.text;
    MapSpan(pointer + "/" + asl_path, v.span);
    return;
  }
  if (v.kind == Tok::kJsonata) JsonataHere(v);
  if (v.kind == Tok::kNumber) {
    std::string hint = "write " + v.text + "s";
    auto n = NumberValue(v.text);
    if (n.is_int64() && n.get_int64() > 0 && n.get_int64() % 60 == 0)
      hint += " or " + DurationText(static_cast<double>(n.get_int64()));
    Fail(v.span, "'" + word.text + "' needs a duration with a unit, not '" + v.text + "'", hint);
  }
  Fail(v.span,
       "'" + word.text + "' needs a duration (30s, 5m, 1h) or " +
           (jsonata ? "a JSONata expression" : "a path"),
       "");
}

void Parser::ParseCount(json::Object& obj, const std::string& pointer, const Token& word,
                        const char* asl, const char* asl_path, bool percent, bool jsonata) {
  const Token& v = Peek();
  if (jsonata && v.kind == Tok::kJsonata) {
    obj[asl] = TakeJsonata();
    MapSpan(pointer + "/" + asl, v.span);
    return;
  }
  if (jsonata && v.kind == Tok::kPath) JsonPathHere(v);
  if (v.kind == Tok::kNumber || (percent && v.kind == Tok::kPercent)) {
    Take();
    std::string text = v.kind == Tok::kPercent ? v.text.substr(0, v.text.size() - 1) : v.text;
    obj[asl] = NumberValue(text);
    MapSpan(pointer + "/" + asl, v.span);
    return;
  }
  if (v.kind == Tok::kPath) {
    Take();
    CheckPath(v, json::PathMode::kReferencePath, word.text);
    obj[asl_path] = v.text;
    MapSpan(pointer + "/" + asl_path, v.span);
    return;
  }
  if (v.kind == Tok::kJsonata) JsonataHere(v);
  if (v.kind == Tok::kDuration) {
    Fail(v.span, "'" + word.text + "' is a count, not a duration", "write a plain number");
  }
  std::string hint;
  if (word.text == "tolerate") {
    hint = jsonata ? "tolerate 3 | tolerate 10% | tolerate count {% ... %} | tolerate percent "
                     "{% ... %}"
                   : "tolerate 3 | tolerate 10% | tolerate count $.n | tolerate percent $.p";
  }
  Fail(v.span,
       "'" + word.text + "' needs a number or " + (jsonata ? "a JSONata expression" : "a path"),
       hint);
}

void Parser::ParseErrorCause(StateCtx& s, const Token& word) {
  bool is_error = word.text == "error";
  const char* plain = is_error ? "Error" : "Cause";
  const char* path = is_error ? "ErrorPath" : "CausePath";
  const Token& v = Peek();
  if (s.jsonata) {
    if (v.kind == Tok::kJsonata) {
      s.obj[plain] = TakeJsonata();
      MapSpan(s.pointer + "/" + plain, v.span);
      return;
    }
    if (v.kind == Tok::kPath || v.kind == Tok::kIntrinsic ||
        (v.kind == Tok::kString && (v.interpolated || IsJsonataString(v.text)))) {
      JsonPathHere(v);
    }
  }
  if (is_error && (v.kind == Tok::kIdent || v.kind == Tok::kDotted)) {
    Take();
    s.obj[plain] = v.text;
    MapSpan(s.pointer + "/" + plain, v.span);
    return;
  }
  if (v.kind == Tok::kString && !v.interpolated) {
    Take();
    s.obj[plain] = v.text;
    MapSpan(s.pointer + "/" + plain, v.span);
    return;
  }
  if (v.kind == Tok::kPath || v.kind == Tok::kIntrinsic || v.kind == Tok::kString) {
    bool dynamic = false;
    json::Value value =
        ParseValue(s.pointer + "/" + path, PayloadMode::kDynamic, false, dynamic, word.text);
    s.obj[path] = std::move(value);
    MapSpan(s.pointer + "/" + path, v.span);
    return;
  }
  if (v.kind == Tok::kJsonata) JsonataHere(v);
  if (s.jsonata) {
    Fail(v.span,
         "'" + word.text + "' needs " +
             (is_error ? std::string("an error name, a string or a JSONata expression")
                       : std::string("a string or a JSONata expression")),
         is_error ? "error Mission.Lost | error {% $states.input.code %}"
                  : "cause \"why\" | cause {% $states.input.reason %}");
  }
  Fail(v.span,
       "'" + word.text + "' needs " +
           (is_error ? std::string("an error name, a string or an expression")
                     : std::string("a string or an expression")),
       is_error ? "error Mission.Lost | error $.failure.name" : "cause \"why\" | cause $.reason");
}

}  // namespace fleetflow::definition::dsl
