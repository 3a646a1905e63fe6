#include <gtest/gtest.h>

#include "engine/json/json.h"

namespace fleetflow::json {
namespace {

Value P(std::string_view text) { return *Parse(text); }

TEST(Serialize, IsCompactAndKeepsKeyOrder) {
  EXPECT_EQ(Serialize(P(R"({ "b": 1, "a": [true, null, "x"] })")),
            R"({"b":1,"a":[true,null,"x"]})");
}

TEST(Serialize, PrintsDoublesAsJavaDoes) {
  EXPECT_EQ(Serialize(P("1.5")), "1.5");
  EXPECT_EQ(Serialize(P("1.0")), "1.0");
  EXPECT_EQ(Serialize(P("0.001")), "0.001");
  EXPECT_EQ(Serialize(P("1e7")), "1.0E7");
  EXPECT_EQ(Serialize(P("-2.5e-5")), "-2.5E-5");
  EXPECT_EQ(Serialize(P("123456.25")), "123456.25");
}

TEST(Serialize, EscapesOnlyWhatJsonRequires) {
  EXPECT_EQ(Serialize(Value("a\"b\\c\n\x01/é")), "\"a\\\"b\\\\c\\n\\u0001/é\"");
}

TEST(Serialize, SizeMatchesTheText) {
  for (const char* text : {R"({"a":[1,2.5,"x\ny"],"b":{"c":null}})", "[]", "\"\\u0002\"", "-0.0"}) {
    Value v = P(text);
    EXPECT_EQ(SerializedSize(v), Serialize(v).size()) << text;
  }
}

TEST(Parse, ReportsLineAndColumn) {
  auto r = Parse("{\n  \"a\": tru\n}");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(std::string(r.status().message()).find("JSON 2:"), std::string::npos) << r.status();
}

TEST(Parse, RejectsTrailingText) {
  EXPECT_FALSE(Parse("{} x").ok());
  EXPECT_TRUE(Parse("{}  \n").ok());
}

TEST(Equal, ComparesNumbersByValue) {
  EXPECT_TRUE(Equal(P("[1, {\"a\": 2.0}]"), P("[1.0, {\"a\": 2}]")));
  EXPECT_FALSE(Equal(P("[1]"), P("[1, 2]")));
  EXPECT_FALSE(Equal(P("\"1\""), P("1")));
}

}  // namespace
}  // namespace fleetflow::json
