#include "engine/definition/export/drawing.h"

#include <cmath>
#include <functional>

#include "engine/common/strings.h"

namespace fleetflow::definition::graph_export {

namespace {

constexpr size_t kMaxClause = 40;  // characters of one condition line

std::string Shorten(std::string text, size_t max) {
  if (text.size() <= max) return text;
  size_t cut = max - 1;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // UTF-8
  return text.substr(0, cut) + "…";
}

std::string Operator(Comparator c) {
  switch (c) {
    case Comparator::kStringEquals:
    case Comparator::kNumericEquals:
    case Comparator::kBooleanEquals:
    case Comparator::kTimestampEquals:
      return "==";
    case Comparator::kStringLessThan:
    case Comparator::kNumericLessThan:
    case Comparator::kTimestampLessThan:
      return "<";
    case Comparator::kStringGreaterThan:
    case Comparator::kNumericGreaterThan:
    case Comparator::kTimestampGreaterThan:
      return ">";
    case Comparator::kStringLessThanEquals:
    case Comparator::kNumericLessThanEquals:
    case Comparator::kTimestampLessThanEquals:
      return "<=";
    case Comparator::kStringGreaterThanEquals:
    case Comparator::kNumericGreaterThanEquals:
    case Comparator::kTimestampGreaterThanEquals:
      return ">=";
    case Comparator::kStringMatches:
      return "matches";
    case Comparator::kIsNull:
      return "null";
    case Comparator::kIsPresent:
      return "present";
    case Comparator::kIsNumeric:
      return "number";
    case Comparator::kIsString:
      return "string";
    case Comparator::kIsBoolean:
      return "bool";
    case Comparator::kIsTimestamp:
      return "timestamp";
  }
  return "?";
}

bool IsTypeTest(Comparator c) {
  return c == Comparator::kIsNull || c == Comparator::kIsPresent || c == Comparator::kIsNumeric ||
         c == Comparator::kIsString || c == Comparator::kIsBoolean || c == Comparator::kIsTimestamp;
}

// One comparison as the DSL writes it; `negated` for a Not around it.
std::string Comparison(const ChoiceRule& r, bool negated) {
  const std::string& var = r.variable.text();
  if (IsTypeTest(r.comparator)) {
    bool yes = !r.operand.is_bool() || r.operand.get_bool();
    if (negated) yes = !yes;
    return StrCat(var, yes ? " is " : " is not ", Operator(r.comparator));
  }
  std::string op = Operator(r.comparator);
  std::string operand = r.operand_path ? r.operand_path->text() : json::Serialize(r.operand);
  if (negated) {
    if (op == "==") return StrCat(var, " != ", operand);
    return StrCat("not ", var, " ", op, " ", operand);
  }
  return StrCat(var, " ", op, " ", operand);
}

// A condition as lines: one per clause of a top-level and/or chain.
std::vector<std::string> ConditionLines(const ChoiceRule& r) {
  std::function<std::string(const ChoiceRule&)> text = [&](const ChoiceRule& c) -> std::string {
    switch (c.kind) {
      case ChoiceRule::Kind::kCompare:
        return Comparison(c, false);
      case ChoiceRule::Kind::kNot:
        if (c.children.size() == 1 && c.children[0].kind == ChoiceRule::Kind::kCompare) {
          return Comparison(c.children[0], true);
        }
        return StrCat("not (", c.children.empty() ? "" : text(c.children[0]), ")");
      case ChoiceRule::Kind::kAnd:
      case ChoiceRule::Kind::kOr: {
        std::string out = "(";
        for (size_t i = 0; i < c.children.size(); ++i) {
          if (i > 0) out += c.kind == ChoiceRule::Kind::kAnd ? " and " : " or ";
          out += text(c.children[i]);
        }
        return out + ")";
      }
    }
    return "";
  };
  std::vector<std::string> lines;
  if (r.kind == ChoiceRule::Kind::kAnd || r.kind == ChoiceRule::Kind::kOr) {
    const char* join = r.kind == ChoiceRule::Kind::kAnd ? "and " : "or ";
    for (size_t i = 0; i < r.children.size(); ++i) {
      lines.push_back(Shorten(StrCat(i > 0 ? join : "", text(r.children[i])), kMaxClause));
    }
  } else {
    lines.push_back(Shorten(text(r), kMaxClause));
  }
  return lines;
}

std::string Join(const std::vector<std::string>& lines, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) out += separator;
    out += lines[i];
  }
  return out;
}

// "States.Timeout" -> "Timeout", "States.ALL" -> "any error".
std::string ErrorList(const std::vector<std::string>& errors) {
  std::vector<std::string> names;
  for (const std::string& e : errors) {
    if (e == "States.ALL") {
      names.push_back("any error");
    } else if (e.starts_with("States.")) {
      names.push_back(e.substr(7));
    } else {
      names.push_back(e);
    }
  }
  return Join(names, ", ");
}

std::string NumberText(const NumberSource& n, bool duration) {
  if (n.path) return n.path->text();
  if (!n.value) return "";
  if (duration) return FormatSeconds(*n.value);
  double v = *n.value;
  return v == std::floor(v) ? std::to_string(static_cast<int64_t>(v)) : json::Serialize(v);
}

// The ASL object of each state by name (names are unique in a machine).
void IndexStates(const json::Value& block, std::map<std::string, const json::Object*>& out) {
  const json::Object* obj = block.if_object();
  if (obj == nullptr) return;
  const json::Value* states = obj->if_contains("States");
  if (states == nullptr || !states->is_object()) return;
  for (const auto& [name, state] : states->get_object()) {
    const json::Object* s = state.if_object();
    if (s == nullptr) continue;
    out[std::string(name)] = s;
    if (const json::Value* b = s->if_contains("Branches"); b && b->is_array()) {
      for (const json::Value& branch : b->get_array()) IndexStates(branch, out);
    }
    for (const char* key : {"ItemProcessor", "Iterator"}) {
      if (const json::Value* p = s->if_contains(key)) IndexStates(*p, out);
    }
  }
}

// "fleetflow:events:await.waitForTaskToken" -> "events:await (callback)";
// a nested execution -> "run MACHINE".
std::string ResourceText(const std::string& resource, const json::Object* asl) {
  if (resource.starts_with("arn:aws:states:::states:startExecution")) {
    std::string machine = "a machine";
    if (asl != nullptr) {
      const json::Value* params = asl->if_contains("Parameters");
      const json::Value* arn = params && params->is_object()
                                   ? params->get_object().if_contains("StateMachineArn")
                                   : nullptr;
      if (arn != nullptr && arn->is_string()) {
        std::string_view text = arn->get_string();
        size_t colon = text.rfind(':');
        machine = std::string(colon == std::string_view::npos ? text : text.substr(colon + 1));
      }
    }
    bool sync = resource.find(".sync") != std::string::npos;
    return StrCat("run ", machine, sync ? "" : " (no wait)");
  }
  std::string text = resource;
  if (text.starts_with("fleetflow:")) text = text.substr(10);
  if (size_t arn = text.find(":::"); arn != std::string::npos) text = text.substr(arn + 3);
  for (const char* suffix : {".waitForTaskToken", ".sync:2", ".sync"}) {
    if (text.ends_with(suffix)) {
      text = StrCat(text.substr(0, text.size() - std::string_view(suffix).size()),
                    std::string_view(suffix) == ".waitForTaskToken" ? " (callback)" : " (sync)");
    }
  }
  return Shorten(text, 40);
}

std::string RetryText(const std::vector<Retrier>& retry) {
  std::vector<std::string> lines;
  for (const Retrier& r : retry) {
    lines.push_back(StrCat("retry ", ErrorList(r.errors), " x", r.max_attempts));
  }
  return Join(lines, "\n");
}

std::vector<std::string> Details(const State& s, const json::Object* asl) {
  std::vector<std::string> out;
  switch (s.type) {
    case StateType::kTask: {
      const TaskSpec& t = s.As<TaskSpec>();
      out.push_back(ResourceText(t.resource, asl));
      std::string limits;
      if (t.timeout_seconds.present()) {
        limits = StrCat("timeout ", NumberText(t.timeout_seconds, true));
      }
      if (t.heartbeat_seconds.present()) {
        limits +=
            StrCat(limits.empty() ? "" : ", ", "heartbeat ", NumberText(t.heartbeat_seconds, true));
      }
      if (!limits.empty()) out.push_back(limits);
      break;
    }
    case StateType::kWait: {
      const WaitSpec& w = s.As<WaitSpec>();
      if (w.seconds) out.push_back(StrCat("wait ", FormatSeconds(*w.seconds)));
      if (w.seconds_path) out.push_back(StrCat("wait ", w.seconds_path->text()));
      if (w.timestamp) out.push_back(StrCat("until ", *w.timestamp));
      if (w.timestamp_path) out.push_back(StrCat("until ", w.timestamp_path->text()));
      break;
    }
    case StateType::kFail: {
      const FailSpec& f = s.As<FailSpec>();
      if (f.error) out.push_back(Shorten(*f.error, 40));
      if (f.error_path && f.error_path->path) out.push_back(f.error_path->path->text());
      break;
    }
    case StateType::kMap: {
      const MapSpec& m = s.As<MapSpec>();
      out.push_back(StrCat("map", m.distributed ? " (distributed)" : "", " over ",
                           m.items_path ? m.items_path->text() : "$"));
      std::vector<std::string> limits;
      if (m.max_concurrency.present()) {
        limits.push_back(StrCat("max ", NumberText(m.max_concurrency, false), " at once"));
      }
      if (m.tolerated_failure_percentage.present()) {
        limits.push_back(
            StrCat("tolerate ", NumberText(m.tolerated_failure_percentage, false), "%"));
      }
      if (m.tolerated_failure_count.present()) {
        limits.push_back(
            StrCat("tolerate ", NumberText(m.tolerated_failure_count, false), " failures"));
      }
      if (!limits.empty()) out.push_back(Join(limits, ", "));
      break;
    }
    case StateType::kParallel:
      out.push_back(StrCat("parallel, ", s.As<ParallelSpec>().branches.size(), " branches"));
      break;
    default:
      break;
  }
  return out;
}

}  // namespace

std::string FormatSeconds(double seconds) {
  if (seconds != std::floor(seconds) || seconds < 0) return StrCat(json::Serialize(seconds), "s");
  auto s = static_cast<int64_t>(seconds);
  if (s > 0 && s % 86400 == 0) return StrCat(s / 86400, "d");
  if (s > 0 && s % 3600 == 0) return StrCat(s / 3600, "h");
  if (s > 0 && s % 60 == 0) return StrCat(s / 60, "m");
  return StrCat(s, "s");
}

Drawing BuildDrawing(const MachineDef& machine, const DrawOptions& options) {
  Drawing d;
  d.title = options.title;
  d.overlay = options.overlay != nullptr;
  std::map<std::string, const json::Object*> asl;
  if (options.asl != nullptr) IndexStates(*options.asl, asl);

  // Box ids: the states of graph g start at offset[g].
  std::vector<int> offset(machine.graphs.size());
  int count = 0;
  for (size_t g = 0; g < machine.graphs.size(); ++g) {
    offset[g] = count;
    count += static_cast<int>(machine.graphs[g].states.size());
  }
  d.boxes.resize(static_cast<size_t>(count));
  d.blocks.resize(machine.graphs.size());
  for (size_t g = 0; g < machine.graphs.size(); ++g) {
    const Graph& graph = machine.graphs[g];
    Block& block = d.blocks[g];
    block.start = offset[g] + graph.start;
    if (graph.parent_graph >= 0) block.owner = offset[graph.parent_graph] + graph.parent_state;
    for (size_t i = 0; i < graph.states.size(); ++i) {
      int id = offset[g] + static_cast<int>(i);
      block.boxes.push_back(id);
      const State& s = graph.states[i];
      auto it = asl.find(s.name);
      Box& box = d.boxes[static_cast<size_t>(id)];
      box.name = s.name;
      box.type = s.type;
      box.block = static_cast<int>(g);
      box.details = Details(s, it == asl.end() ? nullptr : it->second);
      box.retry = RetryText(s.retry);
      if (s.type == StateType::kParallel) {
        const auto& branches = s.As<ParallelSpec>().branches;
        for (size_t b = 0; b < branches.size(); ++b) {
          box.own_blocks.push_back(branches[b]);
          d.blocks[static_cast<size_t>(branches[b])].label = StrCat("branch ", b + 1);
        }
      }
      if (s.type == StateType::kMap) box.own_blocks.push_back(s.As<MapSpec>().processor);
    }
  }
  // Edges, in the order a reader follows them: start, rules, next, catches, end.
  for (size_t g = 0; g < machine.graphs.size(); ++g) {
    const Graph& graph = machine.graphs[g];
    d.edges.push_back({-1, offset[g] + graph.start, EdgeKind::kStart, "", 0});
    for (size_t i = 0; i < graph.states.size(); ++i) {
      const State& s = graph.states[i];
      int id = offset[g] + static_cast<int>(i);
      if (s.type == StateType::kChoice) {
        const ChoiceSpec& c = s.As<ChoiceSpec>();
        for (const ChoiceRule& r : c.choices) {
          d.edges.push_back(
              {id, offset[g] + r.next, EdgeKind::kRule, Join(ConditionLines(r), "\n"), 0});
        }
        if (c.default_next >= 0) {
          d.edges.push_back({id, offset[g] + c.default_next, EdgeKind::kDefault, "else", 0});
        }
      }
      if (s.next >= 0) d.edges.push_back({id, offset[g] + s.next, EdgeKind::kNext, "", 0});
      // Catches of one state that go to the same state are one edge.
      size_t first_catch = d.edges.size();
      for (const Catcher& c : s.catchers) {
        Edge* same = nullptr;
        for (size_t k = first_catch; k < d.edges.size(); ++k) {
          if (d.edges[k].to == offset[g] + c.next) same = &d.edges[k];
        }
        if (same != nullptr) {
          same->label += StrCat("\n", ErrorList(c.errors));
        } else {
          d.edges.push_back({id, offset[g] + c.next, EdgeKind::kCatch, ErrorList(c.errors), 0});
        }
      }
      if ((s.end && s.type != StateType::kFail) || s.type == StateType::kSucceed) {
        d.edges.push_back({id, -1, EdgeKind::kEnd, "", 0});
      }
    }
  }
  if (options.overlay == nullptr) return d;

  // What the execution did.
  const PathOverlay& o = *options.overlay;
  for (Box& box : d.boxes) {
    auto v = o.visits.find(box.name);
    box.visits = v == o.visits.end() ? 0 : v->second;
    box.failed = o.failed.count(box.name) > 0;
    box.caught = o.caught.count(box.name) > 0;
  }
  for (Edge& e : d.edges) {
    const std::string* to = e.to >= 0 ? &d.boxes[static_cast<size_t>(e.to)].name : nullptr;
    switch (e.kind) {
      case EdgeKind::kStart: {
        auto it = o.starts.find(*to);
        e.taken = it == o.starts.end() ? 0 : it->second;
        break;
      }
      case EdgeKind::kEnd: {
        const std::string& from = d.boxes[static_cast<size_t>(e.from)].name;
        e.taken = o.exited.count(from) ? 1 : 0;
        break;
      }
      default: {
        const std::string& from = d.boxes[static_cast<size_t>(e.from)].name;
        auto it = o.transitions.find({from, *to, e.kind == EdgeKind::kCatch});
        e.taken = it == o.transitions.end() ? 0 : it->second;
      }
    }
  }
  return d;
}

}  // namespace fleetflow::definition::graph_export
