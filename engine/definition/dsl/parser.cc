// The file, its machine header, its blocks and states, and the header line
// of each state (docs/dsl.md section 3).

#include <algorithm>

#include "engine/definition/diagnostics.h"
#include "engine/definition/dsl/keywords.h"
#include "engine/definition/dsl/parser_impl.h"
#include "engine/definition/jsonata_template.h"

namespace fleetflow::definition::dsl {

namespace {

// The order of a state's members in the exported ASL.
const std::vector<std::string_view>& AslOrder() {
  static const std::vector<std::string_view> kOrder = {"Type",
                                                       "Comment",
                                                       "QueryLanguage",
                                                       "Resource",
                                                       "ItemsPath",
                                                       "Items",
                                                       "Seconds",
                                                       "SecondsPath",
                                                       "Timestamp",
                                                       "TimestampPath",
                                                       "InputPath",
                                                       "Parameters",
                                                       "Arguments",
                                                       "Result",
                                                       "ItemSelector",
                                                       "ItemBatcher",
                                                       "ItemReader",
                                                       "ItemProcessor",
                                                       "Label",
                                                       "MaxConcurrency",
                                                       "MaxConcurrencyPath",
                                                       "ToleratedFailureCount",
                                                       "ToleratedFailureCountPath",
                                                       "ToleratedFailurePercentage",
                                                       "ToleratedFailurePercentagePath",
                                                       "ResultWriter",
                                                       "TimeoutSeconds",
                                                       "TimeoutSecondsPath",
                                                       "HeartbeatSeconds",
                                                       "HeartbeatSecondsPath",
                                                       "Credentials",
                                                       "Branches",
                                                       "ResultSelector",
                                                       "ResultPath",
                                                       "OutputPath",
                                                       "Output",
                                                       "Assign",
                                                       "Choices",
                                                       "Default",
                                                       "Error",
                                                       "ErrorPath",
                                                       "Cause",
                                                       "CausePath",
                                                       "Retry",
                                                       "Catch",
                                                       "Next",
                                                       "End"};
  return kOrder;
}

json::Object Ordered(json::Object in) {
  json::Object out;
  for (std::string_view key : AslOrder()) {
    if (auto* v = in.if_contains(key)) out[key] = std::move(*v);
  }
  for (auto& kv : in) {
    if (!out.contains(kv.key())) out[kv.key()] = std::move(kv.value());
  }
  return out;
}

}  // namespace

std::string MachineArnFor(const std::string& machine) { return kMachineArnPrefix + machine; }

std::string DurationText(double seconds) {
  long long s = static_cast<long long>(seconds);
  if (s != 0 && s % 86400 == 0) return std::to_string(s / 86400) + "d";
  if (s != 0 && s % 3600 == 0) return std::to_string(s / 3600) + "h";
  if (s != 0 && s % 60 == 0) return std::to_string(s / 60) + "m";
  return std::to_string(s) + "s";
}

std::string DidYouMean(const std::string& word, const std::vector<std::string>& candidates) {
  std::string close = ClosestName(word, candidates);
  return close.empty() ? "" : "; did you mean '" + close + "'?";
}

ParseOutput Parse(const std::vector<Token>& tokens) { return Parser(tokens).Run(); }

DepthGuard::DepthGuard(int& depth, Parser& parser, SourceSpan at) : depth_(depth) {
  if (++depth_ > kMaxDepth) {
    parser.Fail(at, "nested more than " + std::to_string(kMaxDepth) + " levels deep",
                "split the machine, or flatten the data");
  }
}

// --- tokens ---

const Token& Parser::Peek(size_t k) const {
  size_t i = std::min(pos_ + k, tokens_.size() - 1);
  return tokens_[i];
}

const Token& Parser::Take() {
  const Token& t = Peek();
  if (pos_ + 1 < tokens_.size()) ++pos_;
  return t;
}

bool Parser::IsWord(const Token& t, std::string_view word) {
  return t.kind == Tok::kIdent && t.text == word;
}
bool Parser::AtWord(std::string_view word) const { return IsWord(Peek(), word); }

void Parser::Report(SourceSpan span, std::string message, std::string hint) {
  if (out_.errors.size() < 50)
    out_.errors.push_back({"", span, std::move(message), std::move(hint), false});
}

void Parser::Fail(SourceSpan span, std::string message, std::string hint) {
  Report(span, std::move(message), std::move(hint));
  throw SyntaxError{};
}

const Token& Parser::Expect(Tok kind, std::string_view what) {
  if (!At(kind)) {
    Fail(Peek().span, "expected " + std::string(what) + ", found " + TokName(Peek().kind), "");
  }
  return Take();
}

void Parser::ExpectNewline(std::string_view after) {
  if (At(Tok::kNewline)) {
    Take();
    return;
  }
  const Token& t = Peek();
  std::string found =
      t.kind == Tok::kIdent || t.kind == Tok::kDotted ? "'" + t.text + "'" : TokName(t.kind);
  Fail(t.span, "unexpected " + found + " after " + std::string(after),
       "one field per line; nothing follows " + std::string(after));
}

void Parser::SkipBlock() {
  int depth = 0;
  do {
    if (At(Tok::kIndent)) ++depth;
    if (At(Tok::kDedent)) --depth;
    if (At(Tok::kEnd)) return;
    Take();
  } while (depth > 0);
}

void Parser::Recover() {
  if (At(Tok::kIndent)) return SkipBlock();
  while (!At(Tok::kNewline) && !At(Tok::kDedent) && !At(Tok::kEnd)) Take();
  if (At(Tok::kNewline)) Take();
  if (At(Tok::kIndent)) SkipBlock();
}

// --- file ---

ParseOutput Parser::Run() {
  try {
    ParseFile();
  } catch (const SyntaxError&) {
  }
  return std::move(out_);
}

void Parser::ParseFile() {
  while (AtWord("import")) {
    try {
      ParseImport();
    } catch (const SyntaxError&) {
      Recover();
    }
  }
  json::Object doc;
  size_t k = 0;
  while (Peek(k).kind == Tok::kDoc) ++k;
  if (IsWord(Peek(k), "machine") && Peek(k + 1).kind == Tok::kNewline) ParseMachineHeader(doc);
  if (At(Tok::kEnd)) {
    Fail(Peek().span, "a machine needs at least one state", "for example: succeed Done");
  }
  json::Object block = ParseBlock("", "the top level");
  while (!At(Tok::kEnd)) {
    const Token& t = Take();
    if (t.kind == Tok::kIndent) {
      Report(t.span, "unexpected indentation", "the line above does not open a block");
      SkipBlock();
    }
  }
  json::Object out;
  if (auto* c = doc.if_contains("Comment")) out["Comment"] = *c;
  if (auto* q = doc.if_contains("QueryLanguage")) out["QueryLanguage"] = *q;
  out["StartAt"] = block["StartAt"];
  if (auto* t = doc.if_contains("TimeoutSeconds")) out["TimeoutSeconds"] = *t;
  if (auto* v = doc.if_contains("Version")) out["Version"] = *v;
  out["States"] = block["States"];
  out_.document = std::move(out);
}

void Parser::ParseImport() {
  const Token& word = Take();
  const Token& t = Peek();
  ImportRecord rec;
  rec.span = t.span;
  if (t.kind == Tok::kIdent) {
    rec.name = t.text;
  } else if (t.kind == Tok::kString && !t.interpolated) {
    rec.path = t.text;
    std::string base = rec.path.substr(rec.path.find_last_of('/') + 1);
    for (const char* ext : {".asl.json", ".asl.yaml", ".asl.yml", ".flow", ".json", ".yaml"}) {
      std::string e(ext);
      if (base.size() > e.size() && base.compare(base.size() - e.size(), e.size(), e) == 0) {
        base.resize(base.size() - e.size());
        break;
      }
    }
    rec.name = base;
  } else {
    Fail(t.span, "'import' needs a machine name or a quoted file path",
         "import map_ingestion, or import \"vendor/legacy.asl.json\"");
  }
  Anchor(word, "import/" + rec.name);
  Take();
  ExpectNewline("the import");
  out_.imports.push_back(std::move(rec));
}

void Parser::ParseMachineHeader(json::Object& doc) {
  std::string comment;
  bool has_doc = false;
  while (At(Tok::kDoc)) {
    const Token& d = Take();
    if (d.detached) {
      Report(d.span, "'##' comment is not followed by a state or 'machine'",
             "remove the blank line, or write '#' for a plain comment");
    }
    if (has_doc) comment += "\n";
    comment += d.text;
    has_doc = true;
  }
  const Token& word = Take();  // machine
  MapSpan("", word.span);
  Anchor(word, "machine");
  Take();  // NEWLINE
  if (has_doc) doc["Comment"] = comment;
  if (!At(Tok::kIndent)) return;
  Take();
  std::map<std::string, int, std::less<>> seen;
  while (!At(Tok::kDedent) && !At(Tok::kEnd)) {
    try {
      const Token& f = Take();
      if (f.kind != Tok::kIdent) {
        Fail(f.span, "expected a machine field: comment, version, timeout or query", "");
      }
      auto [it, fresh] = seen.emplace(f.text, f.span.line);
      if (!fresh) {
        Fail(f.span,
             "'" + f.text + "' is given twice (first at line " + std::to_string(it->second) + ")",
             "keep one");
      }
      Anchor(f, "machine/" + f.text);
      if (f.text == "comment") {
        const Token& v = Expect(Tok::kString, "a string after 'comment'");
        if (has_doc) Fail(f.span, "'comment' and a '##' comment both give the comment", "keep one");
        doc["Comment"] = v.text;
        MapSpan("/Comment", v.span);
      } else if (f.text == "version") {
        const Token& v = Expect(Tok::kString, "a string after 'version', such as \"1.0\"");
        doc["Version"] = v.text;
        MapSpan("/Version", v.span);
      } else if (f.text == "timeout") {
        const Token& v = Peek();
        if (v.kind != Tok::kDuration) {
          Fail(v.span, "the machine's 'timeout' needs a duration, such as 4h", "");
        }
        Take();
        doc["TimeoutSeconds"] = static_cast<int64_t>(v.seconds);
        MapSpan("/TimeoutSeconds", v.span);
      } else if (f.text == "query") {
        ParseQuery(doc, "", nullptr);
      } else {
        Fail(f.span,
             "unknown machine field '" + f.text + "'" +
                 DidYouMean(f.text, {"comment", "version", "timeout", "query"}),
             "machine fields: comment, version, timeout, query");
      }
      ExpectNewline("the field");
    } catch (const SyntaxError&) {
      Recover();
    }
  }
  if (At(Tok::kDedent)) Take();
}

void Parser::ParseQuery(json::Object& obj, const std::string& pointer, const StateCtx* s) {
  const Token& v = Take();
  if (!IsWord(v, "jsonpath") && !IsWord(v, "jsonata")) {
    Fail(v.span, "'query' is 'jsonpath' or 'jsonata'", "");
  }
  bool jsonata = IsWord(v, "jsonata");
  if (s != nullptr && !jsonata && machine_jsonata_) {
    Fail(v.span, "a JSONata machine cannot hold a JSONPath state",
         "only a JSONPath machine can mix the two; write the state in JSONata");
  }
  if (s == nullptr) machine_jsonata_ = jsonata;
  obj["QueryLanguage"] = jsonata ? "JSONata" : "JSONPath";
  MapSpan(pointer + "/QueryLanguage", v.span);
}

std::string Parser::PeekQuery() const {
  size_t k = pos_;
  while (k < tokens_.size() && tokens_[k].kind != Tok::kNewline && tokens_[k].kind != Tok::kEnd)
    ++k;
  if (k + 1 >= tokens_.size() || tokens_[k + 1].kind != Tok::kIndent) return "";
  int depth = 0;
  bool line_start = true;
  for (size_t i = k + 1; i + 1 < tokens_.size(); ++i) {
    const Token& t = tokens_[i];
    if (t.kind == Tok::kIndent || t.kind == Tok::kDedent) {
      depth += t.kind == Tok::kIndent ? 1 : -1;
      if (depth <= 0) break;
      line_start = true;
      continue;
    }
    if (t.kind == Tok::kNewline || t.kind == Tok::kDoc) {
      line_start = true;
      continue;
    }
    if (line_start && depth == 1 && IsWord(t, "query")) {
      const Token& v = tokens_[i + 1];
      if (IsWord(v, "jsonata") || IsWord(v, "jsonpath")) return v.text;
    }
    line_start = false;
  }
  return "";
}

// --- blocks ---

json::Object Parser::ParseBlock(const std::string& pointer, const std::string& description) {
  DepthGuard guard(depth_, *this, Peek().span);
  int block = static_cast<int>(out_.blocks.size());
  out_.blocks.push_back({description});
  int saved_block = current_block_;
  current_block_ = block;
  std::optional<std::pair<std::string, SourceSpan>> start;
  if (AtWord("start") && (Peek(1).kind == Tok::kIdent || Peek(1).kind == Tok::kString) &&
      Peek(2).kind == Tok::kNewline) {
    Anchor(Take(), pointer + "/start");
    const Token& name = Take();
    start.emplace(name.text, name.span);
    Take();
    out_.links.push_back({name.text, name.span, block, "start"});
  }
  json::Object states;
  std::vector<StateCtx> done;
  while (!At(Tok::kDedent) && !At(Tok::kEnd)) {
    size_t before = pos_;
    try {
      ParseState(pointer, block, states, done);
    } catch (const SyntaxError&) {
      Recover();
    }
    if (pos_ == before) Take();
  }
  // Falling through: a state without next/end goes to the state below it.
  for (size_t i = 0; i < done.size(); ++i) {
    StateCtx& s = done[i];
    if (s.has_transition || s.kind == "choice" || s.kind == "succeed" || s.kind == "fail") continue;
    json::Value* st = states.if_contains(s.name);
    if (st == nullptr || !st->is_object()) continue;
    if (i + 1 < done.size()) {
      st->get_object()["Next"] = done[i + 1].name;
      st->get_object() = Ordered(std::move(st->get_object()));
      MapSpan(s.pointer + "/Next", s.name_span);
    } else {
      out_.missing_end.push_back({s.name, s.name_span, block});
    }
  }
  json::Object out;
  if (start) {
    out["StartAt"] = start->first;
    MapSpan(pointer + "/StartAt", start->second);
  } else if (!done.empty()) {
    out["StartAt"] = done.front().name;
    MapSpan(pointer + "/StartAt", done.front().name_span);
  } else {
    out["StartAt"] = "";
  }
  out["States"] = std::move(states);
  current_block_ = saved_block;
  return out;
}

std::string Parser::ParseName(std::string_view what) {
  const Token& t = Peek();
  if (t.kind == Tok::kIdent || (t.kind == Tok::kString && !t.interpolated)) {
    Take();
    return t.text;
  }
  if (t.kind == Tok::kString) {
    Fail(t.parts.empty() ? t.span : t.span, "a name cannot hold '${'",
         "write \\$ for a literal '$'");
  }
  Fail(t.span, std::string(what) + ", found " + TokName(t.kind),
       "a name is a word, or any text in double quotes");
}

bool Parser::ParseState(const std::string& block_pointer, int block, json::Object& states,
                        std::vector<StateCtx>& done) {
  std::vector<const Token*> docs;
  while (At(Tok::kDoc)) docs.push_back(&Take());
  const Token& keyword = Peek();
  if (keyword.kind != Tok::kIdent || !IsStateKeyword(keyword.text)) {
    if (!docs.empty()) {
      Report(docs.front()->span, "'##' comment is not followed by a state or 'machine'",
             "remove the blank line, or write '#' for a plain comment");
    }
    if (keyword.kind == Tok::kIndent) {
      Fail(keyword.span, "unexpected indentation",
           "the line above does not open a block; align this line with it");
    }
    if (IsWord(keyword, "import")) {
      Fail(keyword.span, "'import' lines come first in a file", "move it to the top");
    }
    if (IsWord(keyword, "machine")) {
      Fail(keyword.span, "'machine' comes before the states", "move it above the first state");
    }
    if (keyword.kind == Tok::kIdent) {
      std::string hint =
          "a state starts with pass, task, run, choice, wait, succeed, fail, parallel or map";
      if (IsField(keyword.text) || IsWord(keyword, "start")) {
        Fail(keyword.span, "'" + keyword.text + "' is not a state",
             IsWord(keyword, "start") ? "'start' is the first line of a block"
                                      : "indent it under the state it belongs to");
      }
      Fail(keyword.span,
           "unknown statement '" + keyword.text + "'" + DidYouMean(keyword.text, StateKeywords()),
           hint);
    }
    Fail(keyword.span, std::string("expected a state, found ") + TokName(keyword.kind),
         "a state starts with pass, task, run, choice, wait, succeed, fail, parallel or map");
  }
  Take();
  StateCtx s;
  s.kind = keyword.text;
  s.block = block;
  std::string query = PeekQuery();
  s.jsonata = query.empty() ? machine_jsonata_ : query == "jsonata";
  s.name_span = Peek().span;
  s.name = ParseName("'" + keyword.text + "' needs a state name");
  s.pointer = block_pointer + "/States/" + json::EscapePointer(s.name);
  Anchor(keyword, s.pointer);
  out_.states.push_back({s.name, s.name_span, block});
  MapSpan(s.pointer, s.name_span);
  ParseHeader(s, keyword);
  ExpectNewline("the state's header");
  size_t errors_before = out_.errors.size();
  if (At(Tok::kIndent)) {
    Take();
    while (!At(Tok::kDedent) && !At(Tok::kEnd)) {
      size_t before = pos_;
      try {
        ParseItem(s);
      } catch (const SyntaxError&) {
        Recover();
      }
      if (pos_ == before) Take();
    }
    if (At(Tok::kDedent)) Take();
  }
  s.had_errors = out_.errors.size() > errors_before;
  FinishState(s, docs);
  if (!states.contains(s.name)) states[s.name] = std::move(s.obj);
  done.push_back(std::move(s));
  return true;
}

void Parser::ParseHeader(StateCtx& s, const Token& keyword) {
  static const std::map<std::string, std::string, std::less<>> kTypes = {
      {"pass", "Pass"},     {"task", "Task"},         {"run", "Task"},
      {"choice", "Choice"}, {"wait", "Wait"},         {"succeed", "Succeed"},
      {"fail", "Fail"},     {"parallel", "Parallel"}, {"map", "Map"}};
  s.obj["Type"] = kTypes.at(s.kind);
  MapSpan(s.pointer + "/Type", keyword.span);
  const Token& t = Peek();
  if (s.kind == "task") {
    if (t.kind == Tok::kUri || (t.kind == Tok::kString && !t.interpolated)) {
      Take();
      s.obj["Resource"] = t.text;
      MapSpan(s.pointer + "/Resource", t.span);
      return;
    }
    if (t.kind == Tok::kIdent || t.kind == Tok::kDotted) {
      Fail(t.span, "resource '" + t.text + "' is not a URI",
           "write it in double quotes: \"" + t.text + "\"");
    }
    Fail(t.span, "a task needs a resource after its name",
         "for example: task " + s.name + " fleetflow:mqtt:publish");
  }
  if (s.kind == "run") {
    if (t.kind != Tok::kIdent && !(t.kind == Tok::kString && !t.interpolated)) {
      Fail(t.span, "'run' needs the name of an imported machine after the state's name",
           "for example: run " + s.name + " map_ingestion");
    }
    Take();
    s.machine = t.text;
    out_.runs.push_back({t.text, t.span});
    MapSpan(s.pointer + "/Parameters/StateMachineArn", t.span);
    MapSpan(s.pointer + "/Resource", t.span);
    if (AtWord("nowait")) {
      Take();
      s.nowait = true;
    }
    return;
  }
  if (s.kind == "wait") {
    if (!AtWord("for") && !AtWord("until")) {
      Fail(t.span, "a wait needs 'for' or 'until' after its name",
           "wait " + s.name +
               " for 30s | for $.seconds | until \"2026-03-14T01:59:00Z\" | until $.time");
    }
    bool until = IsWord(Take(), "until");
    const Token& v = Peek();
    const char* plain = until ? "Timestamp" : "Seconds";
    if (v.kind == Tok::kJsonata && s.jsonata) {
      s.obj[plain] = TakeJsonata();
      MapSpan(s.pointer + "/" + plain, v.span);
      return;
    }
    if (v.kind == Tok::kJsonata) JsonataHere(v);
    if (s.jsonata && (v.kind == Tok::kPath || v.kind == Tok::kString)) {
      if (v.kind == Tok::kPath || v.interpolated || IsJsonataString(v.text)) JsonPathHere(v);
    }
    if (v.kind == Tok::kPath) {
      Take();
      CheckPath(v, json::PathMode::kReferencePath, until ? "until" : "for");
      const char* field = until ? "TimestampPath" : "SecondsPath";
      s.obj[field] = v.text;
      MapSpan(s.pointer + "/" + field, v.span);
      return;
    }
    if (!until && v.kind == Tok::kDuration) {
      Take();
      if (v.seconds > 99999999) {
        Fail(v.span, "a wait is at most 99999999s (about 1157d)", "wait until a timestamp instead");
      }
      s.obj["Seconds"] = static_cast<int64_t>(v.seconds);
      MapSpan(s.pointer + "/Seconds", v.span);
      return;
    }
    if (until && v.kind == Tok::kString && !v.interpolated) {
      Take();
      s.obj["Timestamp"] = v.text;
      MapSpan(s.pointer + "/Timestamp", v.span);
      return;
    }
    if (!until && v.kind == Tok::kNumber) {
      Fail(v.span, "'for' needs a duration with a unit, not '" + v.text + "'",
           "write " + v.text + "s");
    }
    Fail(v.span,
         until ? "'until' needs a timestamp string or a path" : "'for' needs a duration or a path",
         "wait " + s.name + " for 30s | for $.seconds | until \"2026-03-14T01:59:00Z\"");
  }
  if (s.kind == "map" && AtWord("over")) {
    Take();
    const Token& v = Peek();
    if (s.jsonata) {
      if (v.kind == Tok::kJsonata) {
        s.obj["Items"] = TakeJsonata();
      } else if (v.kind == Tok::kLBracket) {
        s.obj["Items"] = ParseArray(s.pointer + "/Items", PayloadMode::kJsonata);
      } else if (v.kind == Tok::kPath) {
        JsonPathHere(v);
      } else {
        Fail(v.span, "'over' needs a JSONata expression or an array",
             "over {% $states.input.items %} | over [1, 2, 3]");
      }
      MapSpan(s.pointer + "/Items", v.span);
      return;
    }
    if (v.kind == Tok::kJsonata) JsonataHere(v);
    if (v.kind != Tok::kPath) Fail(v.span, "'over' needs a path to the items", "over $.items");
    Take();
    CheckPath(v, json::PathMode::kReferencePath, "over");
    s.obj["ItemsPath"] = v.text;
    MapSpan(s.pointer + "/ItemsPath", v.span);
  }
}

void Parser::FinishState(StateCtx& s, const std::vector<const Token*>& docs) {
  std::string comment;
  for (size_t i = 0; i < docs.size(); ++i) {
    if (docs[i]->detached) {
      Report(docs[i]->span, "'##' comment is not followed by a state or 'machine'",
             "remove the blank line, or write '#' for a plain comment");
    }
    if (i > 0) comment += "\n";
    comment += docs[i]->text;
  }
  if (!docs.empty()) {
    if (s.obj.contains("Comment")) {
      Report(docs.front()->span, "state '" + s.name + "' has both '##' lines and 'comment'",
             "keep one");
    }
    s.obj["Comment"] = comment;
    MapSpan(s.pointer + "/Comment", docs.front()->span);
  }
  if (s.kind == "run") {
    s.obj["Resource"] = s.nowait ? kStartAsync : kStartSync;
    json::Object params;
    params["StateMachineArn"] = MachineArnFor(s.machine);
    if (s.run_name) params[s.run_name->first] = s.run_name->second;
    if (s.run_input) {
      params[s.run_input->first] = s.run_input->second;
    } else if (s.jsonata) {
      params["Input"] = kRunJsonataInput;
    } else {
      params["Input.$"] = "$";
    }
    s.obj[s.jsonata ? "Arguments" : "Parameters"] = std::move(params);
  }
  if (s.had_errors) {
    // Required parts may be missing only because their line had an error.
  } else if (s.kind == "choice" && !s.has_when) {
    Report(s.name_span, "choice '" + s.name + "' has no 'when' rule",
           "a choice needs at least one 'when CONDITION -> STATE'");
  }
  if (s.had_errors) {
  } else if (s.kind == "map" && !s.has_do) {
    Report(s.name_span, "map '" + s.name + "' has no 'do' block",
           "add 'do' followed by the indented states each item runs");
  }
  if (s.had_errors) {
  } else if (s.kind == "parallel" && s.branches == 0) {
    Report(s.name_span, "parallel '" + s.name + "' has no 'branch' block",
           "add 'branch' followed by the indented states of each branch");
  }
  if (s.timeout && s.heartbeat && s.heartbeat->first >= s.timeout->first) {
    Report(s.heartbeat->second,
           "heartbeat (" + std::to_string(static_cast<long long>(s.heartbeat->first)) +
               "s) must be shorter than timeout (" +
               std::to_string(static_cast<long long>(s.timeout->first)) + "s)",
           "the worker must heartbeat several times within the timeout");
  }
  for (size_t i = 0; i + 1 < s.retry_all.size(); ++i) {
    if (s.retry_all[i].line > 0) {
      Report(s.retry_all[i], "a retry with 'States.ALL' must be the last retry",
             "move it below the other retry lines");
    }
  }
  for (size_t i = 0; i + 1 < s.catch_all.size(); ++i) {
    if (s.catch_all[i].line > 0) {
      Report(s.catch_all[i], "a catch with 'States.ALL' must be the last catch",
             "move it below the other catch lines");
    }
  }
  if (!s.retry.empty()) s.obj["Retry"] = std::move(s.retry);
  if (!s.catchers.empty()) s.obj["Catch"] = std::move(s.catchers);
  if (!s.choices.empty()) s.obj["Choices"] = std::move(s.choices);
  if (!s.branch_list.empty()) s.obj["Branches"] = std::move(s.branch_list);
  s.obj = Ordered(std::move(s.obj));
}

}  // namespace fleetflow::definition::dsl
