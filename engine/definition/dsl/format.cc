// fmt: the canonical text of a loaded file with its `#` comments put back
// (docs/dsl.md section 6). Export drops comments, so the printer cannot see
// them; instead each comment is attached to a statement by line (the parser
// records the line each statement starts on, under the name the printer
// gives it), and the printer writes it there.

#include <algorithm>

#include "engine/definition/dsl/flow.h"
#include "engine/definition/dsl/printer.h"

namespace fleetflow::definition::dsl {

namespace {

// A comment written on a line of its own must not become a `##` doc comment.
std::string OwnLine(const std::string& text) {
  bool doc = text.size() >= 2 && text[1] == '#' && (text.size() == 2 || text[2] != '#');
  return doc ? "# " + text : text;
}

// Attaches each comment to a printed statement: a trailing comment to the
// end of the statement its line belongs to, a comment inside brackets above
// that statement (the printer writes brackets on one line), any other above
// the next statement below it (else at the end of the file). A statement the
// printer leaves out (a `next` to the following state, `args $` of a run)
// passes its comments on to the next one.
CommentPlan Plan(const FlowResult& flow, const std::set<std::string>& printed) {
  CommentPlan plan;
  const std::vector<StatementLine>& statements = flow.statements;  // by line
  for (const SourceComment& c : flow.comments) {
    // The first statement below the comment's line.
    auto below = std::upper_bound(statements.begin(), statements.end(), c.line,
                                  [](int line, const StatementLine& s) { return line < s.line; });
    if (c.trailing || c.in_brackets) {
      const StatementLine* owner = below == statements.begin() ? nullptr : &*(below - 1);
      bool own = owner != nullptr && printed.count(owner->anchor);
      if (own && c.in_brackets) {
        plan.above[owner->anchor].push_back(OwnLine(c.text));
        continue;
      }
      if (own && !c.in_brackets && !plan.trailing.count(owner->anchor)) {
        plan.trailing[owner->anchor] = c.text;
        continue;
      }
    }
    while (below != statements.end() && !printed.count(below->anchor)) ++below;
    if (below != statements.end()) {
      plan.above[below->anchor].push_back(OwnLine(c.text));
    } else {
      plan.end.push_back(OwnLine(c.text));
    }
  }
  return plan;
}

}  // namespace

absl::StatusOr<std::string> FormatFlow(const FlowResult& flow) {
  if (!flow.ok() || !flow.asl.is_object()) {
    return absl::InvalidArgumentError("the file has errors");
  }
  try {
    Printer first;
    first.Document(flow.asl.get_object());
    CommentPlan plan = Plan(flow, first.printed());
    return Printer(&plan).Document(flow.asl.get_object());
  } catch (const PrintError& e) {
    return absl::InvalidArgumentError(e.message);
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(std::string("malformed definition: ") + e.what());
  }
}

}  // namespace fleetflow::definition::dsl
