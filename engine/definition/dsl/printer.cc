// ASL document -> canonical .flow text (docs/dsl.md section 6). The printer
// reads the ASL JSON, not the MachineDef, so that it can write back exactly
// what the document says (a written default stays written).

#include "engine/definition/dsl/printer.h"

#include "engine/definition/dsl/flow.h"
#include "engine/definition/dsl/parser.h"
#include "engine/definition/jsonata_template.h"

namespace fleetflow::definition::dsl {

namespace {

std::string Indent(int depth) { return std::string(static_cast<size_t>(depth) * 2, ' '); }

bool IsJsonataLanguage(const json::Value* language) {
  return language != nullptr && language->is_string() && language->get_string() == "JSONata";
}

}  // namespace

void Printer::Above(std::string& out, int depth, const std::string& anchor) {
  if (plan_ == nullptr) return;
  auto it = plan_->above.find(anchor);
  if (it == plan_->above.end()) return;
  for (const std::string& comment : it->second) out += Indent(depth) + comment + "\n";
  plan_->above.erase(it);
}

void Printer::Line(std::string& out, int depth, const std::string& text,
                   const std::string& anchor) {
  printed_.insert(anchor);
  Above(out, depth, anchor);
  out += Indent(depth) + text;
  if (plan_ != nullptr) {
    auto it = plan_->trailing.find(anchor);
    if (it != plan_->trailing.end()) {
      out += "  " + it->second;
      plan_->trailing.erase(it);
    }
  }
  out += "\n";
}

void Printer::Doc(std::string& out, int depth, const std::string& comment) {
  for (const std::string& line : DocLines(comment)) {
    out += Indent(depth) + (line.empty() ? "##" : "## " + line) + "\n";
  }
}

std::string Printer::Jsonata(const json::Value& v) {
  if (!v.is_string() || !IsJsonataString(v.get_string()))
    Unprintable("expected a JSONata expression, found " + json::Serialize(v));
  return JsonataText(std::string(v.get_string()));
}

std::string Printer::Header(const json::Object& doc) {
  const json::Value* comment = doc.if_contains("Comment");
  const json::Value* query = doc.if_contains("QueryLanguage");
  const json::Value* version = doc.if_contains("Version");
  const json::Value* timeout = doc.if_contains("TimeoutSeconds");
  if (comment == nullptr && query == nullptr && version == nullptr && timeout == nullptr) return "";
  bool doc_comment = comment != nullptr && comment->is_string() &&
                     DocRepresentable(std::string(comment->get_string()));
  std::string header;
  Above(header, 0, "machine");
  if (doc_comment) Doc(header, 0, std::string(comment->get_string()));
  Line(header, 0, "machine", "machine");
  if (comment != nullptr && !doc_comment)
    Line(header, 1, "comment " + QuoteString(StringOf(*comment, "Comment")), "machine/comment");
  if (query != nullptr) Line(header, 1, "query " + QueryWord(*query), "machine/query");
  if (version != nullptr)
    Line(header, 1, "version " + QuoteString(StringOf(*version, "Version")), "machine/version");
  if (timeout != nullptr)
    Line(header, 1, "timeout " + Duration(*timeout, "TimeoutSeconds"), "machine/timeout");
  return header;
}

std::string Printer::Document(const json::Object& doc) {
  static const std::set<std::string> kTop = {"StartAt",        "States",  "Comment",
                                             "TimeoutSeconds", "Version", "QueryLanguage"};
  for (const auto& kv : doc) {
    if (!kTop.count(std::string(kv.key())))
      Unprintable("top-level field \"" + std::string(kv.key()) + "\" has no DSL form");
  }
  machine_jsonata_ = IsJsonataLanguage(doc.if_contains("QueryLanguage"));
  std::string header = Header(doc);
  std::vector<std::string> items;
  Block(doc, "", 0, &items);
  std::string out;
  for (const std::string& name : imports_) Line(out, 0, "import " + Name(name), "import/" + name);
  if (!header.empty()) out += (out.empty() ? "" : "\n") + header;
  for (const std::string& item : items) out += (out.empty() ? "" : "\n") + item;
  if (plan_ != nullptr && !plan_->end.empty()) {
    std::string tail;
    for (const std::string& comment : plan_->end) tail += comment + "\n";
    out += (out.empty() ? "" : "\n") + tail;
  }
  return out;
}

std::string Printer::Block(const json::Object& block, const std::string& pointer, int depth,
                           std::vector<std::string>* top_items) {
  const json::Value* states_v = block.if_contains("States");
  if (states_v == nullptr) Unprintable("a block has no States");
  const json::Object& states = ObjectOf(*states_v, "States");
  if (states.empty()) Unprintable("a block has no states");
  std::string start =
      StringOf(block.contains("StartAt") ? block.at("StartAt") : json::Value(), "StartAt");
  std::vector<std::string> names;
  for (const auto& kv : states) names.emplace_back(kv.key());
  std::string out;
  auto add = [&](std::string text) {
    if (top_items != nullptr) {
      top_items->push_back(std::move(text));
    } else {
      out += text;
    }
  };
  if (start != names.front()) {
    std::string line;
    Line(line, depth, "start " + Name(start), pointer + "/start");
    add(std::move(line));
  }
  for (size_t i = 0; i < names.size(); ++i) {
    std::string following = i + 1 < names.size() ? names[i + 1] : "";
    std::string state_pointer = pointer + "/States/" + json::EscapePointer(names[i]);
    add(State(names[i], ObjectOf(states.at(names[i]), "a state"), state_pointer, depth, following));
  }
  return out;
}

std::string Printer::State(const std::string& name, const json::Object& st,
                           const std::string& pointer, int depth, const std::string& following) {
  std::string type = StringOf(st.contains("Type") ? st.at("Type") : json::Value(), "Type");
  const json::Value* query = st.if_contains("QueryLanguage");
  StateOut s{st, pointer, depth + 1,
             query != nullptr ? IsJsonataLanguage(query) : machine_jsonata_};
  s.is_map = type == "Map";
  std::string out;
  Above(out, depth, pointer);
  if (const json::Value* comment = st.if_contains("Comment")) {
    s.used.insert("Comment");
    if (comment->is_string() && DocRepresentable(std::string(comment->get_string()))) {
      Doc(out, depth, std::string(comment->get_string()));
    } else {
      Line(s.fields, s.depth, "comment " + QuoteString(StringOf(*comment, "Comment")),
           s.At("comment"));
    }
  }
  if (s.has("QueryLanguage"))
    Line(s.fields, s.depth, "query " + QueryWord(s.get("QueryLanguage")), s.At("query"));
  if (s.has("InputPath"))
    Line(s.fields, s.depth, "input " + PathOrNull(s.get("InputPath")), s.At("input"));
  KindFields(s, type, name);
  int d = s.depth;
  if (s.has("ResultSelector"))
    Payload(s.fields, d, "select", s.get("ResultSelector"), Style::kJsonPath, s.At("select"));
  if (s.has("ResultPath"))
    Line(s.fields, d, "into " + PathOrNull(s.get("ResultPath")), s.At("into"));
  if (s.has("OutputPath"))
    Line(s.fields, d, "output " + PathOrNull(s.get("OutputPath")), s.At("output"));
  if (s.jsonata && s.has("Output"))
    Payload(s.fields, d, "output", s.get("Output"), Style::kJsonata, s.At("output"));
  if (s.has("Assign"))
    Payload(s.fields, d, "assign", s.get("Assign"), JsonataOr(s.jsonata, Style::kJsonPath),
            s.At("assign"));
  Nested(s, following);
  Blocks(s);
  for (const auto& kv : st) {
    if (!s.used.count(std::string(kv.key())))
      Unprintable("field \"" + std::string(kv.key()) + "\" of state \"" + name +
                  "\" has no DSL form");
  }
  Line(out, depth, s.header, pointer);
  return out + s.fields;
}

void Printer::KindFields(StateOut& s, const std::string& type, const std::string& name) {
  std::string n = Name(name);
  int d = s.depth;
  if (type == "Pass") {
    s.header = "pass " + n;
    if (s.has("Parameters"))
      Payload(s.fields, d, "args", s.get("Parameters"), Style::kJsonPath, s.At("args"));
    if (s.has("Result"))
      Payload(s.fields, d, "result", s.get("Result"), Style::kLiteral, s.At("result"));
  } else if (type == "Task") {
    TaskFields(s, n);
  } else if (type == "Choice") {
    s.header = "choice " + n;
  } else if (type == "Wait") {
    s.header = "wait " + n;
    WaitHeader(s);
  } else if (type == "Succeed") {
    s.header = "succeed " + n;
  } else if (type == "Fail") {
    s.header = "fail " + n;
    FailFields(s);
  } else if (type == "Parallel") {
    s.header = "parallel " + n;
    if (s.has("Parameters"))
      Payload(s.fields, d, "args", s.get("Parameters"), Style::kJsonPath, s.At("args"));
    if (s.jsonata && s.has("Arguments"))
      Payload(s.fields, d, "args", s.get("Arguments"), Style::kJsonata, s.At("args"));
  } else if (type == "Map") {
    s.header = "map " + n;
    MapFields(s);
  } else {
    Unprintable("state \"" + name + "\" has an unknown Type \"" + type + "\"");
  }
}

void Printer::TaskFields(StateOut& s, const std::string& name) {
  int d = s.depth;
  if (!PrintRun(s, name)) {
    s.header = "task " + name + " " + Resource(StringOf(s.get("Resource"), "Resource"));
    if (s.has("Parameters"))
      Payload(s.fields, d, "args", s.get("Parameters"), Style::kJsonPath, s.At("args"));
    if (s.jsonata && s.has("Arguments"))
      Payload(s.fields, d, "args", s.get("Arguments"), Style::kJsonata, s.At("args"));
  }
  for (const auto& [key, word] :
       {std::pair{"TimeoutSeconds", "timeout"}, std::pair{"HeartbeatSeconds", "heartbeat"}}) {
    std::string path_key = std::string(key) + "Path";
    if (s.has(key)) {
      const json::Value& v = s.get(key);
      std::string text = s.jsonata && v.is_string() ? Jsonata(v) : Duration(v, key);
      Line(s.fields, d, std::string(word) + " " + text, s.At(word));
    }
    if (s.st.contains(path_key)) {
      s.used.insert(path_key);
      Line(s.fields, d, std::string(word) + " " + PathText(s.st.at(path_key)), s.At(word));
    }
  }
  if (s.has("Credentials"))
    Payload(s.fields, d, "credentials", s.get("Credentials"),
            JsonataOr(s.jsonata, Style::kJsonPath), s.At("credentials"));
}

void Printer::WaitHeader(StateOut& s) {
  if (s.has("Seconds")) {
    const json::Value& v = s.get("Seconds");
    s.header += " for " + (s.jsonata && v.is_string() ? Jsonata(v) : Duration(v, "Seconds"));
  }
  if (s.has("SecondsPath")) s.header += " for " + PathText(s.get("SecondsPath"));
  if (s.has("Timestamp")) {
    const json::Value& v = s.get("Timestamp");
    bool expression = s.jsonata && v.is_string() && IsJsonataString(v.get_string());
    s.header += " until " + (expression ? Jsonata(v) : QuoteString(StringOf(v, "Timestamp")));
  }
  if (s.has("TimestampPath")) s.header += " until " + PathText(s.get("TimestampPath"));
}

void Printer::FailFields(StateOut& s) {
  int d = s.depth;
  auto expression = [&](const json::Value& v) {
    return s.jsonata && v.is_string() && IsJsonataString(v.get_string());
  };
  if (s.has("Error")) {
    const json::Value& v = s.get("Error");
    std::string text = expression(v) ? Jsonata(v) : ErrorName(StringOf(v, "Error"));
    Line(s.fields, d, "error " + text, s.At("error"));
  }
  if (s.has("ErrorPath"))
    Line(s.fields, d, "error " + Expression(s.get("ErrorPath")), s.At("error"));
  if (s.has("Cause")) {
    const json::Value& v = s.get("Cause");
    std::string text = expression(v) ? Jsonata(v) : QuoteString(StringOf(v, "Cause"));
    Line(s.fields, d, "cause " + text, s.At("cause"));
  }
  if (s.has("CausePath"))
    Line(s.fields, d, "cause " + Expression(s.get("CausePath")), s.At("cause"));
}

void Printer::MapFields(StateOut& s) {
  int d = s.depth;
  if (s.has("ItemsPath")) s.header += " over " + PathText(s.get("ItemsPath"));
  if (s.jsonata && s.has("Items")) {
    const json::Value& v = s.get("Items");
    s.header += " over " + (v.is_string() ? Jsonata(v) : InlineValue(v, Style::kJsonata));
  }
  const char* proc_key = s.has("ItemProcessor") ? "ItemProcessor" : "Iterator";
  if (s.has(proc_key)) {
    const json::Object& proc = ObjectOf(s.get(proc_key), proc_key);
    if (const auto* cfg = proc.if_contains("ProcessorConfig")) {
      const json::Object& config = ObjectOf(*cfg, "ProcessorConfig");
      for (const auto& kv : config) {
        if (kv.key() != "Mode" && kv.key() != "ExecutionType")
          Unprintable("ProcessorConfig field \"" + std::string(kv.key()) + "\" has no DSL form");
      }
      if (!config.empty()) {
        std::string mode =
            StringOf(config.contains("Mode") ? config.at("Mode") : json::Value(), "Mode");
        if (mode != "INLINE" && mode != "DISTRIBUTED") Unprintable("unknown Mode " + mode);
        std::string line = mode == "INLINE" ? "mode inline" : "mode distributed";
        if (const auto* e = config.if_contains("ExecutionType")) {
          std::string type = StringOf(*e, "ExecutionType");
          if (type != "STANDARD" && type != "EXPRESS") Unprintable("unknown ExecutionType " + type);
          line += type == "STANDARD" ? " standard" : " express";
        }
        Line(s.fields, d, line, s.At("mode"));
      }
    }
  }
  if (s.has("Label"))
    Line(s.fields, d, "label " + QuoteString(StringOf(s.get("Label"), "Label")), s.At("label"));
  Style style = JsonataOr(s.jsonata, Style::kJsonPath);
  if (s.has("ItemSelector"))
    Payload(s.fields, d, "item", s.get("ItemSelector"), style, s.At("item"));
  if (s.has("Parameters"))
    Payload(s.fields, d, "item", s.get("Parameters"), Style::kJsonPath, s.At("item"));
  // A literal count, or (JSONata) an expression, or (JSONPath) the ...Path twin.
  auto count = [&](const char* key, const std::string& word, const std::string& explicit_word,
                   const std::string& unit) {
    std::string path_key = std::string(key) + "Path";
    std::string anchor = s.At(explicit_word.empty() ? word : word + " " + explicit_word);
    std::string prefix = word + " " + (explicit_word.empty() ? "" : explicit_word + " ");
    if (s.has(key)) {
      const json::Value& v = s.get(key);
      if (s.jsonata && v.is_string()) {
        Line(s.fields, d, prefix + Jsonata(v), anchor);
      } else {
        Line(s.fields, d, word + " " + Number(v) + unit, anchor);
      }
    }
    if (s.st.contains(path_key)) {
      s.used.insert(path_key);
      Line(s.fields, d, prefix + PathText(s.st.at(path_key)), anchor);
    }
  };
  count("MaxConcurrency", "concurrency", "", "");
  count("ToleratedFailureCount", "tolerate", "count", "");
  count("ToleratedFailurePercentage", "tolerate", "percent", "%");
  if (s.has("ItemBatcher")) Batch(s);
  if (s.has("ItemReader"))
    Payload(s.fields, d, "reader", s.get("ItemReader"), Style::kJsonPath, s.At("reader"));
  if (s.has("ResultWriter"))
    Payload(s.fields, d, "writer", s.get("ResultWriter"), Style::kJsonPath, s.At("writer"));
}

void Printer::Batch(StateOut& s) {
  const json::Object& b = ObjectOf(s.get("ItemBatcher"), "ItemBatcher");
  int d = s.depth + 1;
  Line(s.fields, s.depth, "batch", s.At("batch"));
  // A literal count, or an expression (JSONata).
  auto count = [&](const json::Value& v) {
    return s.jsonata && v.is_string() ? Jsonata(v) : Number(v);
  };
  for (const auto& kv : b) {
    std::string key(kv.key());
    if (key == "MaxItemsPerBatch")
      Line(s.fields, d, "max_items " + count(kv.value()), s.At("batch/max_items"));
    else if (key == "MaxItemsPerBatchPath")
      Line(s.fields, d, "max_items " + PathText(kv.value()), s.At("batch/max_items"));
    else if (key == "MaxInputBytesPerBatch")
      Line(s.fields, d, "max_bytes " + count(kv.value()), s.At("batch/max_bytes"));
    else if (key == "MaxInputBytesPerBatchPath")
      Line(s.fields, d, "max_bytes " + PathText(kv.value()), s.At("batch/max_bytes"));
    else if (key == "BatchInput")
      Payload(s.fields, d, "input", kv.value(), JsonataOr(s.jsonata, Style::kJsonPath),
              s.At("batch/input"));
    else
      Unprintable("ItemBatcher field \"" + key + "\" has no DSL form");
  }
}

void Printer::Nested(StateOut& s, const std::string& following) {
  int d = s.depth;
  if (s.has("Retry")) {
    const json::Array& retry = s.get("Retry").as_array();
    for (size_t i = 0; i < retry.size(); ++i)
      Line(s.fields, d, Retry(ObjectOf(retry[i], "a retrier")), s.At("retry/" + std::to_string(i)));
  }
  if (s.has("Catch")) {
    const json::Array& catchers = s.get("Catch").as_array();
    for (size_t i = 0; i < catchers.size(); ++i) Catch(s, ObjectOf(catchers[i], "a catcher"), i);
  }
  if (s.has("Choices")) {
    const json::Array& rules = s.get("Choices").as_array();
    for (size_t i = 0; i < rules.size(); ++i) ChoiceRule(s, ObjectOf(rules[i], "a choice rule"), i);
  }
  if (s.has("Default"))
    Line(s.fields, d, "else -> " + Name(StringOf(s.get("Default"), "Default")), s.At("else"));
  if (s.has("Next")) {
    std::string next = StringOf(s.get("Next"), "Next");
    if (next != following) Line(s.fields, d, "next " + Name(next), s.At("next"));
  }
  if (s.has("End")) {
    const json::Value& e = s.get("End");
    if (!e.is_bool()) Unprintable("End is not a boolean");
    if (e.get_bool()) Line(s.fields, d, "end", s.At("end"));
  }
}

void Printer::Blocks(StateOut& s) {
  if (s.has("Branches")) {
    const json::Array& branches = s.get("Branches").as_array();
    for (size_t i = 0; i < branches.size(); ++i) {
      std::string index = std::to_string(i);
      Line(s.fields, s.depth, "branch", s.At("branch/" + index));
      s.fields += Block(ObjectOf(branches[i], "a branch"), s.anchor + "/Branches/" + index,
                        s.depth + 1, nullptr);
    }
  }
  const char* proc_key = s.has("ItemProcessor") ? "ItemProcessor" : "Iterator";
  if (s.is_map && s.has(proc_key)) {
    const json::Object& proc = ObjectOf(s.get(proc_key), proc_key);
    for (const auto& kv : proc) {
      if (kv.key() != "StartAt" && kv.key() != "States" && kv.key() != "ProcessorConfig" &&
          kv.key() != "Comment")
        Unprintable("ItemProcessor field \"" + std::string(kv.key()) + "\" has no DSL form");
    }
    Line(s.fields, s.depth, "do", s.At("do"));
    s.fields += Block(proc, s.anchor + "/ItemProcessor", s.depth + 1, nullptr);
  }
}

void Printer::Payload(std::string& out, int depth, const std::string& field, const json::Value& v,
                      Style style, const std::string& anchor) {
  if (v.is_object() && !v.get_object().empty()) {
    Line(out, depth, field, anchor);
    Entries(out, depth + 1, v.get_object(), style, anchor);
    return;
  }
  Line(out, depth, field + " " + InlineValue(v, style), anchor);
}

void Printer::Entries(std::string& out, int depth, const json::Object& obj, Style style,
                      const std::string& anchor) {
  for (const auto& kv : obj) {
    std::string key(kv.key());
    const json::Value& v = kv.value();
    if (style == Style::kJsonPath && IsDynamicKey(key)) {
      std::string bare = key.substr(0, key.size() - 2);
      Line(out, depth, Key(bare) + ": " + Expression(v), anchor + "/" + json::EscapePointer(bare));
      continue;
    }
    std::string entry = anchor + "/" + json::EscapePointer(key);
    std::string prefix = Key(key) + ":";
    if (v.is_object() && !v.get_object().empty()) {
      bool flat = true;
      for (const auto& inner : v.get_object()) {
        flat = flat && !(inner.value().is_object() && !inner.value().get_object().empty());
      }
      std::string inline_text = prefix + " " + InlineValue(v, style);
      if (flat && Indent(depth).size() + static_cast<size_t>(CodePoints(inline_text)) <= 100) {
        Line(out, depth, inline_text, entry);
      } else {
        Line(out, depth, prefix, entry);
        Entries(out, depth + 1, v.get_object(), style, entry);
      }
      continue;
    }
    Line(out, depth, prefix + " " + InlineValue(v, style), entry);
  }
}

absl::StatusOr<std::string> PrintFlow(const json::Value& asl) {
  try {
    if (!asl.is_object()) return absl::InvalidArgumentError("the definition is not an object");
    return Printer().Document(asl.get_object());
  } catch (const PrintError& e) {
    return absl::InvalidArgumentError(e.message);
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(std::string("malformed definition: ") + e.what());
  }
}

}  // namespace fleetflow::definition::dsl
