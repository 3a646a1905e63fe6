#pragma once
// Conversion between engine values and json::Value at the library boundary.

#include "engine/jsonata/jsonata.h"
#include "engine/jsonata/value.h"

namespace fleetflow::jsonata::internal {

// The JSON form of a result: sequences become arrays, integral numbers
// integers, functions are dropped (undefined at the top level).
Result ToJson(const Value& v);

// A number as JSON: an integer when it is one, else a double.
json::Value NumberToJson(double d);

}  // namespace fleetflow::jsonata::internal
