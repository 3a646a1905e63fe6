// Every file in tests/engine/definition/invalid/ is a malformed definition
// with the exact errors (JSON pointer and message) the loader must report.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/definition/loader.h"
#include "engine/json/json.h"

namespace fleetflow::definition {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> CaseFiles() {
  std::vector<fs::path> files;
  for (const auto& entry :
       fs::directory_iterator(fs::path(FLEETFLOW_SOURCE_DIR) / "tests/engine/definition/invalid")) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

class InvalidDefinition : public testing::TestWithParam<fs::path> {};

TEST_P(InvalidDefinition, ReportsExactlyTheExpectedErrors) {
  std::ifstream in(GetParam());
  std::stringstream text;
  text << in.rdbuf();
  auto doc = json::Parse(text.str());
  ASSERT_TRUE(doc.ok()) << doc.status();
  const json::Object& c = doc->as_object();
  LoadResult result = c.at("definition").is_string()
                          ? LoadAsl(std::string(c.at("definition").get_string()))
                          : LoadAslDocument(c.at("definition"));
  std::vector<std::pair<std::string, std::string>> got, want;
  for (const Diagnostic& d : result.errors) got.emplace_back(d.location, d.message);
  for (const json::Value& e : c.at("errors").as_array()) {
    want.emplace_back(std::string(e.at("pointer").as_string()),
                      std::string(e.at("message").as_string()));
  }
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(got, want);
}

std::string CaseName(const testing::TestParamInfo<fs::path>& info) {
  std::string name = info.param.stem().string();
  for (char& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Files, InvalidDefinition, testing::ValuesIn(CaseFiles()), CaseName);

TEST(InvalidDefinitionCorpus, HasAtLeastSixtyCases) { EXPECT_GE(CaseFiles().size(), 60u); }

}  // namespace
}  // namespace fleetflow::definition
