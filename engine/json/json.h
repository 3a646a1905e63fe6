#pragma once
// Fleetflow's JSON value is Boost.JSON's: insertion-ordered objects (AWS keeps
// key order), int64/uint64/double kept apart, and a fast parser. See
// docs/decisions.md for why not nlohmann.

#include <boost/json.hpp>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace fleetflow::json {

using Value = boost::json::value;
using Object = boost::json::object;
using Array = boost::json::array;
using String = boost::json::string;
using Kind = boost::json::kind;

// Immutable, shared JSON. State data and history payloads share one copy.
using ValuePtr = std::shared_ptr<const Value>;

inline ValuePtr Share(Value v) { return std::make_shared<const Value>(std::move(v)); }

// Parses JSON text; the error names the line and column.
absl::StatusOr<Value> Parse(std::string_view text);

// Compact JSON as AWS prints it: no spaces, doubles in shortest round-trip
// form with a ".0" kept on integral doubles, non-ASCII left as UTF-8.
std::string Serialize(const Value& value);
void AppendSerialized(std::string& out, const Value& value);
void AppendSerialized(std::string& out, const Object& object);
// `text` as a JSON string literal, quotes included.
void AppendQuoted(std::string& out, std::string_view text);

// The size Serialize would produce, counting no further than `limit` + 1.
size_t SerializedSize(const Value& value, size_t limit = SIZE_MAX);

bool IsNumber(const Value& v);
// The numeric value as a double (caller checks IsNumber).
double AsDouble(const Value& v);
// Numeric equality across int64/uint64/double, exact for integers.
bool NumbersEqual(const Value& a, const Value& b);
// -1, 0, 1; exact for integers.
int CompareNumbers(const Value& a, const Value& b);
// True when the value is a number with no fractional part (3, 3.0).
bool IsIntegral(const Value& v);

// Structural equality; numbers compare by value (1 == 1.0).
bool Equal(const Value& a, const Value& b);

const char* KindName(const Value& v);

// One JSON Pointer token (RFC 6901): "~" -> "~0", "/" -> "~1".
std::string EscapePointer(std::string_view token);

}  // namespace fleetflow::json
