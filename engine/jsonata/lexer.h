#pragma once
// Splits JSONata text into tokens. The parser pulls tokens one at a time and
// says whether it expects an operand ("prefix"), because "/" starts a regular
// expression there and means division elsewhere.

#include <string>
#include <string_view>

namespace fleetflow::jsonata::internal {

enum class TokenType { kEnd, kOperator, kName, kVariable, kString, kNumber, kValue, kRegex };

struct Token {
  TokenType type = TokenType::kEnd;
  std::string value;  // operator text, name, decoded string, regex pattern, true/false/null
  std::string flags;  // regex flags
  double number = 0;
  int position = 0;  // offset just past the token, as JSONata reports it
};

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}
  // Throws JsonataError (S01xx) on malformed input.
  Token Next(bool prefix);
  void Seek(size_t pos) { pos_ = pos; }

 private:
  bool SkipSpaceAndComments();
  Token LexString(char quote);
  Token LexNumber();
  Token LexRegex();
  Token Make(TokenType type, std::string value);

  std::string_view text_;
  size_t pos_ = 0;
};

bool IsOperatorChar(char c);

}  // namespace fleetflow::jsonata::internal
