#include "engine/jsonata/value.h"

namespace fleetflow::jsonata::internal {

Value Value::FromJson(const json::Value& j) {
  switch (j.kind()) {
    case json::Kind::null:
      return Null();
    case json::Kind::bool_:
      return Bool(j.get_bool());
    case json::Kind::int64:
      return Number(static_cast<double>(j.get_int64()));
    case json::Kind::uint64:
      return Number(static_cast<double>(j.get_uint64()));
    case json::Kind::double_:
      return Number(j.get_double());
    case json::Kind::string: {
      const auto& s = j.get_string();
      return String(std::string_view(s.data(), s.size()));
    }
    case json::Kind::array: {
      Value v(Kind::kArray);
      v.json_ = true;
      v.json_value_ = &j;
      return v;
    }
    case json::Kind::object: {
      Value v(Kind::kObject);
      v.json_ = true;
      v.json_value_ = &j;
      return v;
    }
  }
  return Value();
}

Value* ObjectData::Find(std::string_view key) {
  for (auto& [k, v] : entries)
    if (k == key) return &v;
  return nullptr;
}

void ObjectData::Set(std::string_view key, Value v) {
  if (Value* existing = Find(key)) {
    *existing = v;
  } else {
    entries.emplace_back(key, v);
  }
}

void ObjectData::Erase(std::string_view key) {
  for (auto it = entries.begin(); it != entries.end(); ++it) {
    if (it->first == key) {
      entries.erase(it);
      return;
    }
  }
}

size_t ArraySize(const Value& v) {
  return v.is_json() ? v.json_array().size() : v.array()->items.size();
}

Value ArrayAt(const Value& v, size_t i) {
  return v.is_json() ? Value::FromJson(v.json_array()[i]) : v.array()->items[i];
}

size_t ObjectSize(const Value& v) {
  return v.is_json() ? v.json_object().size() : v.object()->entries.size();
}

Value ObjectGet(const Value& v, std::string_view key) {
  if (v.is_json()) {
    const auto& obj = v.json_object();
    auto it = obj.find(key);
    return it == obj.end() ? Value() : Value::FromJson(it->value());
  }
  Value* found = v.object()->Find(key);
  return found ? *found : Value();
}

}  // namespace fleetflow::jsonata::internal
