// The Store contract (engine/store/store.h), run against every store kind:
// the same tests for SQLite and PostgreSQL.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "tests/engine/store/store_test_env.h"

namespace fleetflow::store {
namespace {

using ::testing::ElementsAre;

const absl::Time kT0 = absl::FromUnixSeconds(1'800'000'000);

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    env_ = std::make_unique<testing::StoreEnv>(GetParam());
    if (!env_->Available()) GTEST_SKIP() << "FLEETFLOW_TEST_PG_URL is not set (tests/run sets it)";
    auto opened = env_->Open();
    ASSERT_TRUE(opened.ok()) << opened.status();
    store_ = std::move(*opened);
  }

  MachineRecord Machine(const std::string& name, const std::string& definition = "{}") {
    MachineRecord m;
    m.arn = "arn:machine:" + name;
    m.name = name;
    m.definition = definition;
    m.definition_id = "sha-" + definition;
    m.role_arn = "role";
    m.revision_id = "rev-" + definition;
    m.created = m.updated = kT0;
    return m;
  }

  Transition NewExecution(const std::string& name, absl::Time start = kT0) {
    Transition t;
    ExecutionRecord& e = t.execution;
    e.arn = "arn:execution:m:" + name;
    e.machine_arn = "arn:machine:m";
    e.name = name;
    e.definition_id = "sha-1";
    e.input = R"({"n":1})";
    e.start = start;
    e.state = "state-0";
    e.last_event_id = 2;
    e.partition = PartitionOf(e.arn);
    t.history.push_back({1, 2, R"([{"id":1},{"id":2}])"});
    return t;
  }

  // Commits one transition and returns its own outcome.
  absl::Status CommitOne(const Transition& t) {
    auto outcome = store_->Commit({&t, 1});
    if (!outcome.ok()) return outcome.status();
    return (*outcome)[0];
  }

  std::unique_ptr<testing::StoreEnv> env_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreTest, MigrateTwiceIsHarmless) {
  EXPECT_TRUE(store_->Migrate().ok());
  auto again = env_->Open();
  EXPECT_TRUE(again.ok()) << again.status();
}

TEST_P(StoreTest, MachineCreateGetUpdateDelete) {
  ASSERT_TRUE(store_->CreateMachine(Machine("m", "{\"a\":1}")).ok());
  EXPECT_EQ(store_->CreateMachine(Machine("m")).code(), absl::StatusCode::kAlreadyExists);

  auto got = store_->GetMachine("arn:machine:m");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->name, "m");
  EXPECT_EQ(got->definition, "{\"a\":1}");
  EXPECT_EQ(got->created, kT0);

  MachineRecord changed = Machine("m", "{\"a\":2}");
  changed.updated = kT0 + absl::Seconds(5);
  ASSERT_TRUE(store_->UpdateMachine(changed).ok());
  got = store_->GetMachine("arn:machine:m");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->definition, "{\"a\":2}");
  EXPECT_EQ(got->revision_id, "rev-{\"a\":2}");
  EXPECT_EQ(got->updated, kT0 + absl::Seconds(5));
  EXPECT_EQ(got->created, kT0);
  // The old definition stays readable: executions started on it keep running it.
  auto old = store_->GetDefinition("sha-{\"a\":1}");
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(*old, "{\"a\":1}");

  EXPECT_EQ(store_->UpdateMachine(Machine("nope")).code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(store_->DeleteMachine("arn:machine:m").ok());
  EXPECT_EQ(store_->GetMachine("arn:machine:m").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->DeleteMachine("arn:machine:m").code(), absl::StatusCode::kNotFound);
}

TEST_P(StoreTest, MachinesListInPagesByName) {
  for (const char* name : {"e", "b", "d", "a", "c"}) {
    ASSERT_TRUE(store_->CreateMachine(Machine(name)).ok());
  }
  std::vector<std::string> names;
  PageRequest page{"", 2};
  int pages = 0;
  do {
    auto got = store_->ListMachines(page);
    ASSERT_TRUE(got.ok()) << got.status();
    for (const MachineRecord& m : got->items) names.push_back(m.name);
    page.page_token = got->next_token;
    ++pages;
  } while (!page.page_token.empty());
  EXPECT_THAT(names, ElementsAre("a", "b", "c", "d", "e"));
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(store_->ListMachines({"", 0}).status().code(), absl::StatusCode::kInvalidArgument);
  // A page that ends exactly at the last item says there is no next page.
  auto exact = store_->ListMachines({"c", 2});
  ASSERT_TRUE(exact.ok());
  EXPECT_EQ(exact->items.size(), 2u);
  EXPECT_TRUE(exact->next_token.empty());
}

TEST_P(StoreTest, VersionsFreezeRevisions) {
  ASSERT_TRUE(store_->CreateMachine(Machine("m", "1")).ok());
  auto v1 = store_->PublishVersion("arn:machine:m", "", "first", kT0);
  ASSERT_TRUE(v1.ok()) << v1.status();
  EXPECT_EQ(v1->version, 1);
  // Publishing an unchanged revision returns the same version.
  auto again = store_->PublishVersion("arn:machine:m", "", "again", kT0);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->version, 1);
  EXPECT_EQ(again->description, "first");

  ASSERT_TRUE(store_->UpdateMachine(Machine("m", "2")).ok());
  EXPECT_EQ(store_->PublishVersion("arn:machine:m", "rev-1", "", kT0).status().code(),
            absl::StatusCode::kFailedPrecondition);
  auto v2 = store_->PublishVersion("arn:machine:m", "rev-2", "second", kT0);
  ASSERT_TRUE(v2.ok()) << v2.status();
  EXPECT_EQ(v2->version, 2);

  auto frozen = store_->GetVersion("arn:machine:m", 1);
  ASSERT_TRUE(frozen.ok());
  EXPECT_EQ(frozen->definition, "1");
  EXPECT_EQ(store_->GetVersion("arn:machine:m", 9).status().code(), absl::StatusCode::kNotFound);

  auto list = store_->ListVersions("arn:machine:m", {"", 1});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->items.size(), 1u);
  EXPECT_EQ(list->items[0].version, 2);  // newest first
  auto rest = store_->ListVersions("arn:machine:m", {list->next_token, 10});
  ASSERT_TRUE(rest.ok()) << rest.status();
  ASSERT_EQ(rest->items.size(), 1u);
  EXPECT_EQ(rest->items[0].version, 1);
  EXPECT_TRUE(rest->next_token.empty());
  EXPECT_EQ(store_->ListVersions("arn:machine:m", {"x1", 10}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->PublishVersion("arn:machine:zz", "", "", kT0).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_P(StoreTest, AliasesRouteToVersions) {
  ASSERT_TRUE(store_->CreateMachine(Machine("m", "1")).ok());
  ASSERT_TRUE(store_->PublishVersion("arn:machine:m", "", "", kT0).ok());
  AliasRecord a{
      "arn:machine:m:prod", "arn:machine:m", "prod", "live", {{1, 90}, {2, 10}}, kT0, kT0};
  ASSERT_TRUE(store_->CreateAlias(a).ok());
  EXPECT_EQ(store_->CreateAlias(a).code(), absl::StatusCode::kAlreadyExists);
  auto got = store_->GetAlias(a.arn);
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->routes.size(), 2u);
  EXPECT_EQ(got->routes[0].version, 1);
  EXPECT_EQ(got->routes[0].weight, 90);
  EXPECT_EQ(got->routes[1].version, 2);
  EXPECT_EQ(got->routes[1].weight, 10);

  // A version an alias routes to cannot be deleted.
  EXPECT_EQ(store_->DeleteVersion("arn:machine:m", 1).code(),
            absl::StatusCode::kFailedPrecondition);
  a.routes = {{1, 100}};
  a.description = "all";
  ASSERT_TRUE(store_->UpdateAlias(a).ok());
  got = store_->GetAlias(a.arn);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->description, "all");
  EXPECT_EQ(got->routes.size(), 1u);

  auto list = store_->ListAliases("arn:machine:m", {"", 10});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->items.size(), 1u);
  EXPECT_EQ(list->items[0].name, "prod");
  ASSERT_TRUE(store_->DeleteAlias(a.arn).ok());
  EXPECT_EQ(store_->GetAlias(a.arn).status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(store_->DeleteVersion("arn:machine:m", 1).ok());
}

TEST_P(StoreTest, DeletingAMachineDeletesItsVersionsAndAliases) {
  ASSERT_TRUE(store_->CreateMachine(Machine("m", "1")).ok());
  ASSERT_TRUE(store_->PublishVersion("arn:machine:m", "", "", kT0).ok());
  ASSERT_TRUE(
      store_->CreateAlias({"arn:machine:m:prod", "arn:machine:m", "prod", "", {{1, 100}}, kT0, kT0})
          .ok());
  ASSERT_TRUE(store_->DeleteMachine("arn:machine:m").ok());
  EXPECT_EQ(store_->GetVersion("arn:machine:m", 1).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->GetAlias("arn:machine:m:prod").status().code(), absl::StatusCode::kNotFound);
}

TEST_P(StoreTest, ActivitiesAreIdempotentByName) {
  auto a = store_->CreateActivity({"arn:activity:scan", "scan", kT0});
  ASSERT_TRUE(a.ok()) << a.status();
  auto again = store_->CreateActivity({"arn:activity:scan", "scan", kT0 + absl::Seconds(1)});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->created, kT0);
  ASSERT_TRUE(store_->CreateActivity({"arn:activity:dock", "dock", kT0}).ok());
  auto list = store_->ListActivities({"", 10});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->items.size(), 2u);
  EXPECT_EQ(list->items[0].name, "dock");
  ASSERT_TRUE(store_->DeleteActivity("arn:activity:scan").ok());
  EXPECT_EQ(store_->GetActivity("arn:activity:scan").status().code(), absl::StatusCode::kNotFound);
}

TEST_P(StoreTest, ExecutionInsertThenOptimisticUpdates) {
  Transition start = NewExecution("e1");
  ASSERT_TRUE(CommitOne(start).ok());
  EXPECT_EQ(CommitOne(start).code(), absl::StatusCode::kAlreadyExists);

  auto e = store_->GetExecution(start.execution.arn);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->version, 1);
  EXPECT_EQ(e->status, ExecutionStatus::kRunning);
  EXPECT_EQ(e->input, R"({"n":1})");
  EXPECT_EQ(e->state, "state-0");
  EXPECT_EQ(e->start, kT0);
  EXPECT_EQ(e->stop, absl::InfinitePast());

  Transition step;
  step.execution = *e;
  step.expected_version = 1;
  step.execution.status = ExecutionStatus::kSucceeded;
  step.execution.output = R"({"done":true})";
  step.execution.stop = kT0 + absl::Seconds(3);
  step.execution.state = "state-1";
  step.execution.last_event_id = 4;
  step.history.push_back({3, 4, "[3,4]"});
  ASSERT_TRUE(CommitOne(step).ok());

  // The same step again holds a stale version: rejected, and none of it written.
  step.history[0] = {5, 5, "[5]"};
  EXPECT_EQ(CommitOne(step).code(), absl::StatusCode::kAborted);
  e = store_->GetExecution(start.execution.arn);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->version, 2);
  EXPECT_EQ(e->status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(e->output, R"({"done":true})");
  EXPECT_EQ(e->stop, kT0 + absl::Seconds(3));
  EXPECT_EQ(e->state, "state-1");
  auto history = store_->ReadHistory(start.execution.arn, 0, 10);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[1].events, "[3,4]");

  EXPECT_EQ(store_->GetExecution("arn:execution:m:none").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_P(StoreTest, GroupCommitReportsEachTransition) {
  ASSERT_TRUE(CommitOne(NewExecution("old")).ok());
  std::vector<Transition> batch = {NewExecution("a"), NewExecution("old"), NewExecution("b")};
  Transition stale = NewExecution("old");
  stale.expected_version = 7;
  batch.push_back(stale);
  Transition twice = NewExecution("a");  // a second start of "a" in the same batch
  batch.push_back(twice);
  Transition b_again = NewExecution("b");  // a step of "b" in the batch that starts it
  b_again.expected_version = 1;
  batch.push_back(b_again);
  auto outcome = store_->Commit(batch);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  ASSERT_EQ(outcome->size(), 6u);
  EXPECT_TRUE((*outcome)[0].ok());
  EXPECT_EQ((*outcome)[1].code(), absl::StatusCode::kAlreadyExists);
  EXPECT_TRUE((*outcome)[2].ok());
  EXPECT_EQ((*outcome)[3].code(), absl::StatusCode::kAborted);
  EXPECT_EQ((*outcome)[4].code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ((*outcome)[5].code(), absl::StatusCode::kAborted);
  EXPECT_TRUE(store_->GetExecution("arn:execution:m:b").ok());
  // The rejected insert of "old" added no history.
  auto history = store_->ReadHistory("arn:execution:m:old", 0, 10);
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->size(), 1u);
}

TEST_P(StoreTest, LargeBatchesSpanSeveralStatements) {
  std::vector<Transition> batch;
  for (int i = 0; i < 3000; ++i) batch.push_back(NewExecution("e" + std::to_string(i)));
  auto outcome = store_->Commit(batch);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  for (const absl::Status& s : *outcome) ASSERT_TRUE(s.ok()) << s;
  auto page = store_->ListExecutions({}, {"", 1000});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items.size(), 1000u);
  EXPECT_FALSE(page->next_token.empty());
}

TEST_P(StoreTest, ListExecutionsFiltersAndPages) {
  for (int i = 0; i < 5; ++i) {
    Transition t = NewExecution("e" + std::to_string(i), kT0 + absl::Seconds(i));
    if (i % 2 == 1) t.execution.status = ExecutionStatus::kFailed;
    if (i == 4) t.execution.machine_arn = "arn:machine:other";
    ASSERT_TRUE(CommitOne(t).ok());
  }
  auto all = store_->ListExecutions({}, {"", 2});
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->items.size(), 2u);
  EXPECT_EQ(all->items[0].name, "e4");  // newest first
  EXPECT_EQ(all->items[1].name, "e3");
  EXPECT_TRUE(all->items[0].state.empty());  // summaries carry no state
  auto next = store_->ListExecutions({}, {all->next_token, 10});
  ASSERT_TRUE(next.ok()) << next.status();
  ASSERT_EQ(next->items.size(), 3u);
  EXPECT_EQ(next->items[2].name, "e0");
  EXPECT_TRUE(next->next_token.empty());

  ExecutionFilter failed;
  failed.has_status = true;
  failed.status = ExecutionStatus::kFailed;
  auto f = store_->ListExecutions(failed, {"", 10});
  ASSERT_TRUE(f.ok());
  ASSERT_EQ(f->items.size(), 2u);
  EXPECT_EQ(f->items[0].name, "e3");

  ExecutionFilter by_machine;
  by_machine.machine_arn = "arn:machine:other";
  auto m = store_->ListExecutions(by_machine, {"", 10});
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->items.size(), 1u);
  EXPECT_EQ(m->items[0].name, "e4");

  ExecutionFilter window;
  window.started_after = kT0 + absl::Seconds(1);
  window.started_before = kT0 + absl::Seconds(3);
  auto w = store_->ListExecutions(window, {"", 10});
  ASSERT_TRUE(w.ok());
  ASSERT_EQ(w->items.size(), 2u);
  EXPECT_EQ(w->items[0].name, "e2");
  EXPECT_EQ(w->items[1].name, "e1");

  EXPECT_EQ(store_->ListExecutions({}, {"garbage", 10}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_P(StoreTest, HistoryReadsForwardAndBackward) {
  Transition t = NewExecution("e");
  ASSERT_TRUE(CommitOne(t).ok());
  for (int step = 0; step < 3; ++step) {
    Transition next;
    next.execution = t.execution;
    next.expected_version = step + 1;
    int64_t first = 3 + step * 2;
    next.history.push_back({first, first + 1, "[" + std::to_string(first) + "]"});
    ASSERT_TRUE(CommitOne(next).ok());
  }
  // Batches: [1,2] [3,4] [5,6] [7,8].
  auto after = store_->ReadHistory(t.execution.arn, 4, 10);
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), 2u);
  EXPECT_EQ((*after)[0].first_event_id, 5);
  auto inside = store_->ReadHistory(t.execution.arn, 5, 1);  // event 6 is in batch [5,6]
  ASSERT_TRUE(inside.ok());
  ASSERT_EQ(inside->size(), 1u);
  EXPECT_EQ((*inside)[0].first_event_id, 5);
  auto reverse = store_->ReadHistoryReverse(t.execution.arn, 7, 10);
  ASSERT_TRUE(reverse.ok());
  ASSERT_EQ(reverse->size(), 3u);
  EXPECT_EQ((*reverse)[0].first_event_id, 5);
  EXPECT_EQ((*reverse)[2].first_event_id, 1);
}

TEST_P(StoreTest, TimersComeDueInOrderAndGoWithTheirTransitions) {
  Transition t = NewExecution("e");
  t.add_timers = {{"", 1, kT0 + absl::Seconds(30)}, {"", 2, kT0 + absl::Seconds(10)}};
  ASSERT_TRUE(CommitOne(t).ok());
  Transition u = NewExecution("f");
  u.add_timers = {{"", 1, kT0 + absl::Seconds(20)}};
  ASSERT_TRUE(CommitOne(u).ok());

  auto due = store_->DueTimers(kT0 + absl::Seconds(25), 10);
  ASSERT_TRUE(due.ok()) << due.status();
  ASSERT_EQ(due->size(), 2u);
  EXPECT_EQ((*due)[0].execution_arn, t.execution.arn);
  EXPECT_EQ((*due)[0].timer_id, 2);
  EXPECT_EQ((*due)[0].due, kT0 + absl::Seconds(10));
  EXPECT_EQ((*due)[1].execution_arn, u.execution.arn);
  auto limited = store_->DueTimers(kT0 + absl::Hours(1), 1);
  ASSERT_TRUE(limited.ok());
  EXPECT_EQ(limited->size(), 1u);

  Transition fire;
  fire.execution = t.execution;
  fire.expected_version = 1;
  fire.delete_timers = {2};
  ASSERT_TRUE(CommitOne(fire).ok());
  EXPECT_EQ(*store_->CountTimers(), 2);

  Transition end;
  end.execution = t.execution;
  end.expected_version = 2;
  end.clear_timers_and_tasks = true;
  ASSERT_TRUE(CommitOne(end).ok());
  auto left = store_->DueTimers(kT0 + absl::Hours(1), 10);
  ASSERT_TRUE(left.ok());
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ((*left)[0].execution_arn, u.execution.arn);
}

TaskRecord Task(const std::string& token, const std::string& activity, absl::Time created) {
  TaskRecord t;
  t.token = token;
  t.resource = activity.empty() ? "fleetflow:mqtt:publish" : activity;
  t.activity_arn = activity;
  t.state_name = "Scan";
  t.attempt = 1;
  t.input = R"({"room":7})";
  t.heartbeat_seconds = 2.5;
  t.created = created;
  return t;
}

TEST_P(StoreTest, ActivityTasksAreLeasedOnceUntilTheLeaseExpires) {
  Transition t = NewExecution("e");
  t.add_tasks = {Task("t1", "arn:activity:scan", kT0),
                 Task("t2", "arn:activity:scan", kT0 + absl::Seconds(1)),
                 Task("t3", "arn:activity:scan", kT0 + absl::Seconds(2)), Task("i1", "", kT0)};
  ASSERT_TRUE(CommitOne(t).ok());

  auto w1 = store_->LeaseActivityTasks("arn:activity:scan", "w1", 2, kT0, kT0 + absl::Minutes(1));
  ASSERT_TRUE(w1.ok()) << w1.status();
  ASSERT_EQ(w1->size(), 2u);
  EXPECT_EQ((*w1)[0].token, "t1");
  EXPECT_EQ((*w1)[1].token, "t2");
  EXPECT_TRUE((*w1)[0].started);
  EXPECT_EQ((*w1)[0].worker_name, "w1");
  EXPECT_EQ((*w1)[0].heartbeat_seconds, 2.5);
  EXPECT_EQ((*w1)[0].input, R"({"room":7})");

  auto w2 = store_->LeaseActivityTasks("arn:activity:scan", "w2", 5, kT0, kT0 + absl::Minutes(1));
  ASSERT_TRUE(w2.ok());
  ASSERT_EQ(w2->size(), 1u);
  EXPECT_EQ((*w2)[0].token, "t3");

  // After the lease, an unanswered task goes to another worker (at least once).
  auto later = store_->LeaseActivityTasks("arn:activity:scan", "w3", 5, kT0 + absl::Minutes(2),
                                          kT0 + absl::Minutes(3));
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->size(), 3u);

  auto pending = store_->PendingIntegrationTasks("", 10);
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].token, "i1");
  EXPECT_EQ((*pending)[0].execution_arn, t.execution.arn);

  auto got = store_->GetTask("t2");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->worker_name, "w3");
  EXPECT_EQ(store_->GetTask("nope").status().code(), absl::StatusCode::kNotFound);

  Transition done;
  done.execution = t.execution;
  done.expected_version = 1;
  done.delete_tasks = {"t1", "i1"};
  ASSERT_TRUE(CommitOne(done).ok());
  EXPECT_EQ(*store_->CountTasks(), 2);
  EXPECT_EQ(store_->GetTask("t1").status().code(), absl::StatusCode::kNotFound);
}

// Many threads race to advance one execution; each retries on kAborted. No
// update may be lost and none applied twice.
TEST_P(StoreTest, ConcurrentStepsNeverLoseAnUpdate) {
  Transition t = NewExecution("race");
  ASSERT_TRUE(CommitOne(t).ok());
  constexpr int kThreads = 4, kSteps = 25;
  std::atomic<int> aborted{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kThreads; ++w) {
    threads.emplace_back([&] {
      for (int s = 0; s < kSteps; ++s) {
        while (true) {
          auto e = store_->GetExecution(t.execution.arn);
          ASSERT_TRUE(e.ok()) << e.status();
          Transition step;
          step.execution = *e;
          step.expected_version = e->version;
          step.execution.last_event_id = e->last_event_id + 1;
          step.history.push_back({e->last_event_id + 1, e->last_event_id + 1, "[]"});
          absl::Status s2 = CommitOne(step);
          if (s2.ok()) break;
          if (s2.code() == absl::StatusCode::kAborted ||
              s2.code() == absl::StatusCode::kUnavailable) {
            ++aborted;
            continue;
          }
          FAIL() << s2;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  auto e = store_->GetExecution(t.execution.arn);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->version, 1 + kThreads * kSteps);
  EXPECT_EQ(e->last_event_id, 2 + kThreads * kSteps);
  auto history = store_->ReadHistory(t.execution.arn, 0, 1000);
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(static_cast<int>(history->size()), 1 + kThreads * kSteps);
}

// Servers that start together migrate one after another, and all succeed.
TEST_P(StoreTest, ConcurrentOpensMigrateOnce) {
  testing::StoreEnv fresh(GetParam());  // an empty database: every open wants to migrate
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      auto opened = fresh.Open();
      if (!opened.ok()) {
        ++failures;
        ADD_FAILURE() << opened.status();
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
}

TEST_P(StoreTest, BadUrlIsInvalidArgument) {
  EXPECT_EQ(OpenStore("mysql://x").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenStore("postgresql://nobody@127.0.0.1:1/none").status().code(),
            absl::StatusCode::kUnavailable);
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace fleetflow::store
