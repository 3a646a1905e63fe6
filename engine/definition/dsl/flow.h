#pragma once
// The Fleetflow DSL (docs/dsl.md): .flow text to the ASL document it denotes
// and to a validated MachineDef, and an ASL document back to canonical .flow
// text. Errors carry file:line:col, the span to underline and a hint.

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/definition/dsl/source.h"
#include "engine/definition/machine_def.h"
#include "engine/json/json.h"

namespace fleetflow::definition::dsl {

struct FlowOptions {
  // Directories searched for `import NAME` after the file's own directory
  // and its parent (also $FLEETFLOW_PATH, ':'-separated, in LoadFlowFile).
  std::vector<std::string> import_path;
  // Where the file lives, for imports; empty: imports are not resolved
  // (each is reported missing unless resolve_imports is false).
  std::string directory;
  bool resolve_imports = true;
};

// A `#` comment of the file: export drops it, fmt keeps it (section 6).
struct SourceComment {
  int line = 0;
  std::string text;          // from '#' to the end of the line, without trailing spaces
  bool trailing = false;     // after a statement on its line
  bool in_brackets = false;  // on a line inside ( ), [ ] or { } that continues a statement
};

// The line a statement starts on and the name the printer knows it by
// ("/States/Dock", "/States/Dock/retry/0"); fmt keeps a comment with the
// statement it belongs to.
struct StatementLine {
  int line = 0;
  std::string anchor;
};

// A machine named by `import`, loaded and validated.
struct ImportedMachine {
  std::string name;
  std::string path;
  json::Value asl;
};

struct FlowResult {
  json::Value asl;                            // the exported ASL document; set when ok()
  MachinePtr machine;                         // set when ok()
  std::vector<SourceDiagnostic> diagnostics;  // errors, then warnings, by position
  std::vector<ImportedMachine> imports;
  std::string source;  // the text, for RenderDiagnostic
  std::vector<SourceComment> comments;
  std::vector<StatementLine> statements;  // in the order of the file

  size_t error_count() const;
  bool ok() const { return error_count() == 0; }
  // Every diagnostic rendered with its source line and caret.
  std::string Render() const;
};

// Parses, lowers and validates `text`; `file_name` is used in diagnostics.
FlowResult LoadFlow(std::string_view text, const std::string& file_name,
                    const FlowOptions& options = {});
// Reads and loads a .flow file; imports are resolved next to it.
FlowResult LoadFlowFile(const std::string& path, FlowOptions options = {});

// Canonical .flow text of an ASL document (docs/dsl.md section 6). Fails
// with InvalidArgument when the document has a field the DSL cannot say.
absl::StatusOr<std::string> PrintFlow(const json::Value& asl);
// The canonical text of a loaded file (ok()), with its `#` comments: each
// above the statement that follows it, or after the statement it ended the
// line of (fleetflow fmt).
absl::StatusOr<std::string> FormatFlow(const FlowResult& flow);

// Directories every LoadFlowFile searches for imports after
// FlowOptions::import_path and before $FLEETFLOW_PATH: the command line's
// --import-path. Set once at startup, before any file is loaded.
void SetDefaultImportPath(std::vector<std::string> directories);

// ASL JSON with 2-space indentation, one member per line, ending in "\n".
std::string PrettyJson(const json::Value& value);

// True for a path ending in ".flow".
bool IsFlowFile(std::string_view path);

}  // namespace fleetflow::definition::dsl
