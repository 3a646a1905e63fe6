// Mermaid flowchart: the same drawing for Markdown viewers (GitHub, GitLab).
// Parallel and Map states are subgraphs; edges to and from them attach to
// the subgraph itself.

#include "engine/common/strings.h"
#include "engine/definition/export/drawing.h"

namespace fleetflow::definition::graph_export {

namespace {

// Text inside a quoted Mermaid label.
std::string Escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '"':
        out += "#quot;";
        break;
      case '<':
        out += "#lt;";
        break;
      case '>':
        out += "#gt;";
        break;
      case '\n':
        out += "<br/>";
        break;
      default:
        out += c;
    }
  }
  return out;
}

const char* ClassOf(StateType type) {
  switch (type) {
    case StateType::kTask:
      return "task";
    case StateType::kChoice:
      return "choice";
    case StateType::kWait:
      return "wait";
    case StateType::kPass:
      return "pass";
    case StateType::kSucceed:
      return "succeed";
    case StateType::kFail:
      return "fail";
    case StateType::kParallel:
    case StateType::kMap:
      return "cluster";
  }
  return "pass";
}

class MermaidWriter {
 public:
  explicit MermaidWriter(const Drawing& d) : d_(d) {}

  std::string Write() {
    if (!d_.title.empty()) out_ += StrCat("---\ntitle: \"", Escape(d_.title), "\"\n---\n");
    out_ += "flowchart TB\n";
    out_ += "  __start((\" \"))\n";
    WriteBlock(0, 1);
    bool has_end = false;
    for (const Edge& e : d_.edges) has_end |= e.kind == EdgeKind::kEnd && Top(e.from);
    if (has_end) out_ += "  __end(((\" \")))\n";
    for (const Edge& e : d_.edges) WriteEdge(e);
    out_ +=
        "  classDef task fill:#dbeafe,stroke:#334155\n"
        "  classDef choice fill:#fef9c3,stroke:#334155\n"
        "  classDef wait fill:#ede9fe,stroke:#334155,stroke-dasharray:4 3\n"
        "  classDef pass fill:#f3f4f6,stroke:#334155\n"
        "  classDef succeed fill:#bbf7d0,stroke:#166534,stroke-width:2px\n"
        "  classDef fail fill:#fecaca,stroke:#991b1b,stroke-width:2px\n"
        "  classDef cluster fill:#f8fafc,stroke:#64748b,stroke-dasharray:5 4\n"
        "  classDef marker fill:#111827,stroke:#111827\n";
    out_ += "  class __start";
    if (has_end) out_ += ",__end";
    out_ += " marker\n";
    if (d_.overlay) {
      out_ +=
          "  classDef visited stroke:#1d4ed8,stroke-width:3px\n"
          "  classDef caught stroke:#ea580c,stroke-width:3px\n"
          "  classDef failed fill:#fca5a5,stroke:#dc2626,stroke-width:3px\n"
          "  classDef untaken fill:#f9fafb,stroke:#9ca3af,color:#9ca3af\n";
      for (size_t i = 0; i < d_.boxes.size(); ++i) {
        const Box& b = d_.boxes[i];
        const char* cls = b.failed       ? "failed"
                          : b.caught     ? "caught"
                          : b.visits > 0 ? "visited"
                                         : "untaken";
        out_ += StrCat("  class ", Id(static_cast<int>(i)), " ", cls, "\n");
      }
      if (!taken_links_.empty()) {
        out_ += "  linkStyle ";
        for (size_t i = 0; i < taken_links_.size(); ++i) {
          out_ += StrCat(i > 0 ? "," : "", taken_links_[i]);
        }
        out_ += " stroke:#1d4ed8,stroke-width:3px\n";
      }
    }
    return out_;
  }

 private:
  bool Top(int box) const { return box >= 0 && d_.boxes[static_cast<size_t>(box)].block == 0; }
  std::string Id(int box) const {
    return d_.boxes[static_cast<size_t>(box)].own_blocks.empty() ? StrCat("s", box)
                                                                 : StrCat("c", box);
  }
  std::string Indent(int depth) { return std::string(static_cast<size_t>(depth) * 2, ' '); }

  std::string Label(const Box& b) const {
    std::string label = b.name;
    if (d_.overlay && b.visits > 1) label += StrCat(" x", b.visits);
    for (const std::string& line : b.details) label += "\n" + line;
    return Escape(label);
  }

  void WriteBlock(int block, int depth) {
    for (int id : d_.blocks[static_cast<size_t>(block)].boxes) {
      const Box& b = d_.boxes[static_cast<size_t>(id)];
      if (!b.own_blocks.empty()) {
        std::string title = Label(b);
        if (!b.retry.empty()) title += "<br/>" + Escape(b.retry);
        out_ += StrCat(Indent(depth), "subgraph ", Id(id), " [\"", title, "\"]\n");
        out_ += StrCat(Indent(depth + 1), "direction TB\n");
        for (int inner : b.own_blocks) {
          const Block& blk = d_.blocks[static_cast<size_t>(inner)];
          if (blk.label.empty()) {
            WriteBlock(inner, depth + 1);
            continue;
          }
          out_ +=
              StrCat(Indent(depth + 1), "subgraph b", inner, " [\"", Escape(blk.label), "\"]\n");
          WriteBlock(inner, depth + 2);
          out_ += StrCat(Indent(depth + 1), "end\n");
        }
        out_ += StrCat(Indent(depth), "end\n");
        out_ += StrCat(Indent(depth), "class ", Id(id), " cluster\n");
        continue;
      }
      std::string label = StrCat("\"", Label(b), "\"");
      std::string shape;
      switch (b.type) {
        case StateType::kChoice:
          shape = StrCat("{", label, "}");
          break;
        case StateType::kSucceed:
          shape = StrCat("([", label, "])");
          break;
        case StateType::kFail:
          shape = StrCat("[[", label, "]]");
          break;
        case StateType::kTask:
        case StateType::kWait:
          shape = StrCat("(", label, ")");
          break;
        default:
          shape = StrCat("[", label, "]");
      }
      out_ += StrCat(Indent(depth), Id(id), shape, "\n");
      out_ += StrCat(Indent(depth), "class ", Id(id), " ", ClassOf(b.type), "\n");
      if (!b.retry.empty()) {
        Link(Id(id), Id(id), "-.->", b.retry, false);
      }
    }
  }

  void Link(const std::string& from, const std::string& to, const char* arrow,
            const std::string& label, bool taken) {
    out_ += StrCat("  ", from, " ", arrow, label.empty() ? "" : StrCat("|\"", Escape(label), "\"|"),
                   " ", to, "\n");
    if (taken) taken_links_.push_back(links_);
    ++links_;
  }

  void WriteEdge(const Edge& e) {
    if (e.kind == EdgeKind::kStart && !Top(e.to)) return;  // a subgraph holds its start
    if (e.kind == EdgeKind::kEnd && !Top(e.from)) return;
    std::string from = e.kind == EdgeKind::kStart ? "__start" : Id(e.from);
    std::string to = e.kind == EdgeKind::kEnd ? "__end" : Id(e.to);
    std::string label = e.label;
    if (d_.overlay && e.taken > 1) label += StrCat(label.empty() ? "" : " ", "x", e.taken);
    Link(from, to, e.kind == EdgeKind::kCatch ? "-.->" : "-->", label, d_.overlay && e.taken > 0);
  }

  const Drawing& d_;
  std::string out_;
  int links_ = 0;
  std::vector<int> taken_links_;
};

}  // namespace

std::string ToMermaid(const MachineDef& machine, const DrawOptions& options) {
  Drawing d = BuildDrawing(machine, options);
  return MermaidWriter(d).Write();
}

}  // namespace fleetflow::definition::graph_export
