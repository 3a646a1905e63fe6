#include "engine/definition/dsl/printer_text.h"

#include <optional>

#include "engine/definition/dsl/jsonata_text.h"
#include "engine/definition/dsl/keywords.h"
#include "engine/definition/dsl/lexer.h"
#include "engine/definition/dsl/parser_impl.h"
#include "engine/definition/jsonata_template.h"

namespace fleetflow::definition::dsl {

namespace {

// True when `text` alone lexes as one token of `kind` with the same text.
bool LexesAs(const std::string& text, Tok kind) {
  if (text.empty() || text.find('\n') != std::string::npos) return false;
  LexResult r = Lex(text);
  return r.errors.empty() && r.tokens.size() == 3 && r.tokens[0].kind == kind &&
         r.tokens[0].text == text;
}

void AppendEscaped(std::string& out, const std::string& text) {
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '$':
        out += i + 1 < text.size() && text[i + 1] == '{' ? "\\$" : "$";
        break;
      default:
        if (c < 0x20) {
          static const char* kHex = "0123456789abcdef";
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
}

// The top-level arguments of "States.X(a, b)", trimmed; nullopt if unbalanced.
std::optional<std::vector<std::string>> SplitCall(const std::string& call) {
  size_t open = call.find('(');
  if (open == std::string::npos || call.back() != ')') return std::nullopt;
  std::vector<std::string> args;
  std::string current;
  int depth = 0;
  for (size_t i = open + 1; i + 1 < call.size(); ++i) {
    char c = call[i];
    if (c == '\'') {
      size_t j = i + 1;
      while (j < call.size() && call[j] != '\'') j += call[j] == '\\' ? 2 : 1;
      if (j >= call.size()) return std::nullopt;
      current += call.substr(i, j - i + 1);
      i = j;
      continue;
    }
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == ',' && depth == 0) {
      args.push_back(current);
      current.clear();
      continue;
    }
    current += c;
  }
  if (depth != 0) return std::nullopt;
  args.push_back(current);
  for (std::string& a : args) {
    size_t b = a.find_first_not_of(' ');
    size_t e = a.find_last_not_of(' ');
    a = b == std::string::npos ? "" : a.substr(b, e - b + 1);
  }
  return args;
}

// The template text the DSL's lowering makes of literal text.
void AppendTemplate(std::string& out, const std::string& text) {
  for (char c : text) {
    if (c == '\'' || c == '{' || c == '}' || c == '\\') out += '\\';
    out += c;
  }
}

// "robots/${$.robot}/cmd" for States.Format('robots/{}/cmd', $.robot), when
// lowering that string gives back exactly `call`.
std::optional<std::string> Interpolation(const std::string& call) {
  if (call.rfind("States.Format(", 0) != 0) return std::nullopt;
  auto args = SplitCall(call);
  if (!args || args->size() < 2) return std::nullopt;
  const std::string& tmpl = (*args)[0];
  if (tmpl.size() < 2 || tmpl.front() != '\'' || tmpl.back() != '\'') return std::nullopt;
  std::vector<std::string> literals(1);
  for (size_t i = 1; i + 1 < tmpl.size(); ++i) {
    char c = tmpl[i];
    if (c == '\\' && i + 2 < tmpl.size()) {
      literals.back() += tmpl[++i];
    } else if (c == '{' && tmpl[i + 1] == '}') {
      literals.emplace_back();
      ++i;
    } else {
      literals.back() += c;
    }
  }
  if (literals.size() != args->size()) return std::nullopt;
  std::string dsl = "\"";
  for (size_t i = 0; i < literals.size(); ++i) {
    AppendEscaped(dsl, literals[i]);
    if (i + 1 < literals.size()) {
      const std::string& arg = (*args)[i + 1];
      if (arg.empty() || (arg[0] != '$' && arg.rfind("States.", 0) != 0)) return std::nullopt;
      dsl += "${" + arg + "}";
    }
  }
  dsl += "\"";
  LexResult r = Lex(dsl);
  if (!r.errors.empty() || r.tokens.size() != 3 || !r.tokens[0].interpolated) return std::nullopt;
  std::string again = "States.Format('";
  std::string rest;
  for (const StringPart& p : r.tokens[0].parts) {
    if (p.expr) {
      again += "{}";
      rest += ", " + p.text;
    } else {
      AppendTemplate(again, p.text);
    }
  }
  again += "'" + rest + ")";
  if (again != call) return std::nullopt;
  return dsl;
}

}  // namespace

void Unprintable(std::string message) { throw PrintError{std::move(message)}; }

const json::Object& ObjectOf(const json::Value& v, const std::string& what) {
  if (!v.is_object()) Unprintable(what + " is not an object");
  return v.get_object();
}

std::string StringOf(const json::Value& v, const std::string& what) {
  if (!v.is_string()) Unprintable(what + " is not a string");
  return std::string(v.get_string());
}

std::vector<std::string> DocLines(const std::string& comment) {
  std::vector<std::string> lines(1);
  for (char c : comment) {
    if (c == '\n') {
      lines.emplace_back();
    } else {
      lines.back() += c;
    }
  }
  return lines;
}

bool DocRepresentable(const std::string& comment) {
  for (const std::string& line : DocLines(comment)) {
    if (!line.empty() && (line.back() == ' ' || line.front() == ' ')) return false;
    for (unsigned char c : line) {
      if (c < 0x20 || c == 0x7F) return false;
    }
  }
  return true;
}

std::string QuoteString(const std::string& text) {
  std::string out = "\"";
  AppendEscaped(out, text);
  return out + "\"";
}

std::string Name(const std::string& name) {
  return LexesAs(name, Tok::kIdent) && !IsKeyword(name) ? name : QuoteString(name);
}

std::string Key(const std::string& key) {
  return LexesAs(key, Tok::kIdent) ? key : QuoteString(key);
}

std::string ErrorName(const std::string& error) {
  bool bare = (LexesAs(error, Tok::kIdent) || LexesAs(error, Tok::kDotted)) && !IsKeyword(error);
  return bare ? error : QuoteString(error);
}

std::string Resource(const std::string& resource) {
  return LexesAs(resource, Tok::kUri) ? resource : QuoteString(resource);
}

std::string ErrorList(const json::Object& o, const std::string& what) {
  const json::Value* errors = o.if_contains("ErrorEquals");
  if (errors == nullptr || !errors->is_array() || errors->get_array().empty())
    Unprintable(what + " has no ErrorEquals");
  std::string out;
  for (const auto& e : errors->get_array()) {
    if (!out.empty()) out += ", ";
    out += ErrorName(StringOf(e, "an error name"));
  }
  return out;
}

std::string QueryWord(const json::Value& language) {
  std::string l = StringOf(language, "QueryLanguage");
  if (l == "JSONPath") return "jsonpath";
  if (l == "JSONata") return "jsonata";
  Unprintable("unknown QueryLanguage " + l);
}

std::string Number(const json::Value& v) {
  if (!json::IsNumber(v)) Unprintable("expected a number, found " + json::Serialize(v));
  return json::Serialize(v);
}

std::string Duration(const json::Value& v, const std::string& what) {
  if (!json::IsNumber(v) || !json::IsIntegral(v) || json::AsDouble(v) < 0 ||
      json::AsDouble(v) > 1e12)
    Unprintable(what + " is not a whole number of seconds");
  return DurationText(json::AsDouble(v));
}

std::string PathText(const json::Value& v) {
  std::string path = StringOf(v, "a path");
  if (!LexesAs(path, Tok::kPath)) Unprintable("path '" + path + "' cannot be written in the DSL");
  return path;
}

std::string PathOrNull(const json::Value& v) { return v.is_null() ? "null" : PathText(v); }

std::string Expression(const json::Value& v) {
  std::string text = StringOf(v, "an expression");
  if (!text.empty() && text[0] == '$') return PathText(v);
  if (auto interpolated = Interpolation(text)) return *interpolated;
  if (LexesAs(text, Tok::kIntrinsic)) return text;
  Unprintable("'" + text + "' is neither a path nor an intrinsic call the DSL can write");
}

bool IsDynamicKey(const std::string& key) {
  return key.size() >= 2 && key.compare(key.size() - 2, 2, ".$") == 0;
}

std::string JsonataText(const std::string& expression) {
  JsonataScan scan = ScanJsonata(expression, 0);
  if (!IsJsonataString(expression) || !scan.ok || scan.end != expression.size())
    Unprintable("JSONata expression '" + expression + "' cannot be written in the DSL");
  return expression;
}

std::string InlineValue(const json::Value& v, Style style) {
  switch (v.kind()) {
    case json::Kind::object: {
      std::string out = "{";
      for (const auto& kv : v.get_object()) {
        if (out.size() > 1) out += ", ";
        std::string key(kv.key());
        if (style == Style::kJsonPath && IsDynamicKey(key)) {
          out += Key(key.substr(0, key.size() - 2)) + ": " + Expression(kv.value());
        } else {
          out += Key(key) + ": " + InlineValue(kv.value(), style);
        }
      }
      return out + "}";
    }
    case json::Kind::array: {
      std::string out = "[";
      for (const auto& item : v.get_array()) {
        if (out.size() > 1) out += ", ";
        out += InlineValue(item, style);
      }
      return out + "]";
    }
    case json::Kind::string:
      if (style == Style::kJsonata && IsJsonataString(v.get_string()))
        return JsonataText(std::string(v.get_string()));
      return QuoteString(std::string(v.get_string()));
    default:
      return json::Serialize(v);
  }
}

std::string ComparatorText(const std::string& key, const json::Value& operand) {
  static const std::pair<const char*, const char*> kTests[] = {
      {"IsNull", "null"},     {"IsPresent", "present"}, {"IsNumeric", "number"},
      {"IsString", "string"}, {"IsBoolean", "bool"},    {"IsTimestamp", "timestamp"}};
  for (const auto& [test, word] : kTests) {
    if (key != test) continue;
    if (!operand.is_bool()) Unprintable(key + " needs true or false");
    return std::string(operand.get_bool() ? "is " : "is not ") + word;
  }
  if (key == "StringMatches") return "matches " + QuoteString(StringOf(operand, key));
  static const std::pair<const char*, const char*> kTypes[] = {
      {"String", "string"}, {"Numeric", "number"}, {"Boolean", "bool"}, {"Timestamp", "timestamp"}};
  static const std::pair<const char*, const char*> kOps[] = {{"LessThanEquals", "<="},
                                                             {"GreaterThanEquals", ">="},
                                                             {"LessThan", "<"},
                                                             {"GreaterThan", ">"},
                                                             {"Equals", "=="}};
  for (const auto& [type, word] : kTypes) {
    std::string t(type);
    if (key.rfind(t, 0) != 0) continue;
    std::string rest = key.substr(t.size());
    bool path = rest.size() > 4 && rest.compare(rest.size() - 4, 4, "Path") == 0;
    if (path) rest.resize(rest.size() - 4);
    for (const auto& [op, sym] : kOps) {
      if (rest != op) continue;
      if (t == "Boolean" && rest != "Equals") break;
      std::string out = std::string(sym) + " ";
      if (path) return out + word + " " + PathText(operand);
      if (t == "String") return out + QuoteString(StringOf(operand, key));
      if (t == "Timestamp") return out + "timestamp " + QuoteString(StringOf(operand, key));
      if (t == "Numeric") return out + Number(operand);
      if (!operand.is_bool()) Unprintable(key + " needs true or false");
      return out + (operand.get_bool() ? "true" : "false");
    }
  }
  Unprintable("choice comparator \"" + key + "\" has no DSL form");
}

}  // namespace fleetflow::definition::dsl
