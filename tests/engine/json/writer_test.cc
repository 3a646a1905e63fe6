#include "engine/json/writer.h"

#include <gtest/gtest.h>

#include <limits>

namespace fleetflow::json {
namespace {

TEST(Writer, PlacesCommasBetweenMembersAndItems) {
  std::string out;
  Writer w(out);
  w.BeginObject();
  w.Key("a").Int(-1);
  w.Key("b").BeginArray();
  w.UInt(std::numeric_limits<uint64_t>::max());
  w.BeginArray();
  w.EndArray();
  w.BeginObject();
  w.EndObject();
  w.Bool(false);
  w.EndArray();
  w.Key("c").String("x");
  w.EndObject();
  EXPECT_EQ(out, R"({"a":-1,"b":[18446744073709551615,[],{},false],"c":"x"})");
}

TEST(Writer, EscapesDataKeysAndStrings) {
  std::string out;
  Writer w(out);
  w.BeginObject();
  w.QuotedKey("to\"ken").String("line\nbreak");
  w.EndObject();
  EXPECT_EQ(out, "{\"to\\\"ken\":\"line\\nbreak\"}");
}

TEST(Writer, WritesValuesAsSerializeDoes) {
  auto parsed = Parse(R"({"k":[1.0,2.5e10,"é",null],"o":{}})");
  ASSERT_TRUE(parsed.ok());
  std::string out;
  Writer w(out);
  w.BeginArray();
  w.Json(*parsed);
  w.Json(parsed->get_object());
  w.Double(0.5);
  w.EndArray();
  std::string once = Serialize(*parsed);
  EXPECT_EQ(out, "[" + once + "," + once + ",0.5]");
  // What it writes parses back to the same value.
  auto again = Parse(out);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(Equal(again->get_array()[0], *parsed));
}

}  // namespace
}  // namespace fleetflow::json
