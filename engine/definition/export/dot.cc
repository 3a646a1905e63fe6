// Graphviz DOT: states as boxes shaped and coloured by type, Parallel and Map
// states as clusters headed by their own box, top to bottom.

#include <map>

#include "engine/common/strings.h"
#include "engine/definition/export/drawing.h"

namespace fleetflow::definition::graph_export {

namespace {

constexpr const char* kTaken = "#1d4ed8";    // the path taken
constexpr const char* kFailed = "#dc2626";   // the state that failed
constexpr const char* kCaught = "#ea580c";   // a failure that was caught
constexpr const char* kUntaken = "#9ca3af";  // not on the path
constexpr const char* kCatchEdge = "#b91c1c";

std::string Quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out + "\"";
}

struct Style {
  const char* shape;
  const char* style;
  const char* fill;
};

Style StyleOf(StateType type) {
  switch (type) {
    case StateType::kTask:
      return {"box", "rounded,filled", "#dbeafe"};
    case StateType::kChoice:
      return {"diamond", "filled", "#fef9c3"};
    case StateType::kWait:
      return {"box", "rounded,filled,dashed", "#ede9fe"};
    case StateType::kPass:
      return {"box", "filled", "#f3f4f6"};
    case StateType::kSucceed:
      return {"box", "rounded,filled,bold", "#bbf7d0"};
    case StateType::kFail:
      return {"box", "rounded,filled,bold", "#fecaca"};
    case StateType::kParallel:
    case StateType::kMap:
      return {"box3d", "filled", "#e0f2fe"};
  }
  return {"box", "", "#ffffff"};
}

class DotWriter {
 public:
  explicit DotWriter(const Drawing& d) : d_(d) {}

  std::string Write() {
    out_ += "digraph machine {\n";
    out_ += "  rankdir=TB; compound=true; newrank=true; nodesep=0.35; ranksep=0.4;\n";
    out_ += "  fontname=\"Helvetica\"; fontsize=12; labelloc=t;\n";
    if (!d_.title.empty()) out_ += StrCat("  label=", Quote(d_.title), ";\n");
    out_ +=
        "  node [fontname=\"Helvetica\", fontsize=11, margin=\"0.12,0.05\", penwidth=1.2];\n"
        "  edge [fontname=\"Helvetica\", fontsize=9, arrowsize=0.7];\n";
    bool start_taken = false, end_taken = false, has_end = false;
    for (const Edge& e : d_.edges) {
      if (e.kind == EdgeKind::kStart && e.from < 0 && d_.boxes[e.to].block == 0 && e.taken) {
        start_taken = true;
      }
      if (e.kind == EdgeKind::kEnd && d_.boxes[e.from].block == 0) {
        has_end = true;
        if (e.taken) end_taken = true;
      }
    }
    std::string start_color = d_.overlay && !start_taken ? kUntaken : "black";
    out_ += StrCat("  __start [label=\"\", shape=circle, style=filled, width=0.22, fillcolor=",
                   Quote(start_color), ", color=", Quote(start_color), "];\n");
    if (has_end) {
      std::string end_color = d_.overlay && !end_taken ? kUntaken : "black";
      out_ += StrCat("  __end [label=\"\", shape=doublecircle, style=filled, width=0.16, ",
                     "fillcolor=", Quote(end_color), ", color=", Quote(end_color), "];\n");
    }
    WriteBlock(0, 1);
    for (const Edge& e : d_.edges) WriteEdge(e);
    out_ += "}\n";
    return out_;
  }

 private:
  static std::string Id(int box) { return StrCat("s", box); }
  std::string Indent(int depth) { return std::string(static_cast<size_t>(depth) * 2, ' '); }

  void WriteBox(int id, int depth) {
    const Box& b = d_.boxes[static_cast<size_t>(id)];
    Style st = StyleOf(b.type);
    std::string label = b.name;
    if (d_.overlay && b.visits > 1) label += StrCat("  x", b.visits);
    for (const std::string& line : b.details) label += "\n" + line;
    std::string attrs = StrCat("label=", Quote(label), ", shape=", st.shape,
                               ", style=", Quote(st.style), ", fillcolor=", Quote(st.fill));
    if (b.type == StateType::kChoice) attrs += ", margin=\"0.04,0.04\"";
    if (d_.overlay) {
      if (b.failed) {
        attrs += StrCat(", color=", Quote(kFailed), ", penwidth=3, fillcolor=\"#fca5a5\"");
      } else if (b.caught) {
        attrs += StrCat(", color=", Quote(kCaught), ", penwidth=2.5");
      } else if (b.visits > 0) {
        attrs += StrCat(", color=", Quote(kTaken), ", penwidth=2.5");
      } else {
        attrs += StrCat(", color=", Quote(kUntaken), ", fontcolor=", Quote(kUntaken),
                        ", fillcolor=\"#f9fafb\"");
      }
    }
    out_ += StrCat(Indent(depth), Id(id), " [", attrs, "];\n");
    if (!b.retry.empty()) {
      std::string color = d_.overlay && b.visits == 0 ? kUntaken : "#4b5563";
      out_ += StrCat(Indent(depth), Id(id), " -> ", Id(id), " [label=", Quote(b.retry),
                     ", style=dotted, color=", Quote(color), ", fontcolor=", Quote(color),
                     ", dir=back, arrowtail=vee];\n");
    }
  }

  void WriteBlock(int block, int depth) {
    for (int id : d_.blocks[static_cast<size_t>(block)].boxes) {
      const Box& b = d_.boxes[static_cast<size_t>(id)];
      if (b.own_blocks.empty()) {
        WriteBox(id, depth);
        continue;
      }
      // A Parallel or Map state: a cluster holding its box and its blocks.
      std::string color = "#64748b";
      if (d_.overlay) color = b.failed ? kFailed : b.visits > 0 ? kTaken : kUntaken;
      out_ += StrCat(Indent(depth), "subgraph cluster_", id, " {\n");
      out_ +=
          StrCat(Indent(depth + 1), "label=\"\"; style=\"rounded,dashed\"; color=", Quote(color),
                 "; penwidth=1.4; margin=10;\n");
      WriteBox(id, depth + 1);
      for (int inner : b.own_blocks) {
        const Block& blk = d_.blocks[static_cast<size_t>(inner)];
        if (blk.label.empty()) {
          WriteBlock(inner, depth + 1);
          continue;
        }
        out_ += StrCat(Indent(depth + 1), "subgraph cluster_b", inner, " {\n");
        out_ += StrCat(Indent(depth + 2), "label=", Quote(blk.label),
                       "; labeljust=l; fontsize=9; style=\"rounded,dotted\"; color=\"#94a3b8\";\n");
        WriteBlock(inner, depth + 2);
        out_ += StrCat(Indent(depth + 1), "}\n");
      }
      out_ += StrCat(Indent(depth), "}\n");
    }
  }

  // The box an edge leaving a cluster is drawn from: an end state of its
  // first block, so that the edge starts at the cluster's border.
  int ExitBox(int cluster_box) const {
    const Box& b = d_.boxes[static_cast<size_t>(cluster_box)];
    const Block& first = d_.blocks[static_cast<size_t>(b.own_blocks.front())];
    for (const Edge& e : d_.edges) {
      if (e.kind == EdgeKind::kEnd &&
          d_.boxes[static_cast<size_t>(e.from)].block == b.own_blocks.front()) {
        const Box& inner = d_.boxes[static_cast<size_t>(e.from)];
        return inner.own_blocks.empty() ? e.from : ExitBox(e.from);
      }
    }
    return first.start;
  }

  void WriteEdge(const Edge& e) {
    std::vector<std::string> attrs;
    int block = e.from >= 0 ? d_.boxes[static_cast<size_t>(e.from)].block
                            : d_.boxes[static_cast<size_t>(e.to)].block;
    int owner = d_.blocks[static_cast<size_t>(block)].owner;
    std::string from = e.from >= 0 ? Id(e.from) : "__start";
    std::string to = e.to >= 0 ? Id(e.to) : "__end";
    if (e.kind == EdgeKind::kStart && owner >= 0) {
      from = Id(owner);
      attrs.push_back("style=dotted, arrowhead=empty");
    }
    // Leaving an inner block continues along the owner's own edges.
    if (e.kind == EdgeKind::kEnd && owner >= 0) return;
    if (e.kind != EdgeKind::kStart && !d_.boxes[static_cast<size_t>(e.from)].own_blocks.empty()) {
      // An edge of a Parallel or Map state leaves from its cluster's border.
      from = Id(ExitBox(e.from));
      attrs.push_back(StrCat("ltail=cluster_", e.from));
    }
    std::string label = e.label;
    if (d_.overlay && e.taken > 1) label += StrCat(label.empty() ? "" : "  ", "x", e.taken);
    if (!label.empty()) attrs.push_back(StrCat("label=", Quote(label)));
    if (e.kind == EdgeKind::kCatch) {
      attrs.push_back(
          StrCat("style=dashed, color=", Quote(kCatchEdge), ", fontcolor=", Quote(kCatchEdge)));
    }
    if (e.kind == EdgeKind::kDefault) attrs.push_back("fontcolor=\"#6b7280\"");
    if (d_.overlay && e.taken > 0) {
      attrs.push_back(
          StrCat("color=", Quote(e.kind == EdgeKind::kCatch ? kCaught : kTaken), ", penwidth=2.5"));
    } else if (d_.overlay) {
      attrs.push_back(StrCat("color=", Quote(kUntaken), ", fontcolor=", Quote(kUntaken)));
    }
    std::string list;
    for (const std::string& a : attrs) list += StrCat(list.empty() ? "" : ", ", a);
    out_ += StrCat("  ", from, " -> ", to, list.empty() ? "" : StrCat(" [", list, "]"), ";\n");
  }

  const Drawing& d_;
  std::string out_;
};

}  // namespace

std::string ToDot(const MachineDef& machine, const DrawOptions& options) {
  Drawing d = BuildDrawing(machine, options);
  return DotWriter(d).Write();
}

}  // namespace fleetflow::definition::graph_export
