// JSONPath evaluation against a document. Definite paths walk pointers with no
// allocation; the others collect matches in document order, as Jayway does.

#include <algorithm>
#include <cmath>

#include "engine/json/filter.h"
#include "engine/json/path.h"

namespace fleetflow::json {

namespace {

using Kind_ = PathSegment::Kind;

const Value* Child(const Value& node, const PathSegment& seg) {
  if (seg.kind == Kind_::kField) {
    const Object* obj = node.if_object();
    return obj ? obj->if_contains(seg.name) : nullptr;
  }
  const Array* arr = node.if_array();
  if (arr == nullptr) return nullptr;
  int64_t i = seg.index < 0 ? static_cast<int64_t>(arr->size()) + seg.index : seg.index;
  if (i < 0 || i >= static_cast<int64_t>(arr->size())) return nullptr;
  return &(*arr)[static_cast<size_t>(i)];
}

void ApplySegment(const PathSegment& seg, const Value& node, const Value& root,
                  std::vector<const Value*>& out);

void Descend(const PathSegment& next, const Value& node, const Value& root,
             std::vector<const Value*>& out) {
  // Under "..", a filter tests array elements only; an object is tested once,
  // as an element of its array, not again on its own.
  if (next.kind != PathSegment::Kind::kFilter || node.is_array())
    ApplySegment(next, node, root, out);
  if (const Object* obj = node.if_object()) {
    for (const auto& kv : *obj) Descend(next, kv.value(), root, out);
  } else if (const Array* arr = node.if_array()) {
    for (const Value& e : *arr) Descend(next, e, root, out);
  }
}

void ApplySegment(const PathSegment& seg, const Value& node, const Value& root,
                  std::vector<const Value*>& out) {
  switch (seg.kind) {
    case Kind_::kField:
    case Kind_::kIndex:
      if (const Value* c = Child(node, seg)) out.push_back(c);
      break;
    case Kind_::kWildcard:
      if (const Object* obj = node.if_object()) {
        for (const auto& kv : *obj) out.push_back(&kv.value());
      } else if (const Array* arr = node.if_array()) {
        for (const Value& e : *arr) out.push_back(&e);
      }
      break;
    case Kind_::kFieldUnion:
      if (const Object* obj = node.if_object()) {
        for (const std::string& name : seg.names) {
          if (const Value* c = obj->if_contains(name)) out.push_back(c);
        }
      }
      break;
    case Kind_::kIndexUnion:
      for (int64_t index : seg.indexes) {
        PathSegment one;
        one.kind = Kind_::kIndex;
        one.index = index;
        if (const Value* c = Child(node, one)) out.push_back(c);
      }
      break;
    case Kind_::kSlice: {
      const Array* arr = node.if_array();
      if (arr == nullptr) break;
      int64_t n = static_cast<int64_t>(arr->size());
      auto clamp = [n](int64_t i) { return std::clamp(i < 0 ? n + i : i, int64_t{0}, n); };
      int64_t start = seg.slice_start ? clamp(*seg.slice_start) : 0;
      int64_t end = seg.slice_end ? clamp(*seg.slice_end) : n;
      for (int64_t i = start; i < end;) {
        out.push_back(&(*arr)[static_cast<size_t>(i)]);
        if (seg.slice_step > end - i) break;  // also keeps i += step from overflowing
        i += seg.slice_step;
      }
      break;
    }
    case Kind_::kFilter:
      if (const Array* arr = node.if_array()) {
        for (const Value& e : *arr) {
          if (MatchesFilter(*seg.filter, e, root)) out.push_back(&e);
        }
      } else if (node.is_object() && MatchesFilter(*seg.filter, node, root)) {
        out.push_back(&node);
      }
      break;
    case Kind_::kDescend:
    case Kind_::kFunction:
      break;  // handled by the caller
  }
}

bool ApplyFunction(const std::string& name, const Value& input, Value& out) {
  if (name == "length") {
    if (const Array* a = input.if_array())
      out = static_cast<int64_t>(a->size());
    else if (const Object* o = input.if_object())
      out = static_cast<int64_t>(o->size());
    else if (const String* s = input.if_string())
      out = static_cast<int64_t>(s->size());
    else
      return false;
    return true;
  }
  if (name == "keys") {
    const Object* o = input.if_object();
    if (o == nullptr) return false;
    Array keys;
    for (const auto& kv : *o) keys.emplace_back(kv.key());
    out = std::move(keys);
    return true;
  }
  const Array* a = input.if_array();
  if (a == nullptr) return false;
  if (name == "first" || name == "last") {
    if (a->empty()) return false;
    out = name == "first" ? a->front() : a->back();
    return true;
  }
  std::vector<double> nums;
  for (const Value& e : *a) {
    if (IsNumber(e)) nums.push_back(AsDouble(e));
  }
  if (nums.empty()) return false;
  double sum = 0;
  for (double d : nums) sum += d;
  if (name == "sum")
    out = sum;
  else if (name == "min")
    out = *std::min_element(nums.begin(), nums.end());
  else if (name == "max")
    out = *std::max_element(nums.begin(), nums.end());
  else if (name == "avg")
    out = sum / static_cast<double>(nums.size());
  else if (name == "stddev") {
    double mean = sum / static_cast<double>(nums.size());
    double sq = 0;
    for (double d : nums) sq += (d - mean) * (d - mean);
    out = std::sqrt(sq / static_cast<double>(nums.size()));
  } else {
    return false;
  }
  return true;
}

}  // namespace

const Value* Path::Find(const Value& root) const {
  const Value* node = &root;
  for (const PathSegment& seg : segments_) {
    node = Child(*node, seg);
    if (node == nullptr) return nullptr;
  }
  return node;
}

void Path::Collect(const Value& root, std::vector<const Value*>& out) const {
  std::vector<const Value*> current{&root};
  std::vector<const Value*> next;
  size_t n = segments_.size() - (has_function() ? 1 : 0);
  for (size_t i = 0; i < n; ++i) {
    const PathSegment& seg = segments_[i];
    next.clear();
    if (seg.kind == Kind_::kDescend) {
      const PathSegment& after = segments_[++i];
      for (const Value* node : current) Descend(after, *node, root, next);
    } else {
      for (const Value* node : current) ApplySegment(seg, *node, root, next);
    }
    current.swap(next);
  }
  out.insert(out.end(), current.begin(), current.end());
}

bool Path::Select(const Value& root, Value& out) const {
  if (definite_) {
    const Value* node = &root;
    for (const PathSegment& seg : segments_) {
      if (seg.kind == Kind_::kFunction) return ApplyFunction(seg.name, *node, out);
      node = Child(*node, seg);
      if (node == nullptr) return false;
    }
    out = *node;
    return true;
  }
  std::vector<const Value*> matches;
  Collect(root, matches);
  Array result;
  result.reserve(matches.size());
  for (const Value* m : matches) result.push_back(*m);
  if (has_function()) return ApplyFunction(segments_.back().name, Value(std::move(result)), out);
  out = std::move(result);
  return true;
}

}  // namespace fleetflow::json
