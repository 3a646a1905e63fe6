#include "engine/cli/json_output.h"

#include "engine/runtime/history.h"

namespace fleetflow::cli {
namespace {

void Indent(std::string& out, int depth) { out.append(static_cast<size_t>(depth) * 4, ' '); }

void PrettyInto(std::string& out, const json::Value& v, int depth) {
  if (v.is_object() && !v.get_object().empty()) {
    out += "{\n";
    bool first = true;
    for (const auto& [key, child] : v.get_object()) {
      if (!first) out += ",\n";
      first = false;
      Indent(out, depth + 1);
      json::AppendSerialized(out, json::Value(key));
      out += ": ";
      PrettyInto(out, child, depth + 1);
    }
    out += '\n';
    Indent(out, depth);
    out += '}';
  } else if (v.is_array() && !v.get_array().empty()) {
    out += "[\n";
    bool first = true;
    for (const json::Value& child : v.get_array()) {
      if (!first) out += ",\n";
      first = false;
      Indent(out, depth + 1);
      PrettyInto(out, child, depth + 1);
    }
    out += '\n';
    Indent(out, depth);
    out += ']';
  } else {
    json::AppendSerialized(out, v);
  }
}

constexpr const char* kEnumPrefixes[] = {"EXECUTION_STATUS_", "STATE_MACHINE_TYPE_",
                                         "STATE_MACHINE_STATUS_", "EXECUTION_REDRIVE_STATUS_"};

}  // namespace

std::string Pretty(const json::Value& value) {
  std::string out;
  PrettyInto(out, value, 0);
  return out;
}

void AwsShape(json::Value& value) {
  if (value.is_array()) {
    for (json::Value& child : value.get_array()) AwsShape(child);
    return;
  }
  if (!value.is_object()) return;
  json::Object& o = value.get_object();
  for (auto& [key, child] : o) {
    if (child.is_string()) {
      std::string_view text(child.get_string());
      for (const char* prefix : kEnumPrefixes) {
        if (text.starts_with(prefix)) child = text.substr(std::string_view(prefix).size());
      }
    } else {
      AwsShape(child);
    }
  }
  // A history event: {"id", "previousEventId", "timestamp", "type", "detailsJson"}.
  if (json::Value* details = o.if_contains("detailsJson"); details && details->is_string()) {
    auto parsed = json::Parse(std::string_view(details->get_string()));
    std::string type = o.contains("type") ? std::string(o["type"].get_string()) : "";
    o.erase("detailsJson");
    if (parsed.ok() && parsed->is_object() && !parsed->get_object().empty()) {
      o[runtime::EventDetailsKey(type)] = std::move(*parsed);
    }
  }
  // proto3 JSON prints int64 as strings; AWS prints numbers.
  for (const char* key : {"id", "previousEventId"}) {
    if (json::Value* v = o.if_contains(key); v && v->is_string()) {
      *v = std::stoll(std::string(v->get_string()));
    }
  }
}

}  // namespace fleetflow::cli
