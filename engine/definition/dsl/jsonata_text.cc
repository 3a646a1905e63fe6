#include "engine/definition/dsl/jsonata_text.h"

#include <cstring>

#include "engine/jsonata/jsonata.h"

namespace fleetflow::definition::dsl {

namespace {

bool IsSpaceChar(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// JSONata's operator characters: a name or number runs until one of them or
// a space (engine/jsonata/lexer.cc).
bool IsOperatorChar(char c) { return c != 0 && std::strchr(".[]{}(),@#;:?+-*/%|=<>^&!~", c); }

// Past the regular expression whose '/' is at `i`, or npos when it is not
// closed on its line (then the '/' is taken for a division).
size_t SkipRegex(std::string_view src, size_t i) {
  bool in_class = false;
  for (size_t j = i + 1; j < src.size() && src[j] != '\n'; ++j) {
    char c = src[j];
    if (c == '\\') {
      ++j;
    } else if (c == '[') {
      in_class = true;
    } else if (c == ']') {
      in_class = false;
    } else if (c == '/' && !in_class) {
      ++j;
      while (j < src.size() && std::strchr("gimsuy", src[j]) != nullptr && src[j] != 0) ++j;
      return j;
    }
  }
  return std::string_view::npos;
}

JsonataScan Open(const char* what, size_t at) {
  JsonataScan r;
  r.open = what;
  r.open_at = at;
  return r;
}

}  // namespace

JsonataScan ScanJsonata(std::string_view src, size_t begin) {
  size_t i = begin + 2;
  int depth = 0;         // JSONata's own braces
  bool operand = false;  // the last token ends an operand, so '/' divides
  // After a '/' that opens no regular expression, none is looked for again on
  // that line: the scan stays linear on long lines of slashes.
  size_t no_regex_until = 0;
  while (i < src.size()) {
    char c = src[i];
    char next = i + 1 < src.size() ? src[i + 1] : '\0';
    if (IsSpaceChar(c)) {
      ++i;
    } else if (c == '%' && next == '}' && depth == 0) {
      JsonataScan r;
      r.ok = true;
      r.end = i + 2;
      return r;
    } else if (c == '/' && next == '*') {
      size_t end = src.find("*/", i + 2);
      if (end == std::string_view::npos) return Open("a comment", i);
      i = end + 2;
    } else if (c == '"' || c == '\'') {
      size_t j = i + 1;
      while (j < src.size() && src[j] != c) j += src[j] == '\\' ? 2 : 1;
      if (j >= src.size()) return Open("a string", i);
      i = j + 1;
      operand = true;
    } else if (c == '`') {
      size_t end = src.find('`', i + 1);
      if (end == std::string_view::npos) return Open("a quoted name", i);
      i = end + 1;
      operand = true;
    } else if (c == '/' && !operand && i >= no_regex_until) {
      size_t end = SkipRegex(src, i);
      if (end == std::string_view::npos) {
        size_t newline = src.find('\n', i);
        no_regex_until = newline == std::string_view::npos ? src.size() : newline;
        ++i;  // a division after all
      } else {
        i = end;
        operand = true;
      }
    } else if (c == '{') {
      ++depth;
      ++i;
      operand = false;
    } else if (c == '}' || c == ')' || c == ']') {
      if (c == '}' && depth > 0) --depth;
      ++i;
      operand = true;
    } else if (IsOperatorChar(c)) {
      ++i;
      operand = false;
    } else {
      size_t j = i;
      while (j < src.size() && !IsSpaceChar(src[j]) && !IsOperatorChar(src[j])) ++j;
      std::string_view word = src.substr(i, j - i);
      operand = word != "and" && word != "or" && word != "in";
      i = j;
    }
  }
  return Open("'{%'", begin);
}

SourceSpan PositionIn(std::string_view text, SourceSpan start, size_t offset, int length) {
  SourceSpan at{start.line, start.col, length};
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++at.line;
      at.col = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++at.col;
    }
  }
  return at;
}

bool CheckJsonata(std::string_view token, SourceSpan at, JsonataProblem& problem) {
  std::string_view inner = token.substr(2, token.size() - 4);
  size_t first = inner.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    problem = {at, "the JSONata expression between '{%' and '%}' is empty",
               "write an expression, such as {% $states.input %}"};
    return false;
  }
  size_t last = inner.find_last_not_of(" \t\r\n");
  std::string_view text = inner.substr(first, last - first + 1);
  jsonata::Error error;
  if (jsonata::Compile(text, &error).ok()) return true;
  // JSONata reports the offset just past the offending token.
  size_t end = error.position < 0 ? 0 : static_cast<size_t>(error.position);
  size_t width = error.token.size();
  size_t begin = end >= width ? end - width : 0;
  size_t offset = 2 + first + begin;
  int length = static_cast<int>(std::max<size_t>(1, width));
  if (begin >= text.size()) {  // at the end: point at the '%}'
    offset = token.size() - 2;
    length = 2;
  }
  problem.span = PositionIn(token, at, offset, length);
  problem.message = "invalid JSONata expression: " + error.code + " " + error.message;
  problem.hint = "JSONata's syntax is at docs.jsonata.org; ASL checks the same when it loads";
  return false;
}

}  // namespace fleetflow::definition::dsl
