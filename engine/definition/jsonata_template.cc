#include "engine/definition/jsonata_template.h"

#include "engine/common/strings.h"

namespace fleetflow::definition {

namespace {

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

uint8_t MemberBit(std::string_view member) {
  if (member == "input") return kUsesInput;
  if (member == "result") return kUsesResult;
  if (member == "errorOutput") return kUsesErrorOutput;
  if (member == "context") return kUsesContext;
  return 0;  // an unknown member is undefined, as it is on AWS
}

// Rewrites each `$states.member` (outside strings, quoted names and comments)
// to `$__states_member` and reports which members are read. Any other use of
// `$states`, or a '/' (a regular expression could hide a quote from this
// scan), with `$states` present, makes the result kUsesWhole and the text
// is kept as it is. `members` gets the members named in either case.
uint8_t RewriteStates(std::string_view text, std::string& out, uint8_t& members) {
  out.clear();
  members = 0;
  out.reserve(text.size() + 16);
  uint8_t uses = 0;
  bool slash = false, whole = false, any = false;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == '\'' || c == '"' || c == '`') {
      size_t j = i + 1;
      while (j < text.size() && text[j] != c) j += (text[j] == '\\' && c != '`') ? 2 : 1;
      j = std::min(j + 1, text.size());
      out.append(text.substr(i, j - i));
      i = j;
      continue;
    }
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      size_t end = text.find("*/", i + 2);
      size_t j = end == std::string_view::npos ? text.size() : end + 2;
      out.append(text.substr(i, j - i));
      i = j;
      continue;
    }
    if (c == '/') slash = true;
    if (c == '$') {
      size_t j = i + 1;
      while (j < text.size() && IsNameChar(text[j])) ++j;
      std::string_view name = text.substr(i + 1, j - i - 1);
      bool non_ascii_follows = j < text.size() && static_cast<unsigned char>(text[j]) >= 0x80;
      if (name == "states" || (non_ascii_follows && name.substr(0, 6) == "states")) {
        any = true;
        size_t k = j + 1;
        if (!non_ascii_follows && j < text.size() && text[j] == '.' && k < text.size() &&
            IsNameChar(text[k]) && !(text[k] >= '0' && text[k] <= '9')) {
          while (k < text.size() && IsNameChar(text[k])) ++k;
          bool member_ends = k >= text.size() || static_cast<unsigned char>(text[k]) < 0x80;
          std::string_view member = text.substr(j + 1, k - j - 1);
          if (member_ends) {
            uses |= MemberBit(member);
            out.push_back('$');
            out.append(StatesMemberVariable(member));
            i = k;
            continue;
          }
        }
        whole = true;
      }
      out.append(text.substr(i, j - i));
      i = j;
      continue;
    }
    out.push_back(c);
    ++i;
  }
  members = uses;
  if (any && (whole || slash)) {
    out.assign(text);
    return kUsesWhole;
  }
  return uses;
}

constexpr const char* kResultUnavailable =
    "$states.result is not available in this field: only the Output and Assign of a Task, "
    "Parallel or Map state see the result (a Catch sees $states.errorOutput)";
constexpr const char* kErrorOutputUnavailable =
    "$states.errorOutput is not available in this field: only the Output and Assign of a Catch "
    "see the error output";

JsonataTemplate::Node CompileNode(const json::Value& v, const std::string& pointer,
                                  const JsonataTemplate::ErrorSink& errors, uint8_t unavailable,
                                  uint8_t& uses, bool& ok) {
  JsonataTemplate::Node node;
  switch (v.kind()) {
    case json::Kind::string: {
      if (!IsJsonataString(v.get_string())) break;
      auto expr = std::make_shared<JsonataExpression>();
      std::string message = CompileJsonata(v.get_string(), *expr);
      if (!message.empty()) {
        errors(pointer, message);
        ok = false;
        break;
      }
      uint8_t misused = expr->members & unavailable;
      if (misused & kUsesResult) errors(pointer, kResultUnavailable);
      if (misused & kUsesErrorOutput) errors(pointer, kErrorOutputUnavailable);
      ok = ok && misused == 0;
      uses |= expr->uses;
      node.kind = JsonataTemplate::Node::Kind::kExpression;
      node.expression = std::move(expr);
      return node;
    }
    case json::Kind::object: {
      bool dynamic = false;
      for (const auto& kv : v.get_object()) {
        std::string key(kv.key());
        node.fields.emplace_back(
            key, CompileNode(kv.value(), StrCat(pointer, "/", json::EscapePointer(key)), errors,
                             unavailable, uses, ok));
        dynamic |= node.fields.back().second.kind != JsonataTemplate::Node::Kind::kLiteral;
      }
      if (dynamic) {
        node.kind = JsonataTemplate::Node::Kind::kObject;
        return node;
      }
      node.fields.clear();
      break;
    }
    case json::Kind::array: {
      bool dynamic = false;
      const json::Array& arr = v.get_array();
      for (size_t i = 0; i < arr.size(); ++i) {
        node.items.push_back(
            CompileNode(arr[i], StrCat(pointer, "/", i), errors, unavailable, uses, ok));
        dynamic |= node.items.back().kind != JsonataTemplate::Node::Kind::kLiteral;
      }
      if (dynamic) {
        node.kind = JsonataTemplate::Node::Kind::kArray;
        return node;
      }
      node.items.clear();
      break;
    }
    default:
      break;
  }
  node.kind = JsonataTemplate::Node::Kind::kLiteral;
  node.literal = v;
  return node;
}

}  // namespace

bool IsJsonataString(std::string_view s) {
  return s.size() >= 4 && s.substr(0, 2) == "{%" && s.substr(s.size() - 2) == "%}";
}

std::string StatesMemberVariable(std::string_view member) { return StrCat("__states_", member); }

std::string CompileJsonata(std::string_view whole, JsonataExpression& out) {
  std::string_view inner = whole.substr(2, whole.size() - 4);
  size_t first = inner.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return "the JSONata expression between {% and %} is empty";
  size_t last = inner.find_last_not_of(" \t\r\n");
  out.text = std::string(inner.substr(first, last - first + 1));
  jsonata::Error error;
  auto compiled = jsonata::Compile(out.text, &error);
  if (!compiled.ok()) {
    return StrCat("the JSONata expression '", out.text, "' is not valid: ", error.code,
                  " at position ", error.position, ": ", error.message);
  }
  std::string rewritten;
  out.uses = RewriteStates(out.text, rewritten, out.members);
  if (rewritten != out.text) {
    auto again = jsonata::Compile(rewritten);
    if (again.ok()) {
      out.compiled = *std::move(again);
      return "";
    }
    out.uses = kUsesWhole;  // cannot happen, but the original text is always right
  }
  out.compiled = *std::move(compiled);
  return "";
}

JsonataTemplate JsonataTemplate::Compile(const json::Value& source, const ErrorSink& errors,
                                         uint8_t unavailable) {
  JsonataTemplate t;
  bool ok = true;
  t.root_ = CompileNode(source, "", errors, unavailable, t.uses_, ok);
  return t;
}

std::vector<std::string> JsonataTemplate::TopLevelKeys() const {
  std::vector<std::string> keys;
  if (root_.kind == Node::Kind::kObject) {
    for (const auto& f : root_.fields) keys.push_back(f.first);
  } else if (root_.literal.is_object()) {
    for (const auto& kv : root_.literal.get_object()) keys.emplace_back(kv.key());
  }
  return keys;
}

}  // namespace fleetflow::definition
