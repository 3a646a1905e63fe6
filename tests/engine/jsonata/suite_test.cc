// Runs JSONata's own test suite (suite/, MIT, from jsonata-js) case by case:
// each case's result, undefined result or error code must match. No case is
// skipped.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "engine/jsonata/jsonata.h"

namespace fleetflow::jsonata {
namespace {

namespace fs = std::filesystem;

const fs::path kSuite = fs::path(FLEETFLOW_SOURCE_DIR) / "tests/engine/jsonata/suite";

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool SameJson(const json::Value& a, const json::Value& b, bool unordered) {
  if (json::IsNumber(a) && json::IsNumber(b)) {
    double x = json::AsDouble(a), y = json::AsDouble(b);
    return x == y || std::fabs(x - y) <= 1e-13 * std::max(std::fabs(x), std::fabs(y));
  }
  if (a.kind() != b.kind()) return false;
  if (a.is_array()) {
    const auto& x = a.get_array();
    const auto& y = b.get_array();
    if (x.size() != y.size()) return false;
    if (!unordered) {
      for (size_t i = 0; i < x.size(); ++i)
        if (!SameJson(x[i], y[i], false)) return false;
      return true;
    }
    std::vector<bool> used(y.size());
    for (const auto& item : x) {
      bool found = false;
      for (size_t j = 0; j < y.size() && !found; ++j) {
        if (!used[j] && SameJson(item, y[j], false)) used[j] = found = true;
      }
      if (!found) return false;
    }
    return true;
  }
  if (a.is_object()) {
    const auto& x = a.get_object();
    const auto& y = b.get_object();
    if (x.size() != y.size()) return false;
    for (const auto& kv : x) {
      auto it = y.find(kv.key());
      if (it == y.end() || !SameJson(kv.value(), it->value(), false)) return false;
    }
    return true;
  }
  return a == b;
}

// Two cases hold a lone surrogate ("\ud800"), which Boost.JSON rejects; keep
// it as the WTF-8 bytes the engine uses for such strings.
absl::StatusOr<json::Value> ParseWithLoneSurrogates(std::string raw) {
  for (const char* escape : {"\\ud800", "\\uD800"})
    for (size_t p = raw.find(escape); p != std::string::npos; p = raw.find(escape))
      raw.replace(p, 6, "\xED\xA0\x80");
  boost::json::parse_options options;
  options.allow_invalid_utf8 = true;
  boost::system::error_code ec;
  json::Value v = boost::json::parse(raw, ec, {}, options);
  if (ec) return absl::InvalidArgumentError(ec.message());
  return v;
}

struct Case {
  std::string name;
  json::Object spec;
  fs::path dir;
};

std::vector<Case> LoadGroup(const std::string& group) {
  std::vector<Case> cases;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(kSuite / "groups" / group))
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    std::string raw = ReadFile(file);
    auto parsed = json::Parse(raw);
    if (!parsed.ok()) parsed = ParseWithLoneSurrogates(raw);
    if (!parsed.ok()) {
      ADD_FAILURE() << file << ": " << parsed.status();
      continue;
    }
    std::string stem = file.stem().string();
    if (parsed->is_array()) {
      int i = 0;
      for (const auto& c : parsed->get_array())
        cases.push_back({group + "/" + stem + "[" + std::to_string(i++) + "]", c.get_object(),
                         file.parent_path()});
    } else {
      cases.push_back({group + "/" + stem, parsed->get_object(), file.parent_path()});
    }
  }
  return cases;
}

const json::Value* Dataset(const std::string& name) {
  static auto* cache = new std::map<std::string, json::Value>;
  auto it = cache->find(name);
  if (it == cache->end()) {
    auto parsed = json::Parse(ReadFile(kSuite / "datasets" / (name + ".json")));
    it = cache->emplace(name, parsed.ok() ? *parsed : json::Value()).first;
  }
  return &it->second;
}

// Returns "" when the case passes, else what went wrong.
std::string RunCase(const Case& c) {
  const json::Object& spec = c.spec;
  std::string text;
  if (auto* e = spec.if_contains("expr")) {
    text = std::string(e->get_string());
  } else {
    text = ReadFile(c.dir / std::string(spec.at("expr-file").get_string()));
  }
  std::string want_code;
  if (auto* code = spec.if_contains("code")) want_code = std::string(code->get_string());
  if (auto* err = spec.if_contains("error")) want_code = std::string(err->at("code").get_string());

  Error compile_error;
  auto compiled = Compile(text, &compile_error);
  if (!compiled.ok()) {
    if (want_code == compile_error.code) return "";
    return "compile error " + compile_error.code + " (" + compile_error.message + "), want " +
           (want_code.empty() ? "a result" : want_code);
  }
  const json::Value* input = nullptr;
  json::Value data;
  if (auto* d = spec.if_contains("data")) {
    data = *d;
    input = &data;
  } else if (auto* ds = spec.if_contains("dataset"); ds && ds->is_string()) {
    input = Dataset(std::string(ds->get_string()));
  }
  Bindings bindings;
  if (auto* b = spec.if_contains("bindings"); b && b->is_object())
    for (const auto& kv : b->get_object()) bindings.Set(std::string(kv.key()), kv.value());
  EvalOptions options;
  if (auto* t = spec.if_contains("timelimit"))
    options.timeout = absl::Milliseconds(json::AsDouble(*t));
  if (auto* d = spec.if_contains("depth")) options.max_depth = static_cast<int>(json::AsDouble(*d));
  Evaluation r = (*compiled)->Evaluate(input, bindings, options);
  if (!r.ok()) {
    if (want_code == r.error->code) return "";
    return "error " + r.error->code + " (" + r.error->message + "), want " +
           (want_code.empty() ? "a result" : want_code);
  }
  std::string got = r.value ? json::Serialize(*r.value) : "undefined";
  if (!want_code.empty()) return "got " + got + ", want error " + want_code;
  if (spec.if_contains("undefinedResult")) {
    return r.value ? "got " + got + ", want undefined" : "";
  }
  const json::Value* want = spec.if_contains("result");
  if (!want) return "case has no expectation";
  bool unordered = spec.if_contains("unordered") && spec.at("unordered").as_bool();
  if (r.value && SameJson(*r.value, *want, unordered)) return "";
  return "got " + got + ", want " + json::Serialize(*want);
}

std::vector<std::string> Groups() {
  std::vector<std::string> groups;
  for (const auto& entry : fs::directory_iterator(kSuite / "groups"))
    groups.push_back(entry.path().filename().string());
  std::sort(groups.begin(), groups.end());
  return groups;
}

// Counts over every group run, printed once at the end.
struct Tally {
  int cases = 0;
  int failed = 0;
};

Tally& Totals() {
  static Tally tally;
  return tally;
}

class Summary : public ::testing::Environment {
 public:
  void TearDown() override {
    std::printf("JSONata suite: %d cases, %d passed, %d failed\n", Totals().cases,
                Totals().cases - Totals().failed, Totals().failed);
  }
};

[[maybe_unused]] const auto* const kSummary = ::testing::AddGlobalTestEnvironment(new Summary);

class SuiteTest : public ::testing::TestWithParam<std::string> {};

TEST_P(SuiteTest, Group) {
  for (const Case& c : LoadGroup(GetParam())) {
    std::string problem = RunCase(c);
    std::string expr = c.spec.if_contains("expr") ? json::Serialize(c.spec.at("expr")) : "(file)";
    ++Totals().cases;
    if (problem.empty()) continue;
    ++Totals().failed;
    ADD_FAILURE() << "CASE " << c.name << ": " << problem << " EXPR " << expr;
  }
}

std::string GroupName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& ch : name)
    if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Jsonata, SuiteTest, ::testing::ValuesIn(Groups()), GroupName);

}  // namespace
}  // namespace fleetflow::jsonata
