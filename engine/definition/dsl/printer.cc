// ASL document -> canonical .flow text (docs/dsl.md section 6). The printer
// reads the ASL JSON, not the MachineDef, so that it can write back exactly
// what the document says (a written default stays written).

#include <algorithm>
#include <set>

#include "engine/definition/dsl/flow.h"
#include "engine/definition/dsl/keywords.h"
#include "engine/definition/dsl/lexer.h"
#include "engine/definition/dsl/parser.h"
#include "engine/definition/dsl/printer_text.h"

namespace fleetflow::definition::dsl {

namespace {

std::string Indent(int depth) { return std::string(static_cast<size_t>(depth) * 2, ' '); }

class Printer {
 public:
  std::string Document(const json::Object& doc);

 private:
  void Line(std::string& out, int depth, const std::string& text) {
    out += Indent(depth) + text + "\n";
  }
  void Doc(std::string& out, int depth, const std::string& comment) {
    for (const std::string& line : DocLines(comment)) {
      Line(out, depth, line.empty() ? "##" : "## " + line);
    }
  }
  std::string Block(const json::Object& block, int depth, std::vector<std::string>* top_items);
  std::string State(const std::string& name, const json::Object& st, int depth,
                    const std::string& following);
  bool PrintRun(const json::Object& st, std::string& header, std::string& fields, int depth,
                std::set<std::string>& used);
  void Payload(std::string& out, int depth, const std::string& field, const json::Value& v,
               bool dynamic);
  void Entries(std::string& out, int depth, const json::Object& obj, bool dynamic);
  std::string Retry(const json::Object& r);
  void Catch(std::string& out, int depth, const json::Object& c);
  std::string Condition(const json::Object& rule, bool nested);
  std::string Comparison(const json::Object& rule);

  std::set<std::string> imports_;
};

std::string Printer::Document(const json::Object& doc) {
  static const std::set<std::string> kTop = {"StartAt",        "States",  "Comment",
                                             "TimeoutSeconds", "Version", "QueryLanguage"};
  for (const auto& kv : doc) {
    if (!kTop.count(std::string(kv.key())))
      Unprintable("top-level field \"" + std::string(kv.key()) + "\" has no DSL form");
  }
  std::vector<std::string> items;
  std::string header;
  const json::Value* comment = doc.if_contains("Comment");
  bool doc_comment = comment != nullptr && comment->is_string() &&
                     DocRepresentable(std::string(comment->get_string()));
  if (comment != nullptr || doc.contains("QueryLanguage") || doc.contains("Version") ||
      doc.contains("TimeoutSeconds")) {
    if (doc_comment) Doc(header, 0, std::string(comment->get_string()));
    Line(header, 0, "machine");
    if (comment != nullptr && !doc_comment)
      Line(header, 1, "comment " + QuoteString(StringOf(*comment, "Comment")));
    if (const auto* q = doc.if_contains("QueryLanguage")) Line(header, 1, "query " + QueryWord(*q));
    if (const auto* v = doc.if_contains("Version"))
      Line(header, 1, "version " + QuoteString(StringOf(*v, "Version")));
    if (const auto* t = doc.if_contains("TimeoutSeconds"))
      Line(header, 1, "timeout " + Duration(*t, "TimeoutSeconds"));
  }
  std::string body = Block(doc, 0, &items);
  std::string out;
  if (!imports_.empty()) {
    for (const std::string& name : imports_) out += "import " + Name(name) + "\n";
  }
  if (!header.empty()) out += (out.empty() ? "" : "\n") + header;
  for (const std::string& item : items) out += (out.empty() ? "" : "\n") + item;
  return out;
}

std::string Printer::Block(const json::Object& block, int depth,
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
  if (start != names.front()) {
    std::string line = Indent(depth) + "start " + Name(start) + "\n";
    if (top_items != nullptr) {
      top_items->push_back(line);
    } else {
      out += line;
    }
  }
  for (size_t i = 0; i < names.size(); ++i) {
    std::string following = i + 1 < names.size() ? names[i + 1] : "";
    std::string text = State(names[i], ObjectOf(states.at(names[i]), "a state"), depth, following);
    if (top_items != nullptr) {
      top_items->push_back(text);
    } else {
      out += text;
    }
  }
  return out;
}

std::string Printer::State(const std::string& name, const json::Object& st, int depth,
                           const std::string& following) {
  std::set<std::string> used = {"Type"};
  auto has = [&](const char* key) { return st.contains(key); };
  auto get = [&](const char* key) -> const json::Value& {
    used.insert(key);
    return st.at(key);
  };
  std::string type = StringOf(st.contains("Type") ? st.at("Type") : json::Value(), "Type");
  std::string out, header, fields;
  int d = depth + 1;
  const json::Value* comment = st.if_contains("Comment");
  bool doc_comment = comment != nullptr && comment->is_string() &&
                     DocRepresentable(std::string(comment->get_string()));
  if (comment != nullptr) used.insert("Comment");
  if (doc_comment) Doc(out, depth, std::string(comment->get_string()));
  if (comment != nullptr && !doc_comment)
    Line(fields, d, "comment " + QuoteString(StringOf(*comment, "Comment")));
  if (has("QueryLanguage")) Line(fields, d, "query " + QueryWord(get("QueryLanguage")));
  if (has("InputPath")) Line(fields, d, "input " + PathOrNull(get("InputPath")));

  std::string n = Name(name);
  bool is_map = type == "Map";
  if (type == "Pass") {
    header = "pass " + n;
    if (has("Parameters")) Payload(fields, d, "args", get("Parameters"), true);
    if (has("Result")) Payload(fields, d, "result", get("Result"), false);
  } else if (type == "Task") {
    if (!PrintRun(st, header, fields, d, used)) {
      header = "task " + n + " " + Resource(StringOf(get("Resource"), "Resource"));
      if (has("Parameters")) Payload(fields, d, "args", get("Parameters"), true);
    } else {
      header = "run " + n + " " + header;
    }
    for (const auto& [key, word] :
         {std::pair{"TimeoutSeconds", "timeout"}, std::pair{"HeartbeatSeconds", "heartbeat"}}) {
      std::string path_key = std::string(key) + "Path";
      if (has(key)) Line(fields, d, std::string(word) + " " + Duration(get(key), key));
      if (st.contains(path_key)) {
        used.insert(path_key);
        Line(fields, d, std::string(word) + " " + PathText(st.at(path_key)));
      }
    }
    if (has("Credentials")) Payload(fields, d, "credentials", get("Credentials"), true);
  } else if (type == "Choice") {
    header = "choice " + n;
  } else if (type == "Wait") {
    header = "wait " + n;
    if (has("Seconds")) header += " for " + Duration(get("Seconds"), "Seconds");
    if (has("SecondsPath")) header += " for " + PathText(get("SecondsPath"));
    if (has("Timestamp"))
      header += " until " + QuoteString(StringOf(get("Timestamp"), "Timestamp"));
    if (has("TimestampPath")) header += " until " + PathText(get("TimestampPath"));
  } else if (type == "Succeed") {
    header = "succeed " + n;
  } else if (type == "Fail") {
    header = "fail " + n;
    if (has("Error")) Line(fields, d, "error " + ErrorName(StringOf(get("Error"), "Error")));
    if (has("ErrorPath")) Line(fields, d, "error " + Expression(get("ErrorPath")));
    if (has("Cause")) Line(fields, d, "cause " + QuoteString(StringOf(get("Cause"), "Cause")));
    if (has("CausePath")) Line(fields, d, "cause " + Expression(get("CausePath")));
  } else if (type == "Parallel") {
    header = "parallel " + n;
    if (has("Parameters")) Payload(fields, d, "args", get("Parameters"), true);
  } else if (is_map) {
    header = "map " + n;
    if (has("ItemsPath")) header += " over " + PathText(get("ItemsPath"));
    const char* proc_key = has("ItemProcessor") ? "ItemProcessor" : "Iterator";
    if (has(proc_key)) {
      const json::Object& proc = ObjectOf(get(proc_key), proc_key);
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
            if (type != "STANDARD" && type != "EXPRESS")
              Unprintable("unknown ExecutionType " + type);
            line += type == "STANDARD" ? " standard" : " express";
          }
          Line(fields, d, line);
        }
      }
    }
    if (has("Label")) Line(fields, d, "label " + QuoteString(StringOf(get("Label"), "Label")));
    if (has("ItemSelector")) Payload(fields, d, "item", get("ItemSelector"), true);
    if (has("Parameters")) Payload(fields, d, "item", get("Parameters"), true);
    if (has("MaxConcurrency")) Line(fields, d, "concurrency " + Number(get("MaxConcurrency")));
    if (has("MaxConcurrencyPath"))
      Line(fields, d, "concurrency " + PathText(get("MaxConcurrencyPath")));
    if (has("ToleratedFailureCount"))
      Line(fields, d, "tolerate " + Number(get("ToleratedFailureCount")));
    if (has("ToleratedFailureCountPath"))
      Line(fields, d, "tolerate count " + PathText(get("ToleratedFailureCountPath")));
    if (has("ToleratedFailurePercentage"))
      Line(fields, d, "tolerate " + Number(get("ToleratedFailurePercentage")) + "%");
    if (has("ToleratedFailurePercentagePath"))
      Line(fields, d, "tolerate percent " + PathText(get("ToleratedFailurePercentagePath")));
    if (has("ItemBatcher")) {
      const json::Object& b = ObjectOf(get("ItemBatcher"), "ItemBatcher");
      Line(fields, d, "batch");
      for (const auto& kv : b) {
        std::string key(kv.key());
        if (key == "MaxItemsPerBatch")
          Line(fields, d + 1, "max_items " + Number(kv.value()));
        else if (key == "MaxItemsPerBatchPath")
          Line(fields, d + 1, "max_items " + PathText(kv.value()));
        else if (key == "MaxInputBytesPerBatch")
          Line(fields, d + 1, "max_bytes " + Number(kv.value()));
        else if (key == "MaxInputBytesPerBatchPath")
          Line(fields, d + 1, "max_bytes " + PathText(kv.value()));
        else if (key == "BatchInput")
          Payload(fields, d + 1, "input", kv.value(), true);
        else
          Unprintable("ItemBatcher field \"" + key + "\" has no DSL form");
      }
    }
    if (has("ItemReader")) Payload(fields, d, "reader", get("ItemReader"), true);
    if (has("ResultWriter")) Payload(fields, d, "writer", get("ResultWriter"), true);
  } else {
    Unprintable("state \"" + name + "\" has an unknown Type \"" + type + "\"");
  }
  if (has("ResultSelector")) Payload(fields, d, "select", get("ResultSelector"), true);
  if (has("ResultPath")) Line(fields, d, "into " + PathOrNull(get("ResultPath")));
  if (has("OutputPath")) Line(fields, d, "output " + PathOrNull(get("OutputPath")));
  if (has("Assign")) Payload(fields, d, "assign", get("Assign"), true);
  if (has("Retry")) {
    for (const auto& r : get("Retry").as_array()) Line(fields, d, Retry(ObjectOf(r, "a retrier")));
  }
  if (has("Catch")) {
    for (const auto& c : get("Catch").as_array()) Catch(fields, d, ObjectOf(c, "a catcher"));
  }
  if (has("Choices")) {
    for (const auto& r : get("Choices").as_array()) {
      const json::Object& rule = ObjectOf(r, "a choice rule");
      Line(fields, d,
           "when " + Condition(rule, false) + " -> " + Name(StringOf(rule.at("Next"), "Next")));
      if (const auto* a = rule.if_contains("Assign")) Payload(fields, d + 1, "assign", *a, true);
    }
  }
  if (has("Default")) Line(fields, d, "else -> " + Name(StringOf(get("Default"), "Default")));
  if (has("Next")) {
    std::string next = StringOf(get("Next"), "Next");
    if (next != following) Line(fields, d, "next " + Name(next));
  }
  if (has("End")) {
    const json::Value& e = get("End");
    if (!e.is_bool()) Unprintable("End is not a boolean");
    if (e.get_bool()) Line(fields, d, "end");
  }
  if (has("Branches")) {
    for (const auto& b : get("Branches").as_array()) {
      Line(fields, d, "branch");
      fields += Block(ObjectOf(b, "a branch"), d + 1, nullptr);
    }
  }
  if (is_map) {
    const char* proc_key = st.contains("ItemProcessor") ? "ItemProcessor" : "Iterator";
    if (st.contains(proc_key)) {
      used.insert(proc_key);
      const json::Object& proc = ObjectOf(st.at(proc_key), proc_key);
      for (const auto& kv : proc) {
        if (kv.key() != "StartAt" && kv.key() != "States" && kv.key() != "ProcessorConfig" &&
            kv.key() != "Comment")
          Unprintable("ItemProcessor field \"" + std::string(kv.key()) + "\" has no DSL form");
      }
      Line(fields, d, "do");
      fields += Block(proc, d + 1, nullptr);
    }
  }
  for (const auto& kv : st) {
    if (!used.count(std::string(kv.key())))
      Unprintable("field \"" + std::string(kv.key()) + "\" of state \"" + name +
                  "\" has no DSL form");
  }
  Line(out, depth, header);
  return out + fields;
}

bool Printer::PrintRun(const json::Object& st, std::string& header, std::string& fields, int depth,
                       std::set<std::string>& used) {
  const json::Value* resource = st.if_contains("Resource");
  const json::Value* params = st.if_contains("Parameters");
  if (resource == nullptr || !resource->is_string() || params == nullptr || !params->is_object())
    return false;
  std::string r(resource->get_string());
  if (r != kStartSync && r != kStartAsync) return false;
  const json::Object& p = params->get_object();
  std::vector<std::string> keys;
  for (const auto& kv : p) keys.emplace_back(kv.key());
  size_t k = 0;
  if (keys.empty() || keys[0] != "StateMachineArn" || !p.at("StateMachineArn").is_string())
    return false;
  std::string arn(p.at("StateMachineArn").get_string());
  std::string prefix = kMachineArnPrefix;
  if (arn.rfind(prefix, 0) != 0) return false;
  std::string machine = arn.substr(prefix.size());
  if (machine.empty() || machine.find(':') != std::string::npos) return false;
  ++k;
  const json::Value* name_v = nullptr;
  std::string name_key;
  if (k < keys.size() && (keys[k] == "Name" || keys[k] == "Name.$")) {
    name_key = keys[k];
    name_v = &p.at(keys[k]);
    if (!name_v->is_string()) return false;
    ++k;
  }
  if (k + 1 != keys.size() || (keys[k] != "Input" && keys[k] != "Input.$")) return false;
  const json::Value& input = p.at(keys[k]);
  bool input_dynamic = keys[k] == "Input.$";
  if (input_dynamic && !input.is_string()) return false;
  used.insert("Resource");
  used.insert("Parameters");
  imports_.insert(machine);
  header = Name(machine) + (r == kStartAsync ? " nowait" : "");
  if (input_dynamic) {
    if (input.get_string() != "$") Line(fields, depth, "args " + Expression(input));
  } else {
    Payload(fields, depth, "args", input, true);
  }
  if (name_v != nullptr) {
    Line(fields, depth,
         "name " + (name_key == "Name" ? QuoteString(std::string(name_v->get_string()))
                                       : Expression(*name_v)));
  }
  return true;
}

void Printer::Payload(std::string& out, int depth, const std::string& field, const json::Value& v,
                      bool dynamic) {
  if (v.is_object() && !v.get_object().empty()) {
    Line(out, depth, field);
    Entries(out, depth + 1, v.get_object(), dynamic);
    return;
  }
  Line(out, depth, field + " " + InlineValue(v, dynamic));
}

void Printer::Entries(std::string& out, int depth, const json::Object& obj, bool dynamic) {
  for (const auto& kv : obj) {
    std::string key(kv.key());
    const json::Value& v = kv.value();
    if (dynamic && IsDynamicKey(key)) {
      Line(out, depth, Key(key.substr(0, key.size() - 2)) + ": " + Expression(v));
      continue;
    }
    std::string prefix = Key(key) + ":";
    if (v.is_object() && !v.get_object().empty()) {
      bool flat = true;
      for (const auto& inner : v.get_object()) {
        flat = flat && !(inner.value().is_object() && !inner.value().get_object().empty());
      }
      std::string inline_text = prefix + " " + InlineValue(v, dynamic);
      if (flat && Indent(depth).size() + static_cast<size_t>(CodePoints(inline_text)) <= 100) {
        Line(out, depth, inline_text);
      } else {
        Line(out, depth, prefix);
        Entries(out, depth + 1, v.get_object(), dynamic);
      }
      continue;
    }
    Line(out, depth, prefix + " " + InlineValue(v, dynamic));
  }
}

std::string Printer::Retry(const json::Object& r) {
  std::string line = "retry " + ErrorList(r, "a retrier");
  for (const auto& kv : r) {
    std::string key(kv.key());
    if (key == "ErrorEquals" || key == "Comment") continue;
    if (key != "IntervalSeconds" && key != "MaxAttempts" && key != "BackoffRate" &&
        key != "MaxDelaySeconds" && key != "JitterStrategy")
      Unprintable("retrier field \"" + key + "\" has no DSL form");
  }
  if (const auto* v = r.if_contains("IntervalSeconds"))
    line += " every " + Duration(*v, "IntervalSeconds");
  if (const auto* v = r.if_contains("MaxAttempts")) line += " attempts " + Number(*v);
  if (const auto* v = r.if_contains("BackoffRate")) line += " backoff " + Number(*v);
  if (const auto* v = r.if_contains("MaxDelaySeconds"))
    line += " max_delay " + Duration(*v, "MaxDelaySeconds");
  if (const auto* v = r.if_contains("JitterStrategy")) {
    std::string j = StringOf(*v, "JitterStrategy");
    if (j != "FULL" && j != "NONE") Unprintable("unknown JitterStrategy " + j);
    line += j == "FULL" ? " jitter full" : " jitter none";
  }
  return line;
}

void Printer::Catch(std::string& out, int depth, const json::Object& c) {
  for (const auto& kv : c) {
    std::string key(kv.key());
    if (key != "ErrorEquals" && key != "Next" && key != "ResultPath" && key != "Assign" &&
        key != "Comment")
      Unprintable("catcher field \"" + key + "\" has no DSL form");
  }
  std::string line = "catch " + ErrorList(c, "a catcher") + " -> " +
                     Name(StringOf(c.contains("Next") ? c.at("Next") : json::Value(), "Next"));
  if (const auto* rp = c.if_contains("ResultPath")) line += " into " + PathOrNull(*rp);
  Line(out, depth, line);
  if (const auto* a = c.if_contains("Assign")) Payload(out, depth + 1, "assign", *a, true);
}

std::string Printer::Condition(const json::Object& rule, bool nested) {
  for (const char* key : {"And", "Or"}) {
    if (const auto* list = rule.if_contains(key)) {
      std::string word = key == std::string("And") ? " and " : " or ";
      std::string text;
      for (const auto& child : list->as_array()) {
        if (!text.empty()) text += word;
        text += Condition(ObjectOf(child, "a rule"), true);
      }
      return nested ? "(" + text + ")" : text;
    }
  }
  if (const auto* inner = rule.if_contains("Not")) {
    const json::Object& o = ObjectOf(*inner, "Not");
    for (const auto& kv : o) {
      std::string key(kv.key());
      if (key.find("Equals") != std::string::npos && o.contains("Variable") && o.size() == 2) {
        std::string cmp = Comparison(o);
        size_t eq = cmp.find(" == ");
        if (eq != std::string::npos) return cmp.replace(eq, 4, " != ");
      }
    }
    return "not (" + Condition(o, false) + ")";
  }
  return Comparison(rule);
}

std::string Printer::Comparison(const json::Object& rule) {
  const json::Value* var = rule.if_contains("Variable");
  if (var == nullptr) Unprintable("a choice rule has no Variable");
  std::string v = PathText(*var);
  for (const auto& kv : rule) {
    std::string key(kv.key());
    if (key == "Variable" || key == "Next" || key == "Assign" || key == "Comment") continue;
    return v + " " + ComparatorText(key, kv.value());
  }
  Unprintable("a choice rule has no comparison");
}

}  // namespace

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
