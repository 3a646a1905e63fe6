#pragma once
// The parser's class, shared by parser.cc (file, blocks, states),
// parser_fields.cc (the fields of a state), parser_values.cc (payloads,
// expressions, paths, JSONata tokens) and parser_rules.cc (retry, catch,
// choice conditions). Internal to engine/definition/dsl.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/definition/dsl/parser.h"
#include "engine/json/path.h"

namespace fleetflow::definition::dsl {

// Thrown after a syntax error is recorded; caught where the parser resumes
// (the next line at the same or a lower indentation).
struct SyntaxError {};

enum class PayloadMode {
  kDynamic,        // args, select, item, credentials...: paths become "key.$"
  kAssign,         // as kDynamic, and keys are variable names
  kLiteral,        // result: JSON only
  kJsonata,        // a JSONata state's payload: {% %} values anywhere, no "key.$"
  kJsonataAssign,  // as kJsonata, and keys are variable names
};

inline bool IsJsonataMode(PayloadMode m) {
  return m == PayloadMode::kJsonata || m == PayloadMode::kJsonataAssign;
}
inline bool IsAssignMode(PayloadMode m) {
  return m == PayloadMode::kAssign || m == PayloadMode::kJsonataAssign;
}

// One state being parsed.
struct StateCtx {
  std::string kind;  // "pass", "task", ...
  std::string name;
  SourceSpan name_span;
  std::string pointer;  // "/States/Name" (under its block)
  int block = 0;
  bool jsonata = false;  // QueryLanguage JSONata (its own, else the machine's)
  json::Object obj;
  std::map<std::string, int, std::less<>> seen;  // field -> line
  bool has_transition = false;
  bool had_errors = false;  // then required parts are not checked
  bool has_else = false;
  bool has_when = false;
  bool has_do = false;
  int branches = 0;
  // task and run
  std::optional<std::pair<double, SourceSpan>> timeout, heartbeat;
  // run
  std::string machine;
  bool nowait = false;
  std::optional<std::pair<std::string, json::Value>> run_name;   // ("Name" or "Name.$", v)
  std::optional<std::pair<std::string, json::Value>> run_input;  // ("Input" or "Input.$", v)
  // map
  std::optional<std::string> mode;
  std::optional<std::string> execution_type;  // distributed: STANDARD or EXPRESS
  json::Array retry, catchers, choices, branch_list;
  std::vector<SourceSpan> retry_all;  // where each retry names States.ALL (or line 0)
  std::vector<SourceSpan> catch_all;
};

class Parser;

// Nesting deeper than this is an error, so that recursion stays bounded.
constexpr int kMaxDepth = 64;

// Counts one level of nesting for its lifetime.
class DepthGuard {
 public:
  DepthGuard(int& depth, Parser& parser, SourceSpan at);
  ~DepthGuard() { --depth_; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;

 private:
  int& depth_;
};

class Parser {
 public:
  explicit Parser(const std::vector<Token>& tokens) : tokens_(tokens) {}
  ParseOutput Run();

 private:
  // --- tokens (parser.cc) ---
  const Token& Peek(size_t k = 0) const;
  const Token& Take();
  bool At(Tok kind) const { return Peek().kind == kind; }
  bool AtWord(std::string_view word) const;
  static bool IsWord(const Token& t, std::string_view word);
  const Token& Expect(Tok kind, std::string_view what);
  void ExpectNewline(std::string_view after);
  [[noreturn]] void Fail(SourceSpan span, std::string message, std::string hint);
  void Report(SourceSpan span, std::string message, std::string hint);
  void Recover();
  void SkipBlock();
  void MapSpan(const std::string& pointer, SourceSpan span) { out_.map.Add(pointer, span); }

  // --- file, blocks, states (parser.cc); fields (parser_fields.cc) ---
  void ParseFile();
  void ParseImport();
  void ParseMachineHeader(json::Object& doc);
  json::Object ParseBlock(const std::string& pointer, const std::string& description);
  bool ParseState(const std::string& block_pointer, int block, json::Object& states,
                  std::vector<StateCtx>& done);
  std::string ParseName(std::string_view what);
  void ParseHeader(StateCtx& s, const Token& keyword);
  void ParseItem(StateCtx& s);
  void ParseField(StateCtx& s, const Token& word);
  void FinishState(StateCtx& s, const std::vector<const Token*>& docs);
  void Once(StateCtx& s, const Token& word, const std::string& key);
  void ParseBlockField(StateCtx& s, const Token& word);
  void ParseBatch(StateCtx& s);
  // `query` of the machine (s == nullptr) or of a state.
  void ParseQuery(json::Object& obj, const std::string& pointer, const StateCtx* s);
  // The language a state's own `query` line names ("jsonata", "jsonpath"),
  // read ahead from its header; "" when it has none.
  std::string PeekQuery() const;
  // Records that a statement starts on `first`'s line (LineAnchor).
  void Anchor(const Token& first, std::string anchor) {
    out_.anchors.push_back({first.span.line, std::move(anchor)});
  }

  // --- values (parser_values.cc) ---
  // A field's value and its line end: an indented block of entries, or one
  // value. A path or call alone is allowed only when `dynamic` is given.
  // `anchor` names the field's statement; its entries are anchor/key.
  json::Value ParsePayload(const std::string& pointer, PayloadMode mode, std::string_view field,
                           const std::string& anchor, bool* dynamic = nullptr);
  json::Object ParseEntries(const std::string& pointer, PayloadMode mode,
                            const std::string& anchor);
  // Adds key (with ".$" when dynamic) -> value to `obj`.
  void ParseEntryValue(json::Object& obj, const Token& key, const std::string& pointer,
                       PayloadMode mode);
  // A value; `dynamic` tells whether it is a path/intrinsic/interpolation.
  json::Value ParseValue(const std::string& pointer, PayloadMode mode, bool in_array, bool& dynamic,
                         std::string_view field);
  json::Object ParseInlineObject(const std::string& pointer, PayloadMode mode);
  json::Array ParseArray(const std::string& pointer, PayloadMode mode);
  void CheckKey(const Token& key, PayloadMode mode, const json::Object& obj,
                std::map<std::string, int>& lines);
  json::Path CheckPath(const Token& t, json::PathMode mode, std::string_view field);
  void CheckIntrinsic(const std::string& text, SourceSpan span);
  std::string LowerInterpolation(const Token& t);
  // PATH or null: "InputPath"-like fields.
  void ParsePathField(StateCtx& s, const Token& word, const char* asl, json::PathMode mode);
  // DURATION or reference path (JSONPath) or {% %} (JSONata): timeout, heartbeat.
  void ParseSeconds(json::Object& obj, const std::string& pointer, const Token& word,
                    const char* asl, const char* asl_path, double min, double max,
                    std::optional<std::pair<double, SourceSpan>>* keep, bool jsonata);
  // NUMBER or reference path (JSONPath) or {% %} (JSONata): concurrency,
  // max_items, max_bytes, tolerate.
  void ParseCount(json::Object& obj, const std::string& pointer, const Token& word, const char* asl,
                  const char* asl_path, bool percent, bool jsonata);
  void ParseErrorCause(StateCtx& s, const Token& word);
  // A JSONATA token in a JSONPath state is an error.
  [[noreturn]] void JsonataHere(const Token& t);
  // A path, intrinsic call, interpolation or quoted {% %} in a JSONata state
  // is an error.
  [[noreturn]] void JsonPathHere(const Token& t);
  // Takes a JSONATA token, checked by the JSONata parser; its text.
  std::string TakeJsonata();
  // A field that only JSONPath states have ('input', 'into', ...).
  [[noreturn]] void JsonPathField(const StateCtx& s, const Token& word);
  // A value: the JSONPath or JSONata payload mode of the state.
  static PayloadMode ModeFor(const StateCtx& s, bool assign) {
    if (s.jsonata) return assign ? PayloadMode::kJsonataAssign : PayloadMode::kJsonata;
    return assign ? PayloadMode::kAssign : PayloadMode::kDynamic;
  }
  static json::Value NumberValue(const std::string& text);

  // --- retry, catch, choice (parser_rules.cc) ---
  std::vector<std::pair<std::string, SourceSpan>> ParseErrorNames(std::string_view word);
  void ParseRetry(StateCtx& s, const Token& word);
  void ParseCatch(StateCtx& s, const Token& word);
  void ParseWhen(StateCtx& s, const Token& word);
  void ParseElse(StateCtx& s, const Token& word);
  json::Object ParseCondition(const std::string& pointer);
  json::Object ParseUnary(const std::string& pointer);
  json::Object ParseComparison(const std::string& pointer);
  // The indented block under a catch or a when rule: `assign`, and in a
  // JSONata state `output`.
  void ParseNested(const StateCtx& s, json::Object& target, const std::string& pointer,
                   std::string_view under, const std::string& anchor);
  json::Object ParseJsonataCondition(const std::string& pointer);
  std::string ParseTarget(const StateCtx& s, std::string_view word);

  friend class DepthGuard;
  const std::vector<Token>& tokens_;
  size_t pos_ = 0;
  ParseOutput out_;
  int current_block_ = 0;
  int depth_ = 0;  // nesting of values, conditions and blocks
  bool machine_jsonata_ = false;
};

// "90m" for 5400.
std::string DurationText(double seconds);
// Did-you-mean suffix: "; did you mean 'X'?" or "".
std::string DidYouMean(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace fleetflow::definition::dsl
