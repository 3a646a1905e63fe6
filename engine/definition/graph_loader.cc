// Loads one {StartAt, States} level, resolves its names and checks that every
// state is reachable.

#include <algorithm>

#include "engine/common/strings.h"
#include "engine/definition/load_context.h"

namespace fleetflow::definition {

namespace {

using Loader = void (*)(const StateInput&, State&);

struct TypeInfo {
  const char* name;
  StateType type;
  Loader load;
};

constexpr TypeInfo kTypes[] = {
    {"Pass", StateType::kPass, LoadPass},
    {"Task", StateType::kTask, LoadTask},
    {"Choice", StateType::kChoice, LoadChoice},
    {"Wait", StateType::kWait, LoadWait},
    {"Succeed", StateType::kSucceed, LoadSucceed},
    {"Fail", StateType::kFail, LoadFail},
    {"Parallel", StateType::kParallel, LoadParallel},
    {"Map", StateType::kMap, LoadMap},
};

void Successors(const State& s, std::vector<int>& out) {
  if (s.next >= 0) out.push_back(s.next);
  for (const Catcher& c : s.catchers) {
    if (c.next >= 0) out.push_back(c.next);
  }
  if (s.type == StateType::kChoice) {
    const ChoiceSpec& spec = s.As<ChoiceSpec>();
    for (const ChoiceRule& r : spec.choices) {
      if (r.next >= 0) out.push_back(r.next);
    }
    if (spec.default_next >= 0) out.push_back(spec.default_next);
  }
}

void CheckReachable(const Graph& graph, const std::string& pointer, Diagnostics& diags) {
  std::vector<bool> seen(graph.states.size(), false);
  std::vector<int> stack{graph.start}, next;
  while (!stack.empty()) {
    int i = stack.back();
    stack.pop_back();
    if (i < 0 || seen[static_cast<size_t>(i)]) continue;
    seen[static_cast<size_t>(i)] = true;
    next.clear();
    Successors(graph.states[static_cast<size_t>(i)], next);
    stack.insert(stack.end(), next.begin(), next.end());
  }
  for (size_t i = 0; i < graph.states.size(); ++i) {
    if (seen[i]) continue;
    diags.Add(StrCat(pointer, "/States/", EscapePointer(graph.states[i].name)),
              StrCat("state \"", graph.states[i].name, "\" cannot be reached from StartAt \"",
                     graph.states[static_cast<size_t>(graph.start)].name, "\""));
  }
}

// AWS's MISSING_END_STATE: a graph with no End, Succeed or Fail never ends.
void CheckSomeStateEnds(const Graph& graph, const std::string& pointer, Diagnostics& diags) {
  for (const State& s : graph.states) {
    if (s.end) return;
  }
  diags.Add(StrCat(pointer, "/States"),
            "no state ends this States block: give a state \"End\": true, or add a Succeed or "
            "Fail state");
}

}  // namespace

void LoadContext::CollectStateNames(const json::Object& object, const std::string& pointer) {
  const json::Value* states = object.if_contains("States");
  if (states == nullptr || !states->is_object()) return;
  for (const auto& kv : states->get_object()) {
    std::string at = StrCat(pointer, "/States/", EscapePointer(kv.key()));
    auto [it, inserted] = state_pointers_.emplace(std::string(kv.key()), at);
    if (!inserted) {
      diags_.Add(at, StrCat("state name \"", std::string_view(kv.key()), "\" is already used at ",
                            it->second, "; names must be unique in the whole machine"));
    }
    const json::Object* state = kv.value().if_object();
    if (state == nullptr) continue;
    if (const json::Value* branches = state->if_contains("Branches");
        branches && branches->is_array()) {
      for (size_t i = 0; i < branches->get_array().size(); ++i) {
        if (const json::Object* b = branches->get_array()[i].if_object()) {
          CollectStateNames(*b, StrCat(at, "/Branches/", i));
        }
      }
    }
    for (const char* field : {"ItemProcessor", "Iterator"}) {
      if (const json::Value* p = state->if_contains(field); p && p->is_object()) {
        CollectStateNames(p->get_object(), StrCat(at, "/", field));
      }
    }
  }
}

const std::string* LoadContext::FindStateAnywhere(std::string_view name) const {
  auto it = state_pointers_.find(name);
  return it == state_pointers_.end() ? nullptr : &it->second;
}

const char* StateTypeName(StateType type) {
  for (const TypeInfo& t : kTypes) {
    if (t.type == type) return t.name;
  }
  return "Unknown";
}

int LoadContext::LoadGraph(const json::Object& object, const std::string& pointer, int parent_graph,
                           int parent_state, std::initializer_list<std::string_view> extra_fields) {
  int index = static_cast<int>(machine_.graphs.size());
  machine_.graphs.emplace_back();
  machine_.graphs.back().parent_graph = parent_graph;
  machine_.graphs.back().parent_state = parent_state;
  if (parent_graph >= 0) {
    for (const auto& kv : object) {
      std::string_view key = kv.key();
      if (key == "StartAt" || key == "States" || key == "Comment") continue;
      if (std::find(extra_fields.begin(), extra_fields.end(), key) != extra_fields.end()) continue;
      diags_.Add(
          StrCat(pointer, "/", EscapePointer(key)),
          StrCat("field \"", key, "\" is not allowed here; expected StartAt, States, Comment"));
    }
  }
  const json::Value* states_value = object.if_contains("States");
  if (states_value == nullptr || !states_value->is_object() || states_value->get_object().empty()) {
    diags_.Add(states_value ? StrCat(pointer, "/States") : pointer,
               "\"States\" must be a non-empty object of state names to states");
    return index;
  }
  const json::Object& states = states_value->get_object();
  std::map<std::string, int, std::less<>> names;
  for (const auto& kv : states) {
    int i = static_cast<int>(names.size());
    names.emplace(std::string(kv.key()), i);
    if (Utf8Length(kv.key()) > 80 || kv.key().empty()) {
      diags_.Add(StrCat(pointer, "/States/", EscapePointer(kv.key())),
                 "a state name must have 1 to 80 characters");
    }
  }
  int broken_before = broken_links_;
  std::vector<State> loaded(states.size());
  int position = 0;
  for (const auto& kv : states) {
    State& state = loaded[static_cast<size_t>(position)];
    state.name = std::string(kv.key());
    std::string at = StrCat(pointer, "/States/", EscapePointer(kv.key()));
    static const json::Object kEmpty;
    StateInput in{kv.value().is_object() ? kv.value().get_object() : kEmpty,
                  at,
                  names,
                  index,
                  position,
                  *this};
    ++position;
    if (!kv.value().is_object()) {
      NoteBrokenLink();
      diags_.Add(at, "a state must be a JSON object");
      continue;
    }
    const json::Value* type = in.object.if_contains("Type");
    const TypeInfo* info = nullptr;
    for (const TypeInfo& t : kTypes) {
      if (type != nullptr && type->is_string() && type->get_string() == t.name) info = &t;
    }
    if (info == nullptr) {
      NoteBrokenLink();
      diags_.Add(type ? StrCat(at, "/Type") : at,
                 "Type must be one of Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map");
      continue;
    }
    state.type = info->type;
    // A state inherits the machine's QueryLanguage; a JSONPath machine may
    // hold JSONata states, a JSONata machine no JSONPath ones.
    in.jsonata = machine_.query_language == QueryLanguage::kJsonata;
    if (const json::Value* q = in.object.if_contains("QueryLanguage")) {
      std::string_view lang = q->is_string() ? std::string_view(q->get_string()) : "";
      if (lang == "JSONata") {
        in.jsonata = true;
      } else if (lang == "JSONPath" && in.jsonata) {
        diags_.Add(StrCat(at, "/QueryLanguage"),
                   "a state cannot use QueryLanguage \"JSONPath\" in a machine whose "
                   "QueryLanguage is \"JSONata\"; only a JSONPath machine can mix the two");
      } else if (lang != "JSONPath") {
        diags_.Add(StrCat(at, "/QueryLanguage"),
                   "QueryLanguage must be \"JSONPath\" or \"JSONata\"");
      }
    }
    state.query_language = in.jsonata ? QueryLanguage::kJsonata : QueryLanguage::kJsonPath;
    if (const json::Value* c = in.object.if_contains("Comment"); c && c->is_string()) {
      state.comment = std::string(c->get_string());
    }
    info->load(in, state);
  }
  Graph& graph = machine_.graphs[static_cast<size_t>(index)];
  graph.states = std::move(loaded);
  const json::Value* start = object.if_contains("StartAt");
  if (start == nullptr || !start->is_string()) {
    diags_.Add(start ? StrCat(pointer, "/StartAt") : pointer,
               "\"StartAt\" must name the first state");
    return index;
  }
  StateInput top{object, pointer, names, index, -1, *this};
  graph.start = ResolveStateName(top, "StartAt", *start);
  if (graph.start >= 0 && broken_links_ == broken_before) {
    CheckReachable(graph, pointer, diags_);
    CheckSomeStateEnds(graph, pointer, diags_);
  }
  return index;
}

}  // namespace fleetflow::definition
