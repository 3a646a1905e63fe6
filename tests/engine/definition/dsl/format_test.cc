// fmt keeps `#` comments (docs/dsl.md section 6): a comment on its own line
// stays above the statement below it, an end-of-line comment at the end of
// its statement's line, and the result is a fixed point.

#include <gtest/gtest.h>

#include "engine/definition/dsl/flow.h"

namespace fleetflow::definition::dsl {
namespace {

std::string Fmt(const std::string& text) {
  FlowOptions options;
  options.resolve_imports = false;
  FlowResult r = LoadFlow(text, "t.flow", options);
  EXPECT_TRUE(r.ok()) << r.Render();
  auto formatted = FormatFlow(r);
  EXPECT_TRUE(formatted.ok()) << formatted.status();
  return formatted.ok() ? *formatted : "";
}

TEST(DslFormat, KeepsCommentsAboveAndAtTheEndOfTheirStatements) {
  const char* text = R"(# The file.
import child   # the child

# The machine.
## Doc.
machine
  # Its version.
  version   "1"     # v1

# Above A, after its doc.
## Doc of A.
pass A  # a
  # Above the result.
  result
    x: 1  # one
    # Above y.
    y: 2
  next C

run C child
  args
    x: 1   # one
  end
# At the end.
)";
  const char* expected = R"(# The file.
import child  # the child

# The machine.
## Doc.
machine
  # Its version.
  version "1"  # v1

# Above A, after its doc.
## Doc of A.
pass A  # a
  # Above the result.
  result
    x: 1  # one
    # Above y.
    y: 2

run C child
  args
    x: 1  # one
  end

# At the end.
)";
  std::string once = Fmt(text);
  EXPECT_EQ(once, expected);
  EXPECT_EQ(Fmt(once), once);
}

TEST(DslFormat, CommentsOfStatementsTheCanonicalFormLeavesOutMoveToTheNextOne) {
  // `next B` to the following state is not printed; `args $` of a run is the default.
  const char* text = R"(pass A
  next B  # to B
  # dangling

pass B
  end
)";
  EXPECT_EQ(Fmt(text), "pass A\n\n# to B\n# dangling\npass B\n  end\n");
}

TEST(DslFormat, CommentsInsideBracketsGoAboveTheirStatement) {
  const char* text = "pass A\n  result\n    y: [1,  # first\n        2]\n  end\n";
  std::string once = Fmt(text);
  EXPECT_EQ(once, "pass A\n  result\n    # first\n    y: [1, 2]\n  end\n");
  EXPECT_EQ(Fmt(once), once);
}

TEST(DslFormat, ACommentNeverBecomesADocComment) {
  // An end-of-line '##' comment that must move to a line of its own.
  EXPECT_EQ(Fmt("pass A\n  next B  ## to B\npass B\n  end\n"),
            "pass A\n\n# ## to B\npass B\n  end\n");
}

TEST(DslFormat, JsonataTokensKeepTheirHashes) {
  const char* text = R"(pass P
  query jsonata
  # Above the output.
  output {% $states.input.items#$i[$i > 0] %}  # after
  end
)";
  EXPECT_EQ(Fmt(text), text);
}

TEST(DslFormat, AFileWithoutCommentsFormatsAsThePrinterPrints) {
  const char* text = "pass A\n    result   {b: 1,   a: \"x\"}\n    end\n";
  FlowOptions options;
  options.resolve_imports = false;
  FlowResult r = LoadFlow(text, "t.flow", options);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Fmt(text), *PrintFlow(r.asl));
}

}  // namespace
}  // namespace fleetflow::definition::dsl
