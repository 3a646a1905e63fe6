#pragma once
// Internal error signalling. Evaluation and parsing throw JsonataError deep
// inside recursion; the public entry points catch it and return
// jsonata::Error, so no exception crosses the library boundary.

#include <string>
#include <string_view>

#include "engine/jsonata/jsonata.h"

namespace fleetflow::jsonata::internal {

struct JsonataError {
  std::string code;
  int position = -1;
  std::string token;
  std::string value;    // rendered offending value, for the message
  std::string message;  // explicit message ($error, $assert); else from code
};

[[noreturn]] void Throw(std::string_view code, int position, std::string_view token = {},
                        std::string_view value = {});

// The message JSONata gives for `code`, with {{token}} / {{value}} filled.
std::string MessageFor(const JsonataError& e);

Error ToPublic(const JsonataError& e);

}  // namespace fleetflow::jsonata::internal
