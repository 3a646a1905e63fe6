#pragma once
// The words of the language (none is reserved; docs/dsl.md 2.3) and the
// field tables per state kind (section 3).

#include <string>
#include <string_view>
#include <vector>

namespace fleetflow::definition::dsl {

bool IsKeyword(std::string_view word);
bool IsStateKeyword(std::string_view word);
const std::vector<std::string>& StateKeywords();

// Fields and blocks a state kind accepts ("pass", "task", ...).
const std::vector<std::string>& FieldsOf(std::string_view kind);
bool IsField(std::string_view word);
// "task and run states" for 'timeout'.
std::string KindsAllowing(std::string_view field);

// The 18 intrinsic function names, for "did you mean".
const std::vector<std::string>& IntrinsicNames();
bool IsPredefinedError(std::string_view name);
const std::vector<std::string>& PredefinedErrors();

}  // namespace fleetflow::definition::dsl
