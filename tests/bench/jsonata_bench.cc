// Evaluations per second of typical JSONata expressions over a mission-shaped
// document (1,000 rooms). The document is parsed once; each iteration
// evaluates against it without copying it.
#include <benchmark/benchmark.h>

#include <string>

#include "engine/json/json.h"
#include "engine/jsonata/jsonata.h"

namespace json = fleetflow::json;
namespace jsonata = fleetflow::jsonata;

namespace {

const json::Value& Mission() {
  static const json::Value* doc = [] {
    json::Array rooms;
    for (int i = 0; i < 1000; ++i) {
      json::Object room;
      room["id"] = "room-" + std::to_string(i);
      room["floor"] = i % 7;
      room["area"] = 8.5 + (i % 40) * 1.25;
      room["status"] = i % 3 == 0 ? "dirty" : "clean";
      room["tags"] = json::Array{"wet", i % 2 ? "carpet" : "tile"};
      rooms.push_back(json::Value(std::move(room)));
    }
    json::Object mission;
    mission["missionId"] = "m-000417";
    mission["robot"] = json::Object{{"id", "vac-000417"}, {"battery", 83}};
    mission["rooms"] = std::move(rooms);
    return new json::Value(std::move(mission));
  }();
  return *doc;
}

void Run(benchmark::State& state, const char* text) {
  auto expr = jsonata::Compile(text);
  if (!expr.ok()) {
    state.SkipWithError(std::string(expr.status().message()).c_str());
    return;
  }
  const json::Value& doc = Mission();
  for (auto _ : state) {
    jsonata::Evaluation r = (*expr)->Evaluate(doc);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_FilterSum(benchmark::State& s) { Run(s, "$sum(rooms[status = 'dirty'].area)"); }
void BM_GroupBy(benchmark::State& s) { Run(s, "rooms{$string(floor): $sum(area)}"); }
void BM_Reduce(benchmark::State& s) {
  Run(s, "$reduce(rooms, function($acc, $r) { $acc + ($r.status = 'dirty' ? 1 : 0) }, 0)");
}
void BM_MapObjects(benchmark::State& s) {
  Run(s, "rooms[floor = 2].{ 'id': id, 'm2': $round(area, 1), 'wet': 'wet' in tags }");
}
void BM_SimpleField(benchmark::State& s) { Run(s, "robot.battery > 20 ? missionId : 'low'"); }

BENCHMARK(BM_FilterSum);
BENCHMARK(BM_GroupBy);
BENCHMARK(BM_Reduce);
BENCHMARK(BM_MapObjects);
BENCHMARK(BM_SimpleField);

}  // namespace

BENCHMARK_MAIN();
