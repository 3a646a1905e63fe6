#include <string>

#include "engine/common/strings.h"
#include "engine/json/json.h"

namespace fleetflow::json {

namespace {

// Line and column (1-based) of byte `offset` in `text`.
std::pair<size_t, size_t> LineAndColumn(std::string_view text, size_t offset) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

}  // namespace

absl::StatusOr<Value> Parse(std::string_view text) {
  boost::json::parse_options options;
  options.max_depth = 512;
  boost::json::stream_parser parser({}, options);
  boost::system::error_code ec;
  size_t consumed = parser.write_some(text.data(), text.size(), ec);
  if (!ec) parser.finish(ec);
  if (!ec && consumed < text.size()) {
    // write_some stops after a complete value; the rest must be whitespace.
    for (size_t i = consumed; i < text.size(); ++i) {
      if (!isspace(static_cast<unsigned char>(text[i]))) {
        auto [line, column] = LineAndColumn(text, i);
        return absl::InvalidArgumentError(
            StrCat("JSON ", line, ":", column, ": unexpected text after the value"));
      }
    }
  }
  if (ec) {
    auto [line, column] = LineAndColumn(text, consumed);
    return absl::InvalidArgumentError(StrCat("JSON ", line, ":", column, ": ", ec.message()));
  }
  return parser.release();
}

}  // namespace fleetflow::json
