#pragma once
// The recursive-descent parser of docs/dsl.md section 3. It lowers as it
// parses: the result is the ASL document the file denotes, a source map from
// the document's JSON pointers to DSL positions, and what the semantic checks
// (checks.h) need to know about names and links.

#include <string>
#include <vector>

#include "engine/definition/dsl/lexer.h"
#include "engine/definition/dsl/source.h"
#include "engine/json/json.h"

namespace fleetflow::definition::dsl {

struct StateRecord {
  std::string name;
  SourceSpan span;
  int block = 0;
};

// A `next`, `->`, `else ->` or `start` naming a state.
struct LinkRecord {
  std::string target;
  SourceSpan span;
  int block = 0;
  std::string word;  // "next", "->", "start"
};

struct BlockRecord {
  std::string description;  // "the top level", "a branch of 'Both'"
};

struct ImportRecord {
  std::string name;  // the machine name it binds
  std::string path;  // a quoted import's path; empty for a bare name
  SourceSpan span;
};

struct RunRecord {
  std::string machine;
  SourceSpan span;
};

// The line a statement starts on, and the name the printer gives the same
// statement ("/States/Dock", "/States/Dock/retry/0", "/States/Dock/args/topic"):
// fmt puts a `#` comment back above, or after, the statement it was attached to.
struct LineAnchor {
  int line = 0;
  std::string anchor;
};

struct ParseOutput {
  json::Value document;
  SourceMap map;
  std::vector<SourceDiagnostic> errors;  // syntax errors (file left empty)
  std::vector<StateRecord> states;
  std::vector<LinkRecord> links;
  std::vector<BlockRecord> blocks;
  std::vector<StateRecord> missing_end;  // last states of a block without next/end
  std::vector<ImportRecord> imports;
  std::vector<RunRecord> runs;
  std::vector<LineAnchor> anchors;  // in the order of the file
};

ParseOutput Parse(const std::vector<Token>& tokens);

// The ARN that `run NAME MACHINE` calls.
std::string MachineArnFor(const std::string& machine);
inline constexpr const char* kStartSync = "arn:aws:states:::states:startExecution.sync:2";
inline constexpr const char* kStartAsync = "arn:aws:states:::states:startExecution";
inline constexpr const char* kMachineArnPrefix = "arn:fleetflow:states:local:stateMachine:";
// The child's input when a JSONata `run` has no `args`: the state's input.
inline constexpr const char* kRunJsonataInput = "{% $states.input %}";

}  // namespace fleetflow::definition::dsl
