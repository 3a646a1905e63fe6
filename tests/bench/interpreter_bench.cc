// Interpreter throughput, in memory, history on, one thread.
//   (a) a chain of 100 Pass states with Parameters
//   (b) a Map over 1,000 items whose iterator is one Pass with Parameters
//   (c) a Choice loop counting to 1,000 with States.MathAdd
// Run: build/tests/bench/interpreter_bench   (docs/benchmarks.md has the figures)

#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <string>

#include "engine/common/strings.h"
#include "engine/definition/loader.h"
#include "engine/runtime/interpreter.h"

namespace fleetflow::runtime {
namespace {

definition::MachinePtr Load(const std::string& text) {
  auto loaded = definition::LoadAsl(text);
  if (!loaded.ok()) {
    fprintf(stderr, "bad definition: %s %s\n", loaded.errors[0].location.c_str(),
            loaded.errors[0].message.c_str());
    abort();
  }
  return loaded.machine;
}

std::string PassChain(int n) {
  std::string states;
  for (int i = 0; i < n; ++i) {
    states += StrCat(
        i ? "," : "", "\"S", i, "\":{\"Type\":\"Pass\",\"Parameters\":{\"robot.$\":\"$.robot\",",
        "\"step\":", i, ",\"battery.$\":\"$.battery\"},",
        i + 1 < n ? StrCat("\"Next\":\"S", i + 1, "\"") : std::string("\"End\":true"), "}");
  }
  return StrCat("{\"StartAt\":\"S0\",\"States\":{", states, "}}");
}

constexpr char kMap[] = R"({"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items",
  "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass",
    "Parameters":{"room.$":"$.room","cleaned":true},"End":true}}},"End":true}}})";

constexpr char kLoop[] = R"json({"StartAt":"Init","States":{
  "Init":{"Type":"Pass","Result":{"n":0},"Next":"Check"},
  "Check":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericLessThan":1000,"Next":"Inc"}],"Default":"Done"},
  "Inc":{"Type":"Pass","Parameters":{"n.$":"States.MathAdd($.n, 1)"},"Next":"Check"},
  "Done":{"Type":"Succeed"}}})json";

void RunOnce(benchmark::State& state, const definition::MachinePtr& machine,
             const json::ValuePtr& input) {
  Interpreter interpreter(machine);
  ExecutionIdentity identity{"bench", "Bench", 1};
  absl::Time now = absl::FromUnixSeconds(1'700'000'000);
  uint64_t transitions = 0, events = 0;
  for (auto _ : state) {
    ExecutionState s;
    Decision d = interpreter.Start(s, identity, input, now);
    if (s.status != ExecutionStatus::kSucceeded) state.SkipWithError("execution did not succeed");
    transitions += d.transitions;
    events += d.history.size();
    benchmark::DoNotOptimize(d);
  }
  state.counters["transitions/s"] =
      benchmark::Counter(static_cast<double>(transitions), benchmark::Counter::kIsRate);
  state.counters["events/s"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  state.counters["peak_rss_MiB"] = static_cast<double>(usage.ru_maxrss) / 1024.0;
}

void BM_PassChain100(benchmark::State& state) {
  RunOnce(state, Load(PassChain(100)),
          json::Share(*json::Parse(R"({"robot":"r-17","battery":82})")));
}
BENCHMARK(BM_PassChain100)->Unit(benchmark::kMicrosecond);

void BM_Map1000(benchmark::State& state) {
  json::Array items;
  for (int i = 0; i < 1000; ++i) items.emplace_back(json::Object{{"room", i}});
  RunOnce(state, Load(kMap), json::Share(json::Object{{"items", std::move(items)}}));
}
BENCHMARK(BM_Map1000)->Unit(benchmark::kMicrosecond);

void BM_ChoiceLoop1000(benchmark::State& state) {
  RunOnce(state, Load(kLoop), json::Share(json::Object()));
}
BENCHMARK(BM_ChoiceLoop1000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace fleetflow::runtime

BENCHMARK_MAIN();
