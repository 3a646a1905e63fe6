#pragma once
// Positions in a .flow file, the diagnostics that point at them, and the map
// from JSON pointers of the lowered ASL document back to the DSL text.

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace fleetflow::definition::dsl {

// 1-based line and column (columns count code points); `length` is how many
// columns to underline (0: a lone caret, for something missing).
struct SourceSpan {
  int line = 1;
  int col = 1;
  int length = 0;
};

struct SourceDiagnostic {
  std::string file;
  SourceSpan span;
  std::string message;
  std::string hint;
  bool warning = false;
};

// JSON pointer (of the exported ASL) -> where the DSL wrote it.
class SourceMap {
 public:
  void Add(const std::string& pointer, SourceSpan span) { entries_.emplace(pointer, span); }
  // Moves every entry at or under `from` to the same place under `to`.
  void Rename(const std::string& from, const std::string& to);
  // The span of `pointer`, else of its nearest enclosing pointer, else 1:1.
  SourceSpan Find(std::string_view pointer) const;

 private:
  std::map<std::string, SourceSpan, std::less<>> entries_;
};

// "file:3:9: error: message", the source line, a caret line and "hint: ...".
std::string RenderDiagnostic(const SourceDiagnostic& diagnostic, std::string_view source);

// The text of line `line` (1-based) of `source`, without its line end.
std::string_view SourceLine(std::string_view source, int line);

// Code points in `text` (UTF-8).
int CodePoints(std::string_view text);

}  // namespace fleetflow::definition::dsl
