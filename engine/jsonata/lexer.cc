#include "engine/jsonata/lexer.h"

#include <cmath>
#include <cstdlib>
#include <cstring>

#include "engine/jsonata/errors.h"
#include "engine/jsonata/utf8.h"

namespace fleetflow::jsonata::internal {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

constexpr std::string_view kTwoCharOperators[] = {
    "..", ":=", "!=", ">=", "<=", "**", "~>", "?:", "??"};

}  // namespace

bool IsOperatorChar(char c) { return std::strchr(".[]{}(),@#;:?+-*/%|=<>^&!~", c) && c != 0; }

Token Lexer::Make(TokenType type, std::string value) {
  Token t;
  t.type = type;
  t.value = std::move(value);
  t.position = static_cast<int>(pos_);
  return t;
}

bool Lexer::SkipSpaceAndComments() {
  for (;;) {
    while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
    if (text_.substr(pos_, 2) != "/*") return true;
    size_t end = text_.find("*/", pos_ + 2);
    if (end == std::string_view::npos) {
      pos_ = text_.size();
      Throw("S0106", static_cast<int>(pos_));
    }
    pos_ = end + 2;
  }
}

Token Lexer::Next(bool prefix) {
  SkipSpaceAndComments();
  if (pos_ >= text_.size()) return Make(TokenType::kEnd, "(end)");
  char c = text_[pos_];
  if (c == '/' && prefix) return LexRegex();
  for (std::string_view op : kTwoCharOperators) {
    if (text_.substr(pos_, 2) == op) {
      pos_ += 2;
      return Make(TokenType::kOperator, std::string(op));
    }
  }
  if (IsOperatorChar(c)) {
    ++pos_;
    return Make(TokenType::kOperator, std::string(1, c));
  }
  if (c == '"' || c == '\'') return LexString(c);
  if (IsDigit(c)) return LexNumber();
  if (c == '`') {
    size_t end = text_.find('`', pos_ + 1);
    if (end == std::string_view::npos) {
      pos_ = text_.size();
      Throw("S0105", static_cast<int>(pos_));
    }
    std::string name(text_.substr(pos_ + 1, end - pos_ - 1));
    pos_ = end + 1;
    return Make(TokenType::kName, std::move(name));
  }
  // A name or $variable runs until whitespace or an operator character.
  size_t start = pos_;
  while (pos_ < text_.size() && !IsSpace(text_[pos_]) && !IsOperatorChar(text_[pos_])) ++pos_;
  std::string word(text_.substr(start, pos_ - start));
  if (word[0] == '$') return Make(TokenType::kVariable, word.substr(1));
  if (word == "and" || word == "or" || word == "in") return Make(TokenType::kOperator, word);
  if (word == "true" || word == "false" || word == "null") return Make(TokenType::kValue, word);
  return Make(TokenType::kName, std::move(word));
}

Token Lexer::LexString(char quote) {
  std::string out;
  ++pos_;
  while (pos_ < text_.size()) {
    char c = text_[pos_];
    if (c == quote) {
      ++pos_;
      return Make(TokenType::kString, std::move(out));
    }
    if (c != '\\') {
      out.push_back(c);
      ++pos_;
      continue;
    }
    ++pos_;
    if (pos_ >= text_.size()) break;
    char e = text_[pos_];
    switch (e) {
      case '"':
      case '\\':
      case '/':
      case '\'':
        out.push_back(e);
        break;
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'u': {
        auto read_hex = [&](size_t at) -> int {
          if (at + 4 > text_.size()) return -1;
          int v = 0;
          for (size_t i = 0; i < 4; ++i) {
            int h = HexValue(text_[at + i]);
            if (h < 0) return -1;
            v = v * 16 + h;
          }
          return v;
        };
        int unit = read_hex(pos_ + 1);
        if (unit < 0) Throw("S0104", static_cast<int>(pos_));
        pos_ += 4;
        uint32_t cp = static_cast<uint32_t>(unit);
        if (unit >= 0xD800 && unit <= 0xDBFF && text_.substr(pos_ + 1, 2) == "\\u") {
          int low = read_hex(pos_ + 3);
          if (low >= 0xDC00 && low <= 0xDFFF) {
            cp = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
            pos_ += 6;
          }
        }
        AppendUtf8(out, cp);
        break;
      }
      default:
        Throw("S0103", static_cast<int>(pos_), std::string(1, e));
    }
    ++pos_;
  }
  pos_ = text_.size();
  Throw("S0101", static_cast<int>(pos_));
}

Token Lexer::LexNumber() {
  size_t start = pos_;
  if (text_[pos_] == '0') {
    ++pos_;
  } else {
    while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
  }
  if (pos_ + 1 < text_.size() && text_[pos_] == '.' && IsDigit(text_[pos_ + 1])) {
    ++pos_;
    while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
  }
  if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
    size_t save = pos_++;
    if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
    if (pos_ < text_.size() && IsDigit(text_[pos_])) {
      while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
    } else {
      pos_ = save;
    }
  }
  std::string digits(text_.substr(start, pos_ - start));
  double d = std::strtod(digits.c_str(), nullptr);
  if (!std::isfinite(d)) Throw("S0102", static_cast<int>(pos_), digits);
  Token t = Make(TokenType::kNumber, digits);
  t.number = d;
  return t;
}

// As jsonata-js scans a regex: a '/' ends it only outside any (), [] or {}
// (counted together, a bracket after a backslash not counted) and after an
// even number of backslashes.
Token Lexer::LexRegex() {
  size_t start = ++pos_;
  int depth = 0;
  while (pos_ < text_.size()) {
    char c = text_[pos_];
    if (c == '/' && depth == 0) {
      size_t backslashes = 0;
      while (pos_ - backslashes > start && text_[pos_ - backslashes - 1] == '\\') ++backslashes;
      if (backslashes % 2 == 0) break;
    }
    bool escaped = pos_ > start && text_[pos_ - 1] == '\\';
    if (!escaped && (c == '(' || c == '[' || c == '{')) ++depth;
    if (!escaped && (c == ')' || c == ']' || c == '}')) --depth;
    ++pos_;
  }
  if (pos_ >= text_.size()) {
    pos_ = text_.size();
    Throw("S0302", static_cast<int>(pos_));
  }
  std::string pattern(text_.substr(start, pos_ - start));
  if (pattern.empty()) Throw("S0301", static_cast<int>(pos_));
  ++pos_;
  size_t flags_start = pos_;
  // The documented flags are i and m; another letter is the next token.
  while (pos_ < text_.size() && (text_[pos_] == 'i' || text_[pos_] == 'm')) ++pos_;
  Token t = Make(TokenType::kRegex, std::move(pattern));
  t.flags = std::string(text_.substr(flags_start, pos_ - flags_start));
  return t;
}

}  // namespace fleetflow::jsonata::internal
