// Durable throughput of the engine over a real store, and the store's own
// ceiling measured in the same run.
//
// durable_bench transitions STORE_URL
//     Pass chains at 1, 16 and 256 concurrent executions
// durable_bench ceiling STORE_URL BYTES
//     batched inserts of BYTES-sized rows (100 per transaction)
// durable_bench waiting STORE_URL N
//     N executions waiting on task tokens: RSS, resume time
// durable_bench map STORE_URL
//     one Map of 250, 1,000 and 3,500 task iterations: time per item
//
// STORE_URL is sqlite:PATH (synchronous=FULL) or postgresql://... (run it
// with synchronous_commit=on, the default). See docs/benchmarks.md.

#include <malloc.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <fstream>
#include <future>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/common/log.h"
#include "engine/common/strings.h"
#include "engine/definition/loader.h"
#include "engine/runtime/durable/engine.h"
#include "engine/store/postgres/postgres_database.h"
#include "engine/store/sqlite/sqlite_database.h"
#include "engine/store/store.h"

namespace fleetflow {
namespace {

using runtime::durable::Engine;
using runtime::durable::StartRequest;

double RssMiB() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return 0;
}

std::string PassChain(int length) {
  std::string states;
  for (int i = 0; i < length; ++i) {
    if (i > 0) states += ",";
    states += StrCat("\"S", i, "\":{\"Type\":\"Pass\",\"Result\":", i, ",\"ResultPath\":\"$.s\",",
                     i + 1 < length ? StrCat("\"Next\":\"S", i + 1, "\"") : "\"End\":true", "}");
  }
  return StrCat("{\"StartAt\":\"S0\",\"States\":{", states, "}}");
}

// Stores a machine and returns a StartRequest template for it.
StartRequest Define(store::Store& store, Engine& engine, const std::string& name,
                    const std::string& asl) {
  definition::LoadResult loaded = definition::LoadAsl(asl);
  if (!loaded.ok()) {
    std::cerr << "bad machine: " << loaded.errors[0].message << "\n";
    std::exit(2);
  }
  store::MachineRecord m;
  m.arn = "arn:fleetflow:states:local:stateMachine:" + name;
  m.name = name;
  m.definition = asl;
  m.definition_id = "bench-" + name;
  m.revision_id = "r";
  m.created = m.updated = absl::Now();
  (void)store.CreateMachine(m);
  engine.machines().Put(m.definition_id, loaded.machine);
  StartRequest r;
  r.machine_arn = m.arn;
  r.machine_name = name;
  r.definition_id = m.definition_id;
  r.input = "{\"robot\":\"vac-000417\",\"battery\":87}";
  return r;
}

// Keeps `concurrency` starts in flight for `seconds`; each start runs a
// whole Pass chain in one committed step.
void Transitions(store::Store& store, const std::string& label) {
  runtime::ResourceRegistry resources;
  runtime::RealClock clock;
  Engine engine(store, resources, clock);
  (void)engine.Start();
  constexpr int kLength = 20;
  StartRequest request = Define(store, engine, "chain", PassChain(kLength));
  for (int concurrency : {1, 16, 256}) {
    std::atomic<int64_t> next{0}, done{0};
    std::atomic<bool> stop{false};
    std::mutex mu;
    std::condition_variable cv;
    int in_flight = 0;
    runtime::durable::EngineStats before = engine.stats();
    absl::Time start = absl::Now();
    std::function<void()> launch = [&] {
      StartRequest r = request;
      r.name = StrCat("c", concurrency, "-", next++);
      engine.StartExecution(std::move(r), [&](absl::StatusOr<store::ExecutionRecord> row) {
        if (!row.ok()) std::cerr << row.status() << "\n";
        ++done;
        if (!stop) return launch();
        std::lock_guard lock(mu);
        --in_flight;
        cv.notify_all();
      });
    };
    in_flight = concurrency;
    for (int i = 0; i < concurrency; ++i) launch();
    absl::SleepFor(absl::Seconds(5));
    stop = true;
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return in_flight == 0; });
    }
    double seconds = absl::ToDoubleSeconds(absl::Now() - start);
    runtime::durable::EngineStats after = engine.stats();
    double transitions = static_cast<double>(after.transitions - before.transitions);
    double commits = static_cast<double>(after.commits.commits - before.commits.commits);
    double steps = static_cast<double>(after.steps - before.steps);
    std::printf(
        "%s  concurrency %3d: %8.0f transitions/s  %7.0f executions/s  %6.0f commits/s"
        "  %5.1f steps per commit\n",
        label.c_str(), concurrency, transitions / seconds, done / seconds, commits / seconds,
        commits > 0 ? steps / commits : 0.0);
    std::fflush(stdout);
  }
  engine.Shutdown();
}

// The store's own ceiling: 100 rows of `bytes` each per transaction, through
// the same client library (SQLite's C API / libpqxx) as the store.
void Ceiling(const std::string& url, int bytes) {
  std::unique_ptr<store::SqlDatabase> db;
  if (url.rfind("sqlite:", 0) == 0) {
    db = std::move(*store::OpenSqliteDatabase({url.substr(7)}));
  } else {
    db = std::move(*store::OpenPostgresDatabase({url}));
  }
  (void)db->Transaction(true, [](store::SqlConnection& c) {
    return c
        .Execute("CREATE TABLE IF NOT EXISTS bench_rows (k TEXT PRIMARY KEY, v TEXT NOT NULL)", {})
        .status();
  });
  std::string payload(bytes, 'x');
  for (int per_txn : {1, 100}) {
    int64_t rows = 0;
    absl::Time start = absl::Now();
    std::vector<std::string> keys(per_txn);
    while (absl::Now() - start < absl::Seconds(3)) {
      std::string sql = "INSERT INTO bench_rows (k, v) VALUES ";
      std::vector<store::SqlParam> params;
      for (int i = 0; i < per_txn; ++i) {
        keys[i] = StrCat("r", bytes, "-", per_txn, "-", rows + i);
        if (i > 0) sql += ", ";
        StrAppend(&sql, "($", 2 * i + 1, ", $", 2 * i + 2, ")");
        params.push_back(store::SqlParam::Text(keys[i]));
        params.push_back(store::SqlParam::Text(payload));
      }
      absl::Status s = db->Transaction(
          true, [&](store::SqlConnection& c) { return c.Execute(sql, params).status(); });
      if (!s.ok()) {
        std::cerr << s << "\n";
        return;
      }
      rows += per_txn;
    }
    double seconds = absl::ToDoubleSeconds(absl::Now() - start);
    std::printf(
        "ceiling  %3d rows of %d bytes per transaction: %8.0f rows/s  %7.0f transactions/s\n",
        per_txn, bytes, rows / seconds, rows / seconds / per_txn);
    std::fflush(stdout);
  }
}

// Starts `n` executions that each wait on a task token, then measures the
// process's memory and how long one takes to resume when its token arrives.
void Waiting(store::Store& store, int64_t n) {
  runtime::ResourceRegistry resources;
  class Silent : public runtime::TaskHandler {
   public:
    void Invoke(const runtime::DispatchTask&, runtime::TaskCallback done) override {
      done(json::Value());
    }
  };
  resources.Register("bench:callback", std::make_shared<Silent>());
  runtime::RealClock clock;
  Engine engine(store, resources, clock);
  (void)engine.Start();
  StartRequest request = Define(store, engine, "waiter",
                                R"({"StartAt":"Await","States":{"Await":{"Type":"Task",)"
                                R"("Resource":"bench:callback.waitForTaskToken","Next":"Done"},)"
                                R"("Done":{"Type":"Pass","End":true}}})");
  double rss_before = RssMiB();
  std::atomic<int64_t> next{0}, done{0};
  std::mutex mu;
  std::condition_variable cv;
  absl::Time start = absl::Now();
  constexpr int kInFlight = 512;
  std::function<void()> launch = [&] {
    int64_t i = next++;
    if (i >= n) return;
    StartRequest r = request;
    r.name = StrCat("w", i);
    engine.StartExecution(std::move(r), [&](absl::StatusOr<store::ExecutionRecord> row) {
      if (!row.ok()) std::cerr << row.status() << "\n";
      int64_t finished = ++done;
      if (finished % 100000 == 0) {
        std::fprintf(stderr, "  %lld started, %.0f/s, RSS %.0f MiB\n",
                     static_cast<long long>(finished),
                     finished / absl::ToDoubleSeconds(absl::Now() - start), RssMiB());
      }
      if (finished == n) {
        std::lock_guard lock(mu);
        cv.notify_all();
      }
      launch();
    });
  };
  for (int i = 0; i < kInFlight; ++i) launch();
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return done.load() == n; });
  }
  double start_seconds = absl::ToDoubleSeconds(absl::Now() - start);
  absl::SleepFor(absl::Seconds(2));  // let the last callbacks (TaskStarted steps) commit
  malloc_trim(0);
  double rss = RssMiB();
  std::printf(
      "waiting  %lld executions started in %.1f s (%.0f/s); RSS %.0f MiB (%.0f MiB before,"
      " %.0f bytes per waiting execution)\n",
      static_cast<long long>(n), start_seconds, n / start_seconds, rss, rss_before,
      (rss - rss_before) * 1024 * 1024 / n);
  // Resume one: its token is in its task row.
  auto row =
      store.GetExecution("arn:fleetflow:states:local:execution:waiter:w" + std::to_string(n / 2));
  auto tasks = row.ok() ? store.PendingIntegrationTasks("", 1)
                        : absl::StatusOr<std::vector<store::TaskRecord>>();
  std::string token =
      "arn:fleetflow:states:local:execution:waiter:w" + std::to_string(n / 2) + "#1#";
  // The token's secret part is random: read it from the row's state.
  auto found =
      store.GetExecution("arn:fleetflow:states:local:execution:waiter:w" + std::to_string(n / 2));
  if (found.ok()) {
    size_t at = found->state.find(token);
    if (at != std::string::npos) token = found->state.substr(at, token.size() + 16);
  }
  absl::Time t0 = absl::Now();
  std::promise<absl::Status> resumed;
  engine.Send(found->arn, runtime::TaskSucceededEvent{token, json::Value(1)},
              [&](absl::Status s) { resumed.set_value(s); });
  absl::Status s = resumed.get_future().get();
  std::printf("waiting  resume one execution by its token: %.2f ms (%s)\n",
              absl::ToDoubleMilliseconds(absl::Now() - t0),
              s.ok() ? "ok" : std::string(s.message()).c_str());
  engine.Shutdown();
}

// A resource that answers every task from a thread of its own, one at a
// time, as remote workers would.
class Immediate : public runtime::TaskHandler {
 public:
  Immediate()
      : thread_([this] {
          std::unique_lock lock(mu_);
          while (true) {
            cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
            if (queue_.empty()) return;
            runtime::TaskCallback done = std::move(queue_.front());
            queue_.pop_front();
            lock.unlock();
            done(json::Value(1));
            lock.lock();
          }
        }) {}
  ~Immediate() override {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }
  void Invoke(const runtime::DispatchTask&, runtime::TaskCallback done) override {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(done));
    cv_.notify_one();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<runtime::TaskCallback> queue_;
  bool stop_ = false;
  std::thread thread_;
};

// One execution whose Map runs `items` iterations of one Task each, 40 at a
// time: every answered task is a committed step that writes the execution's
// state, and the Map's items and results live in that state.
void MapItems(store::Store& store, int items) {
  runtime::ResourceRegistry resources;
  resources.Register("bench:now", std::make_shared<Immediate>());
  runtime::RealClock clock;
  Engine engine(store, resources, clock);
  (void)engine.Start();
  StartRequest request = Define(store, engine, "fleet", R"({"StartAt":"Each","States":{
    "Each":{"Type":"Map","ItemsPath":"$.robots","MaxConcurrency":40,"End":true,
      "ItemProcessor":{"StartAt":"Update","States":{
        "Update":{"Type":"Task","Resource":"bench:now","End":true}}}}}})");
  std::string robots;
  for (int i = 0; i < items; ++i) {
    robots += StrCat(i ? "," : "", "{\"robot\":\"vac-", 100000 + i, "\",\"firmware\":\"4.2.1\"}");
  }
  request.input = StrCat("{\"robots\":[", robots, "]}");
  request.name = StrCat("map-", items, "-", absl::ToUnixMicros(absl::Now()));
  std::mutex mu;
  std::condition_variable cv;
  bool ended = false;
  std::string status, events;
  engine.AddCommitObserver([&](const store::ExecutionRecord& row) {
    if (row.status == store::ExecutionStatus::kRunning) return;
    std::lock_guard lock(mu);
    ended = true;
    status = store::ExecutionStatusName(row.status);
    events = std::to_string(row.last_event_id);
    if (!row.error.empty()) status += " (" + row.error + ")";
    cv.notify_all();
  });
  runtime::durable::EngineStats before = engine.stats();
  absl::Time start = absl::Now();
  engine.StartExecution(std::move(request), [](absl::StatusOr<store::ExecutionRecord> row) {
    if (!row.ok()) std::cerr << row.status() << "\n";
  });
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return ended; });
  }
  double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  runtime::durable::EngineStats after = engine.stats();
  std::printf(
      "map  %6d items: %7.2f s  %7.0f items/s  %6.0f us per item  %llu steps  %s events  %s\n",
      items, seconds, items / seconds, seconds * 1e6 / items,
      static_cast<unsigned long long>(after.steps - before.steps), events.c_str(), status.c_str());
  std::fflush(stdout);
  engine.Shutdown();
}

}  // namespace
}  // namespace fleetflow

int main(int argc, char** argv) {
  using namespace fleetflow;
  SetLogLevel(LogLevel::kWarning);
  std::string mode = argc > 1 ? argv[1] : "";
  if (argc < 3 ||
      (mode != "transitions" && mode != "ceiling" && mode != "waiting" && mode != "map")) {
    std::cerr << "usage: durable_bench transitions|ceiling|waiting|map STORE_URL [BYTES|N]\n";
    return 2;
  }
  std::string url = argv[2];
  if (mode == "ceiling") {
    Ceiling(url, argc > 3 ? std::atoi(argv[3]) : 1000);
    return 0;
  }
  auto store = store::OpenStore(url);
  if (!store.ok()) {
    std::cerr << store.status() << "\n";
    return 1;
  }
  if (mode == "transitions") Transitions(**store, url.substr(0, url.find(':')));
  if (mode == "waiting") Waiting(**store, argc > 3 ? std::atoll(argv[3]) : 1000000);
  if (mode == "map") {
    for (int items : {250, 1000, 3500}) MapItems(**store, items);
  }
  return 0;
}
