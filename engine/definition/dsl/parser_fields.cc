// The fields of a state (docs/dsl.md section 3): which a state kind takes,
// each lowered to its ASL member, in the JSONPath or JSONata form of the
// state's query language (4.9); `branch`, `do` and `batch` blocks.

#include <algorithm>

#include "engine/definition/dsl/keywords.h"
#include "engine/definition/dsl/parser_impl.h"
#include "engine/definition/jsonata_template.h"

namespace fleetflow::definition::dsl {

void Parser::Once(StateCtx& s, const Token& word, const std::string& key) {
  auto [it, fresh] = s.seen.emplace(key, word.span.line);
  if (!fresh) {
    Fail(word.span,
         "'" + key + "' is given twice (first at line " + std::to_string(it->second) + ")",
         "keep one");
  }
}

void Parser::ParseItem(StateCtx& s) {
  const Token& word = Peek();
  if (word.kind == Tok::kDoc) {
    Fail(word.span, "'##' comment is not followed by a state or 'machine'",
         "write '#' for a plain comment inside a state");
  }
  if (word.kind == Tok::kIndent) {
    Fail(word.span, "unexpected indentation",
         "the line above does not open a block; align this line with it");
  }
  if (word.kind != Tok::kIdent) {
    Fail(
        word.span,
        std::string("expected a field of the ") + s.kind + " state, found " + TokName(word.kind),
        s.kind + " fields: " + [&] {
          std::string list;
          for (const auto& f : FieldsOf(s.kind)) list += (list.empty() ? "" : ", ") + f;
          return list;
        }());
  }
  const auto& fields = FieldsOf(s.kind);
  bool allowed = std::find(fields.begin(), fields.end(), word.text) != fields.end();
  if (!allowed) {
    std::string list;
    for (const auto& f : fields) list += (list.empty() ? "" : ", ") + f;
    if (IsStateKeyword(word.text)) {
      Fail(word.span, "a state cannot be inside the block of " + s.kind + " '" + s.name + "'",
           "unindent it; states nest only in 'branch' and 'do' blocks");
    }
    if (!IsField(word.text)) {
      Fail(word.span,
           "unknown field '" + word.text + "' in a " + s.kind + " state" +
               DidYouMean(word.text, fields),
           s.kind + " fields: " + list);
    }
    std::string hint = "'" + word.text + "' belongs to " + KindsAllowing(word.text);
    if (s.kind == "choice" && (word.text == "next" || word.text == "end"))
      hint = "a choice moves by its 'when' rules and 'else'";
    Fail(word.span, "'" + word.text + "' is not allowed in a " + s.kind + " state", hint);
  }
  Take();
  ParseField(s, word);
}

namespace {

// The statement name of a field line (LineAnchor): repeated lines count.
std::string FieldAnchor(const StateCtx& s, const std::string& word, bool percent) {
  auto indexed = [&](size_t i) { return s.pointer + "/" + word + "/" + std::to_string(i); };
  if (word == "retry") return indexed(s.retry.size());
  if (word == "catch") return indexed(s.catchers.size());
  if (word == "when") return indexed(s.choices.size());
  if (word == "branch") return indexed(s.branch_list.size());
  if (word == "tolerate") return s.pointer + (percent ? "/tolerate percent" : "/tolerate count");
  return s.pointer + "/" + word;
}

}  // namespace

void Parser::JsonPathField(const StateCtx& s, const Token& word) {
  static const std::map<std::string, std::string, std::less<>> kHints = {
      {"input", "a JSONata state reads its input as $states.input in its expressions"},
      {"into", "a JSONata state's 'output' builds what it passes on, from $states.result"},
      {"select", "a JSONata state's 'output' reads the result as $states.result"},
      {"result", "write the value with 'output'"},
      {"args", "a JSONata pass state gives its value with 'output'"}};
  std::string what = word.text == "args" ? "'args' is not allowed in a JSONata " + s.kind + " state"
                                         : "'" + word.text + "' is a JSONPath field and " + s.kind +
                                               " '" + s.name + "' uses JSONata";
  Fail(word.span, what, kHints.at(word.text));
}

void Parser::ParseField(StateCtx& s, const Token& word) {
  const std::string& w = word.text;
  const std::string& p = s.pointer;
  bool percent = w == "tolerate" && (Peek().kind == Tok::kPercent || AtWord("percent"));
  std::string anchor = FieldAnchor(s, w, percent);
  Anchor(word, anchor);
  if (s.jsonata && (w == "input" || w == "into" || w == "select" || w == "result" ||
                    (w == "args" && s.kind == "pass"))) {
    JsonPathField(s, word);
  }
  if (w == "retry") return ParseRetry(s, word);
  if (w == "catch") return ParseCatch(s, word);
  if (w == "when") return ParseWhen(s, word);
  if (w == "else") return ParseElse(s, word);
  if (w == "branch" || w == "do") return ParseBlockField(s, word);
  if (w == "batch") {
    Once(s, word, w);
    return ParseBatch(s);
  }
  if (w == "tolerate") {
    Once(s, word, percent ? "tolerate percent" : "tolerate count");
    if (AtWord("count") || AtWord("percent")) Take();
    ParseCount(s.obj, p, word, percent ? "ToleratedFailurePercentage" : "ToleratedFailureCount",
               percent ? "ToleratedFailurePercentagePath" : "ToleratedFailureCountPath", percent,
               s.jsonata);
    return ExpectNewline("the field");
  }
  Once(s, word, w);
  if (w == "comment") {
    const Token& v = Expect(Tok::kString, "a string after 'comment'");
    if (v.interpolated) Fail(v.span, "a comment cannot hold '${'", "write \\$ for a literal '$'");
    s.obj["Comment"] = v.text;
    MapSpan(p + "/Comment", v.span);
  } else if (w == "query") {
    ParseQuery(s.obj, p, &s);
  } else if (w == "input") {
    return ParsePathField(s, word, "InputPath", json::PathMode::kPath);
  } else if (w == "output" && !s.jsonata) {
    return ParsePathField(s, word, "OutputPath", json::PathMode::kPath);
  } else if (w == "into") {
    return ParsePathField(s, word, "ResultPath", json::PathMode::kReferencePath);
  } else if (w == "args" && s.kind == "run") {
    bool dynamic = false;
    SourceSpan at = Peek().span;
    const char* args = s.jsonata ? "/Arguments/Input" : "/Parameters/Input";
    json::Value v = ParsePayload(p + args, ModeFor(s, false), w, anchor, &dynamic);
    s.run_input.emplace(dynamic && !s.jsonata ? "Input.$" : "Input", std::move(v));
    MapSpan(p + (s.jsonata ? "/Arguments/" : "/Parameters/") + s.run_input->first, at);
    return;
  } else if (w == "args" || w == "select" || w == "item" || w == "credentials" || w == "assign" ||
             w == "result" || w == "reader" || w == "writer" || w == "output") {
    static const std::map<std::string, std::string, std::less<>> kAsl = {
        {"args", "Parameters"},         {"select", "ResultSelector"}, {"item", "ItemSelector"},
        {"credentials", "Credentials"}, {"assign", "Assign"},         {"result", "Result"},
        {"reader", "ItemReader"},       {"writer", "ResultWriter"},   {"output", "Output"}};
    if (w == "reader" || w == "writer") {
      Fail(word.span, "'" + w + "' (" + kAsl.at(w) + ") is not supported yet",
           "pass the items in the input and use 'over'");
    }
    std::string asl = s.jsonata && w == "args" ? "Arguments" : kAsl.at(w);
    PayloadMode mode = w == "result" ? PayloadMode::kLiteral : ModeFor(s, w == "assign");
    // In a JSONata state, args, item and output may be one expression (or
    // any value): ASL checks what each field allows.
    bool any_value = s.jsonata && (w == "args" || w == "item" || w == "output");
    bool dynamic = false;
    MapSpan(p + "/" + asl, word.span);
    s.obj[asl] = ParsePayload(p + "/" + asl, mode, w, anchor, any_value ? &dynamic : nullptr);
    return;
  } else if (w == "timeout") {
    ParseSeconds(s.obj, p, word, "TimeoutSeconds", "TimeoutSecondsPath", 1, 99999999, &s.timeout,
                 s.jsonata);
  } else if (w == "heartbeat") {
    ParseSeconds(s.obj, p, word, "HeartbeatSeconds", "HeartbeatSecondsPath", 1, 99999999,
                 &s.heartbeat, s.jsonata);
  } else if (w == "concurrency") {
    ParseCount(s.obj, p, word, "MaxConcurrency", "MaxConcurrencyPath", false, s.jsonata);
  } else if (w == "mode") {
    const Token& v = Take();
    if (!IsWord(v, "inline") && !IsWord(v, "distributed"))
      Fail(v.span, "'mode' is 'inline' or 'distributed'", "");
    s.mode = IsWord(v, "inline") ? "INLINE" : "DISTRIBUTED";
    if (AtWord("standard") || AtWord("express")) {
      s.execution_type = IsWord(Take(), "standard") ? "STANDARD" : "EXPRESS";
    }
    MapSpan(p + "/ItemProcessor/ProcessorConfig", v.span);
  } else if (w == "label") {
    const Token& v = Expect(Tok::kString, "a string after 'label'");
    if (v.interpolated) Fail(v.span, "a label cannot hold '${'", "write \\$ for a literal '$'");
    s.obj["Label"] = v.text;
    MapSpan(p + "/Label", v.span);
  } else if (w == "error" || w == "cause") {
    ParseErrorCause(s, word);
  } else if (w == "name") {
    bool dynamic = false;
    SourceSpan at = Peek().span;
    std::string args = s.jsonata ? "/Arguments/" : "/Parameters/";
    json::Value v = ParseValue(p + args + "Name", ModeFor(s, false), false, dynamic, w);
    if (!dynamic && !v.is_string()) Fail(at, "'name' needs a string or an expression", "");
    s.run_name.emplace(dynamic && !s.jsonata ? "Name.$" : "Name", std::move(v));
    MapSpan(p + args + s.run_name->first, at);
  } else if (w == "next") {
    if (s.seen.count("end")) Fail(word.span, "a state has 'next' or 'end', not both", "keep one");
    std::string target = ParseTarget(s, "next");
    s.obj["Next"] = target;
    s.has_transition = true;
  } else if (w == "end") {
    if (s.seen.count("next")) Fail(word.span, "a state has 'next' or 'end', not both", "keep one");
    s.obj["End"] = true;
    MapSpan(p + "/End", word.span);
    s.has_transition = true;
  }
  ExpectNewline("the field");
}

std::string Parser::ParseTarget(const StateCtx& s, std::string_view word) {
  SourceSpan at = Peek().span;
  std::string target = ParseName("'" + std::string(word) + "' needs a state name");
  out_.links.push_back({target, at, current_block_, std::string(word)});
  std::string field = word == "next" ? "/Next" : "";
  if (!field.empty()) MapSpan(s.pointer + field, at);
  return target;
}

void Parser::ParseBlockField(StateCtx& s, const Token& word) {
  bool is_do = word.text == "do";
  if (is_do) Once(s, word, "do");
  if (!At(Tok::kNewline)) {
    Fail(Peek().span, "'" + word.text + "' is followed by its states, indented below it", "");
  }
  Take();
  if (!At(Tok::kIndent)) {
    Fail(Peek().span, "'" + word.text + "' needs its states indented below it",
         "for example:\n  " + word.text + "\n    succeed Done");
  }
  Take();
  std::string pointer = is_do ? s.pointer + "/ItemProcessor"
                              : s.pointer + "/Branches/" + std::to_string(s.branch_list.size());
  MapSpan(pointer, word.span);
  std::string description =
      is_do ? "the 'do' block of '" + s.name + "'" : "a branch of '" + s.name + "'";
  json::Object block = ParseBlock(pointer, description);
  if (At(Tok::kDedent)) Take();
  if (is_do) {
    s.has_do = true;
    json::Object processor;
    if (s.mode) {
      json::Object config{{"Mode", *s.mode}};
      if (s.execution_type) config["ExecutionType"] = *s.execution_type;
      processor["ProcessorConfig"] = std::move(config);
    }
    processor["StartAt"] = block["StartAt"];
    processor["States"] = block["States"];
    s.obj["ItemProcessor"] = std::move(processor);
  } else {
    ++s.branches;
    s.branch_list.push_back(std::move(block));
  }
}

void Parser::ParseBatch(StateCtx& s) {
  std::string pointer = s.pointer + "/ItemBatcher";
  json::Object batcher;
  ExpectNewline("'batch'");
  if (!At(Tok::kIndent)) {
    Fail(Peek().span, "'batch' needs its fields indented below it", "max_items, max_bytes, input");
  }
  Take();
  std::map<std::string, int, std::less<>> seen;
  while (!At(Tok::kDedent) && !At(Tok::kEnd)) {
    try {
      const Token& f = Take();
      if (f.kind != Tok::kIdent)
        Fail(f.span, "expected a batch field", "max_items, max_bytes, input");
      auto [it, fresh] = seen.emplace(f.text, f.span.line);
      if (!fresh) {
        Fail(f.span,
             "'" + f.text + "' is given twice (first at line " + std::to_string(it->second) + ")",
             "keep one");
      }
      std::string anchor = s.pointer + "/batch/" + f.text;
      Anchor(f, anchor);
      if (f.text == "max_items") {
        ParseCount(batcher, pointer, f, "MaxItemsPerBatch", "MaxItemsPerBatchPath", false,
                   s.jsonata);
      } else if (f.text == "max_bytes") {
        ParseCount(batcher, pointer, f, "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath", false,
                   s.jsonata);
      } else if (f.text == "input") {
        // JSONata: an object with expressions, or one expression.
        bool dynamic = false;
        batcher["BatchInput"] = ParsePayload(pointer + "/BatchInput", ModeFor(s, false), "input",
                                             anchor, s.jsonata ? &dynamic : nullptr);
        continue;
      } else {
        Fail(f.span,
             "unknown batch field '" + f.text + "'" +
                 DidYouMean(f.text, {"max_items", "max_bytes", "input"}),
             "batch fields: max_items, max_bytes, input");
      }
      ExpectNewline("the field");
    } catch (const SyntaxError&) {
      Recover();
    }
  }
  if (At(Tok::kDedent)) Take();
  s.obj["ItemBatcher"] = std::move(batcher);
}

}  // namespace fleetflow::definition::dsl
