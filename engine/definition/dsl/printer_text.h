#pragma once
// The printer's words: quoting of names, keys, strings and errors, numbers
// and durations, expressions (with States.Format shown as interpolation),
// inline JSON, and choice comparisons. Internal to engine/definition/dsl.

#include <string>
#include <vector>

#include "engine/json/json.h"

namespace fleetflow::definition::dsl {

// Thrown when a document holds something the DSL cannot say.
struct PrintError {
  std::string message;
};
[[noreturn]] void Unprintable(std::string message);

const json::Object& ObjectOf(const json::Value& v, const std::string& what);
std::string StringOf(const json::Value& v, const std::string& what);

// A comment as `##` lines, when they carry it exactly.
bool DocRepresentable(const std::string& comment);
std::vector<std::string> DocLines(const std::string& comment);

std::string QuoteString(const std::string& text);   // "..." with DSL escapes
std::string Name(const std::string& name);          // bare IDENT unless a keyword
std::string Key(const std::string& key);            // bare IDENT, keywords included
std::string ErrorName(const std::string& error);    // bare IDENT or DOTTED
std::string Resource(const std::string& resource);  // bare URI
std::string ErrorList(const json::Object& retrier_or_catcher, const std::string& what);
std::string QueryWord(const json::Value& language);

std::string Number(const json::Value& v);
std::string Duration(const json::Value& v, const std::string& what);
std::string PathText(const json::Value& v);
std::string PathOrNull(const json::Value& v);
// A path, or an intrinsic call (an interpolated string when it is one).
std::string Expression(const json::Value& v);
bool IsDynamicKey(const std::string& key);
// A "{% ... %}" string as its token (docs/dsl.md 2.6), exactly as written.
std::string JsonataText(const std::string& expression);

// How the values of a payload are written.
enum class Style {
  kLiteral,   // JSON only (result, and literal members of a JSONPath payload)
  kJsonPath,  // "k.$" members become k: PATH-OR-CALL
  kJsonata,   // "{% %}" strings become {% %}; keys as they are
};
// A value of a JSONata field: a "{% %}" string is its token, else JSON.
inline Style JsonataOr(bool jsonata, Style otherwise) {
  return jsonata ? Style::kJsonata : otherwise;
}
// JSON on one line: {a: 1, b: $.x}.
std::string InlineValue(const json::Value& v, Style style);
// "== 3", "< number $.min", "is not null" for one comparator member.
std::string ComparatorText(const std::string& comparator, const json::Value& operand);

}  // namespace fleetflow::definition::dsl
