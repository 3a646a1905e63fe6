#pragma once
// JSONata expressions in .flow text (docs/dsl.md 2.6): where a `{% ... %}`
// token ends, and the JSONata syntax check with its error mapped to a
// position in the file. Internal to engine/definition/dsl.

#include <cstddef>
#include <string>
#include <string_view>

#include "engine/definition/dsl/source.h"

namespace fleetflow::definition::dsl {

struct JsonataScan {
  bool ok = false;
  size_t end = 0;  // ok: one past the closing "%}"
  // Not ok: what is left open ("'{%'", "a string", "a quoted name", "a
  // comment") and the offset of its opening character.
  std::string open;
  size_t open_at = 0;
};

// Scans the expression that starts with "{%" at `begin`. It ends at the first
// "%}" outside strings ('...', "..."), quoted names (`...`), comments
// (/* */) and regular expressions, and outside JSONata's own { } (where
// `%}` is the parent operator closing an object). Line breaks are part of
// the expression.
JsonataScan ScanJsonata(std::string_view src, size_t begin);

// The position of byte `offset` of a token's text, the token starting at
// `start` (its line and column).
SourceSpan PositionIn(std::string_view text, SourceSpan start, size_t offset, int length);

struct JsonataProblem {
  SourceSpan span;
  std::string message;
  std::string hint;
};

// Compiles the expression of a `{% ... %}` token whose text is `token` and
// which starts at `at`; false and `problem` (JSONata's code and message, at
// the offending token) when it does not parse.
bool CheckJsonata(std::string_view token, SourceSpan at, JsonataProblem& problem);

}  // namespace fleetflow::definition::dsl
