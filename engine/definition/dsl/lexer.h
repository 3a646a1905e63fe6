#pragma once
// The .flow lexer (docs/dsl.md section 2): tokens with positions, and
// indentation turned into INDENT/DEDENT tokens with a stack of widths.

#include <string>
#include <string_view>
#include <vector>

#include "engine/definition/dsl/source.h"

namespace fleetflow::definition::dsl {

enum class Tok {
  kIdent,
  kDotted,
  kUri,
  kString,
  kNumber,
  kDuration,
  kPercent,
  kPath,
  kIntrinsic,
  kJsonata,
  kDoc,
  kArrow,
  kEq,
  kNe,
  kLe,
  kGe,
  kLt,
  kGt,
  kColon,
  kComma,
  kLParen,
  kRParen,
  kLBracket,
  kRBracket,
  kLBrace,
  kRBrace,
  kNewline,
  kIndent,
  kDedent,
  kEnd,
};

// A piece of an interpolated string: literal text, or the text of one path
// or intrinsic call written in `${...}`.
struct StringPart {
  bool expr = false;
  std::string text;
  SourceSpan span;
};

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;  // as written; a STRING's decoded value; a DOC's text
  SourceSpan span;
  std::vector<StringPart> parts;  // STRING with at least one ${...}
  bool interpolated = false;
  double seconds = 0;     // DURATION
  bool detached = false;  // DOC followed by a blank line
};

// A `#` comment (not `##`), which export drops and fmt keeps (docs/dsl.md 6).
struct PlainComment {
  int line = 0;
  std::string text;       // from '#' to the end of the line, trailing spaces removed
  bool trailing = false;  // after a token on the same line
  bool in_brackets = false;
};

struct LexResult {
  std::vector<Token> tokens;  // ends with kEnd
  std::vector<SourceDiagnostic> errors;
  std::vector<PlainComment> comments;
};

LexResult Lex(std::string_view source);

const char* TokName(Tok kind);

}  // namespace fleetflow::definition::dsl
