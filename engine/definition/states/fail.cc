#include "engine/common/strings.h"
#include "engine/definition/load_context.h"

namespace fleetflow::definition {

namespace {

// Error / ErrorPath (and Cause / CausePath): a literal string, or a reference
// path or intrinsic function that yields one.
void LoadPair(const StateInput& in, std::string_view field, std::string_view path_field,
              std::optional<std::string>& literal,
              std::optional<json::PayloadTemplate::Node>& dynamic) {
  const json::Value* v = in.object.if_contains(field);
  const json::Value* p = in.object.if_contains(path_field);
  if (v != nullptr && p != nullptr) {
    in.Error(path_field, StrCat("give ", field, " or ", path_field, ", not both"));
    return;
  }
  if (v != nullptr) {
    if (!v->is_string()) {
      in.Error(field, StrCat(field, " must be a string"));
    } else {
      literal = std::string(v->get_string());
    }
  }
  if (p != nullptr) {
    if (!p->is_string()) {
      in.Error(path_field,
               StrCat(path_field, " must be a reference path or an intrinsic function"));
      return;
    }
    json::PayloadTemplate::Node node;
    std::string text(p->get_string());
    std::string message = json::CompileDynamicValue(text, node);
    if (message.empty() && node.kind == json::PayloadTemplate::Node::Kind::kPath) {
      auto ref = json::Path::Parse(text, json::PathMode::kReferencePath);
      if (!ref.ok()) message = std::string(ref.status().message());
    }
    if (!message.empty()) {
      in.Error(path_field, message);
      return;
    }
    node.source_key = std::string(path_field);
    dynamic = std::move(node);
  }
}

}  // namespace

void LoadFail(const StateInput& in, State& state) {
  CheckAllowedFields(in, "Fail", {"Error", "ErrorPath", "Cause", "CausePath"});
  FailSpec spec;
  if (in.jsonata) {
    auto f = std::make_shared<JsonataFields>();
    LoadJsonataString(in, "Error", spec.error, f->error);
    LoadJsonataString(in, "Cause", spec.cause, f->cause);
    state.jsonata = std::move(f);
  } else {
    LoadPair(in, "Error", "ErrorPath", spec.error, spec.error_path);
    LoadPair(in, "Cause", "CausePath", spec.cause, spec.cause_path);
  }
  state.end = true;
  state.spec = std::move(spec);
}

}  // namespace fleetflow::definition
