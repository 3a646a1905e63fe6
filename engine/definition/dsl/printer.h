#pragma once
// The printer's class: an ASL document to canonical .flow text (docs/dsl.md
// section 6), shared by printer.cc (document, blocks, states), printer_rules.cc
// (retry, catch, choice rules, run) and format.cc (fmt: `#` comments put back).
// Internal to engine/definition/dsl.

#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/definition/dsl/printer_text.h"
#include "engine/json/json.h"

namespace fleetflow::definition::dsl {

// Where fmt writes the `#` comments of a file, by statement name
// (LineAnchor): lines above the statement, one after it, and the rest at
// the end of the file.
struct CommentPlan {
  std::map<std::string, std::vector<std::string>> above;
  std::map<std::string, std::string> trailing;
  std::vector<std::string> end;
};

class Printer {
 public:
  // `plan` (may be null) is consumed as its statements are printed.
  explicit Printer(CommentPlan* plan = nullptr) : plan_(plan) {}
  // Throws PrintError.
  std::string Document(const json::Object& doc);
  // The statement names of every line printed so far.
  const std::set<std::string>& printed() const { return printed_; }

 private:
  // One state being printed: its ASL object, the members printed so far
  // (all must be, or the state has no DSL form) and its language.
  struct StateOut {
    const json::Object& st;
    std::string anchor;  // its pointer: "/States/Name"
    int depth;           // of its fields
    bool jsonata;
    bool is_map = false;
    std::set<std::string> used = {"Type"};
    std::string header, fields;
    bool has(const char* key) const { return st.contains(key); }
    const json::Value& get(const char* key) {
      used.insert(key);
      return st.at(key);
    }
    std::string At(const std::string& word) const { return anchor + "/" + word; }
  };

  // A line, with the comments fmt attached to `anchor`.
  void Line(std::string& out, int depth, const std::string& text, const std::string& anchor);
  // The comments above `anchor`, once.
  void Above(std::string& out, int depth, const std::string& anchor);
  void Doc(std::string& out, int depth, const std::string& comment);
  std::string Header(const json::Object& doc);
  std::string Block(const json::Object& block, const std::string& pointer, int depth,
                    std::vector<std::string>* top_items);
  std::string State(const std::string& name, const json::Object& st, const std::string& pointer,
                    int depth, const std::string& following);
  void KindFields(StateOut& s, const std::string& type, const std::string& name);
  void TaskFields(StateOut& s, const std::string& name);
  void WaitHeader(StateOut& s);
  void FailFields(StateOut& s);
  void MapFields(StateOut& s);
  void Batch(StateOut& s);
  void Nested(StateOut& s, const std::string& following);
  void Blocks(StateOut& s);
  // A field that is a literal or, in a JSONata state, one expression.
  std::string Jsonata(const json::Value& v);
  // `run` for a Task that starts an imported machine (docs/dsl.md 5).
  bool PrintRun(StateOut& s, const std::string& name);
  void Payload(std::string& out, int depth, const std::string& field, const json::Value& v,
               Style style, const std::string& anchor);
  void Entries(std::string& out, int depth, const json::Object& obj, Style style,
               const std::string& anchor);
  std::string Retry(const json::Object& r);
  void Catch(StateOut& s, const json::Object& c, size_t index);
  void ChoiceRule(StateOut& s, const json::Object& rule, size_t index);
  std::string Condition(const json::Object& rule, bool nested);
  std::string Comparison(const json::Object& rule);

  CommentPlan* plan_;
  std::set<std::string> printed_;
  std::set<std::string> imports_;
  bool machine_jsonata_ = false;
};

}  // namespace fleetflow::definition::dsl
