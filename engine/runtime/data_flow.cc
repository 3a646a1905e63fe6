#include "engine/runtime/data_flow.h"

#include "engine/common/strings.h"

namespace fleetflow::runtime {

std::string NoResultsMessage(const json::Path& path) {
  return StrCat("Invalid path '", path.text(), "' : No results for path: ", path.Normalized());
}

Result<json::ValuePtr> ApplyFilterPath(const definition::FilterPath& path,
                                       const json::ValuePtr& data, StateScope& scope) {
  switch (path.mode) {
    case definition::FilterPath::Mode::kAll:
      return data;
    case definition::FilterPath::Mode::kNothing:
      return json::Share(json::Object());
    case definition::FilterPath::Mode::kPath:
      break;
  }
  if (path.path.segments().empty() && path.path.root() == json::PathRoot::kInput) return data;
  scope.set_input(*data);
  const json::Value* root = scope.RootOf(path.path);
  json::Value out;
  if (root == nullptr || !path.path.Select(*root, out)) {
    return Failure{"States.Runtime", NoResultsMessage(path.path)};
  }
  return json::Share(std::move(out));
}

Result<json::ValuePtr> EffectiveInput(const definition::State& state, const json::ValuePtr& raw,
                                      StateScope& scope) {
  FF_TRY_ASSIGN(json::ValuePtr input, ApplyFilterPath(state.input_path, raw, scope));
  if (!state.parameters) return input;
  scope.set_input(*input);
  FF_TRY_ASSIGN(json::Value params, state.parameters->Evaluate(scope));
  return json::Share(std::move(params));
}

namespace {

// Walks to the parent of the path's last segment, creating objects on the way.
json::Value* Parent(json::Value& root, const std::vector<json::PathSegment>& segs) {
  json::Value* node = &root;
  for (size_t i = 0; i + 1 < segs.size(); ++i) {
    const json::PathSegment& seg = segs[i];
    if (seg.kind == json::PathSegment::Kind::kField) {
      json::Object* obj = node->if_object();
      if (obj == nullptr) return nullptr;
      json::Value& child = (*obj)[seg.name];
      if (child.is_null()) child = json::Object();
      node = &child;
    } else {
      json::Array* arr = node->if_array();
      if (arr == nullptr) return nullptr;
      int64_t idx = seg.index < 0 ? static_cast<int64_t>(arr->size()) + seg.index : seg.index;
      if (idx < 0 || idx >= static_cast<int64_t>(arr->size())) return nullptr;
      node = &(*arr)[static_cast<size_t>(idx)];
    }
  }
  return node;
}

}  // namespace

Result<json::ValuePtr> ApplyResultPath(const definition::ResultPath& path,
                                       const json::ValuePtr& raw, const json::ValuePtr& result) {
  switch (path.mode) {
    case definition::ResultPath::Mode::kReplace:
      return result;
    case definition::ResultPath::Mode::kDiscard:
      return raw;
    case definition::ResultPath::Mode::kPath:
      break;
  }
  json::Value copy = *raw;
  const auto& segs = path.path.segments();
  json::Value* parent = Parent(copy, segs);
  const json::PathSegment& last = segs.back();
  bool placed = false;
  if (parent != nullptr) {
    if (last.kind == json::PathSegment::Kind::kField) {
      if (json::Object* obj = parent->if_object()) {
        (*obj)[last.name] = *result;
        placed = true;
      }
    } else if (json::Array* arr = parent->if_array()) {
      int64_t idx = last.index < 0 ? static_cast<int64_t>(arr->size()) + last.index : last.index;
      if (idx >= 0 && idx < static_cast<int64_t>(arr->size())) {
        (*arr)[static_cast<size_t>(idx)] = *result;
        placed = true;
      }
    }
  }
  if (!placed) {
    return Failure{"States.ResultPathMatchFailure",
                   StrCat("Unable to apply ResultPath '", path.path.text(), "' to input '",
                          json::Serialize(*raw), "'")};
  }
  return json::Share(std::move(copy));
}

Result<json::Object> EvaluateAssign(const json::PayloadTemplate& assign, StateScope& scope) {
  FF_TRY_ASSIGN(json::Value values, assign.Evaluate(scope));
  // AWS's limits: 256 KiB per variable and per Assign.
  constexpr size_t kLimit = size_t{256} * 1024;
  size_t total = 0;
  for (const auto& kv : values.as_object()) {
    size_t size = json::SerializedSize(kv.value(), kLimit);
    total += size;
    if (size > kLimit || total > kLimit) {
      return Failure{"States.DataLimitExceeded",
                     StrCat("The value assigned to variable '", std::string_view(kv.key()),
                            "' makes the assignment exceed the 262144-byte limit")};
    }
  }
  return std::move(values.as_object());
}

}  // namespace fleetflow::runtime
