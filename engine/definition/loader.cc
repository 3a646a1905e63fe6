// The top level of an ASL document, and the checks that span graphs.

#include "engine/definition/loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>

#include "engine/common/strings.h"
#include "engine/common/timestamp.h"
#include "engine/definition/load_context.h"

namespace fleetflow::definition {

namespace {

// Inner scopes (Parallel branches, Map iterations) must not assign a name
// that an enclosing scope assigns (ASL spec, "Variable Scope").
void CheckVariableScopes(const MachineDef& machine, Diagnostics& diags) {
  for (size_t g = 1; g < machine.graphs.size(); ++g) {
    const Graph& graph = machine.graphs[g];
    for (const auto& assigned : graph.assigned_variables) {
      const std::string& name = assigned.first;
      const std::string& pointer = assigned.second;
      for (int outer = graph.parent_graph; outer >= 0;
           outer = machine.graphs[static_cast<size_t>(outer)].parent_graph) {
        const auto& names = machine.graphs[static_cast<size_t>(outer)].assigned_variables;
        auto same = [&name](const auto& entry) { return entry.first == name; };
        if (std::find_if(names.begin(), names.end(), same) == names.end()) continue;
        const State& owner = machine.graphs[static_cast<size_t>(graph.parent_graph)]
                                 .states[static_cast<size_t>(graph.parent_state)];
        diags.Add(pointer,
                  StrCat("variable \"", name, "\" is assigned inside ", StateTypeName(owner.type),
                         " state \"", owner.name,
                         "\" and also in an enclosing scope; an inner scope can read outer "
                         "variables but not assign them: rename the inner one"));
        break;
      }
    }
  }
}

// Bounds on a YAML document: aliases can expand a small text into billions
// of nodes ("billion laughs"), or refer to themselves.
constexpr int kMaxYamlDepth = 256;
constexpr size_t kMaxYamlNodes = 1'000'000;

struct YamlTooLarge {};

json::Value YamlToJson(const YAML::Node& node, int depth, size_t& nodes) {
  if (depth > kMaxYamlDepth || ++nodes > kMaxYamlNodes) throw YamlTooLarge{};
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      json::Object obj;
      for (const auto& kv : node)
        obj[kv.first.as<std::string>()] = YamlToJson(kv.second, depth + 1, nodes);
      return obj;
    }
    case YAML::NodeType::Sequence: {
      json::Array arr;
      for (const auto& item : node) arr.push_back(YamlToJson(item, depth + 1, nodes));
      return arr;
    }
    case YAML::NodeType::Scalar: {
      const std::string& s = node.Scalar();
      if (node.Tag() == "!") return json::Value(s);  // quoted: always a string
      if (s == "null" || s == "~" || s == "Null" || s == "NULL") return nullptr;
      if (s == "true" || s == "True" || s == "TRUE") return true;
      if (s == "false" || s == "False" || s == "FALSE") return false;
      int64_t i = 0;
      auto ri = std::from_chars(s.data(), s.data() + s.size(), i);
      if (!s.empty() && ri.ec == std::errc() && ri.ptr == s.data() + s.size()) return i;
      double d = 0;
      auto rd = std::from_chars(s.data(), s.data() + s.size(), d);
      if (!s.empty() && rd.ec == std::errc() && rd.ptr == s.data() + s.size() &&
          s.find_first_of("0123456789") != std::string::npos) {
        return d;
      }
      return json::Value(s);
    }
    default:
      return nullptr;
  }
}

}  // namespace

absl::StatusOr<json::Value> ParseYaml(std::string_view text) {
  try {
    size_t nodes = 0;
    return YamlToJson(YAML::Load(std::string(text)), 0, nodes);
  } catch (const YamlTooLarge&) {
    return absl::InvalidArgumentError(StrCat("YAML: the document is nested deeper than ",
                                             kMaxYamlDepth, " or expands to more than ",
                                             kMaxYamlNodes, " nodes (check its aliases)"));
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(
        StrCat("YAML ", e.mark.line + 1, ":", e.mark.column + 1, ": ", e.msg));
  }
}

LoadResult LoadAsl(std::string_view text) {
  size_t first = text.find_first_not_of(" \t\r\n");
  bool is_json = first != std::string_view::npos && text[first] == '{';
  absl::StatusOr<json::Value> doc = is_json ? json::Parse(text) : ParseYaml(text);
  if (!doc.ok()) {
    LoadResult r;
    r.errors.push_back({"", std::string(doc.status().message())});
    return r;
  }
  return LoadAslDocument(*doc);
}

LoadResult LoadAslDocument(const json::Value& document) {
  LoadResult result;
  Diagnostics diags;
  auto machine = std::make_shared<MachineDef>();
  if (!document.is_object()) {
    result.errors.push_back({"", "a state machine definition must be a JSON object"});
    return result;
  }
  const json::Object& top = document.get_object();
  for (const auto& kv : top) {
    std::string_view key = kv.key();
    if (key == "StartAt" || key == "States" || key == "Comment" || key == "TimeoutSeconds" ||
        key == "Version") {
      continue;
    }
    if (key == "QueryLanguage") {
      const json::Value& q = kv.value();
      if (q.is_string() && q.get_string() == "JSONata") {
        machine->query_language = QueryLanguage::kJsonata;
      } else if (!(q.is_string() && q.get_string() == "JSONPath")) {
        diags.Add("/QueryLanguage", "QueryLanguage must be \"JSONPath\" or \"JSONata\"");
      }
      continue;
    }
    diags.Add(StrCat("/", EscapePointer(key)),
              StrCat("field \"", key,
                     "\" is not allowed at the top level; expected StartAt, States, Comment, "
                     "TimeoutSeconds, Version, QueryLanguage"));
  }
  if (const json::Value* c = top.if_contains("Comment")) {
    if (c->is_string())
      machine->comment = std::string(c->get_string());
    else
      diags.Add("/Comment", "Comment must be a string");
  }
  if (const json::Value* v = top.if_contains("Version")) {
    if (v->is_string())
      machine->version = std::string(v->get_string());
    else
      diags.Add("/Version", "Version must be a string such as \"1.0\"");
  }
  if (const json::Value* t = top.if_contains("TimeoutSeconds")) {
    if (!json::IsNumber(*t) || !json::IsIntegral(*t) || json::AsDouble(*t) <= 0) {
      diags.Add("/TimeoutSeconds", "TimeoutSeconds must be a positive integer");
    } else {
      machine->timeout_seconds = json::AsDouble(*t);
    }
  }
  LoadContext ctx(*machine, diags);
  ctx.CollectStateNames(top, "");
  ctx.LoadGraph(top, "", -1, -1, {});
  CheckVariableScopes(*machine, diags);
  if (!diags.empty()) {
    result.errors = diags.items();
    return result;
  }
  result.machine = std::move(machine);
  return result;
}

}  // namespace fleetflow::definition

namespace fleetflow::definition {

bool IsRfc3339(std::string_view text) { return ParseRfc3339(text).has_value(); }

}  // namespace fleetflow::definition
