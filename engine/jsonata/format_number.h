#pragma once
// $formatNumber: XPath F&O 3.1 decimal pictures (fn:format-number), with the
// decimal-format properties overridable through the options object.

#include <string>
#include <string_view>

namespace fleetflow::jsonata::internal {

class Evaluator;
class Value;

// Throws D3080-D3093 for a malformed picture.
std::string FormatNumber(Evaluator& ev, double value, std::string_view picture,
                         const Value& options, int position);

}  // namespace fleetflow::jsonata::internal
