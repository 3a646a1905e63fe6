// The engine through its gRPC API on loopback, over SQLite (synchronous=FULL):
//   starts      executions started per second by 64 client threads
//   latency     SendTaskSuccess -> the next task dispatched, p50/p99
//   coldstart   process start -> first answered call, of the real binary
// Usage: api_bench [starts|batched|latency|coldstart]... (default: all but batched,
// which is the StartExecutions half of starts). See docs/benchmarks.md.

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include <grpcpp/grpcpp.h>

#include "engine/common/log.h"
#include "engine/server/server.h"
#include "fleetflow/v1/engine.grpc.pb.h"
#include "fleetflow/v1/tasks.grpc.pb.h"

namespace fleetflow {
namespace {

namespace v1 = ::fleetflow::v1;

std::string TempStore(const std::string& name) {
  std::string dir = "/tmp/fleetflow-api-bench";
  std::filesystem::create_directories(dir);
  for (const char* suffix : {"", "-wal", "-shm"})
    std::filesystem::remove(dir + "/" + name + suffix);
  return "sqlite:" + dir + "/" + name;
}

// Records when each task token was dispatched, and wakes waiters.
class DispatchLog : public runtime::TaskHandler {
 public:
  void Invoke(const runtime::DispatchTask& task, runtime::TaskCallback done) override {
    {
      std::lock_guard lock(mu_);
      dispatched_.push_back({task.state_name, task.token, absl::Now()});
    }
    cv_.notify_all();
    done(json::Value());
  }
  struct Entry {
    std::string state, token;
    absl::Time at;
  };
  // Waits for the next dispatch of `state`.
  Entry Next(const std::string& state) {
    std::unique_lock lock(mu_);
    while (true) {
      for (size_t i = seen_; i < dispatched_.size(); ++i) {
        if (dispatched_[i].state == state) {
          seen_ = i + 1;
          return dispatched_[i];
        }
      }
      cv_.wait(lock);
    }
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Entry> dispatched_;
  size_t seen_ = 0;
};

std::string CreateMachine(const std::shared_ptr<grpc::Channel>& channel, const std::string& name,
                          const std::string& definition) {
  v1::StateMachines::Stub stub(channel);
  grpc::ClientContext context;
  v1::CreateStateMachineRequest request;
  request.set_name(name);
  request.set_definition(definition);
  v1::CreateStateMachineResponse response;
  grpc::Status s = stub.CreateStateMachine(&context, request, &response);
  if (!s.ok()) std::fprintf(stderr, "create: %s\n", s.error_message().c_str());
  return response.state_machine_arn();
}

// CPU time of this process (user and system, every thread), which a busy
// machine inflates less than it does wall-clock rates.
double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

void Starts(bool unary = true) {
  server::ServerOptions options;
  options.store_url = TempStore("starts.db");
  options.listen = "127.0.0.1:0";
  auto server = server::Server::Start(options);
  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string((*server)->port()),
                                     grpc::InsecureChannelCredentials());
  std::string arn =
      CreateMachine(channel, "sleeper",
                    R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}})");
  // The same load with calls that touch no store: what gRPC itself allows here.
  auto run = [&](int threads_count, bool start) {
    std::atomic<int64_t> calls{0}, failed{0};
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    absl::Time t0 = absl::Now();
    for (int t = 0; t < threads_count; ++t) {
      threads.emplace_back([&, t] {
        v1::Executions::Stub stub(channel);
        for (int i = 0; !stop; ++i) {
          grpc::ClientContext context;
          grpc::Status s;
          if (start) {
            v1::StartExecutionRequest request;
            request.set_state_machine_arn(arn);
            request.set_name("t" + std::to_string(threads_count) + "-" + std::to_string(t) + "-" +
                             std::to_string(i));
            request.set_input(R"({"robot":"vac-000417"})");
            v1::StartExecutionResponse response;
            s = stub.StartExecution(&context, request, &response);
          } else {
            v1::StopExecutionRequest request;  // refused before any store access
            request.set_execution_arn("not-an-arn");
            v1::StopExecutionResponse response;
            s = stub.StopExecution(&context, request, &response);
            if (s.error_code() == grpc::StatusCode::INVALID_ARGUMENT) s = grpc::Status::OK;
          }
          (s.ok() ? calls : failed)++;
        }
      });
    }
    absl::SleepFor(absl::Seconds(4));
    stop = true;
    for (auto& t : threads) t.join();
    double seconds = absl::ToDoubleSeconds(absl::Now() - t0);
    std::printf("%s %8.0f %s/s through gRPC (%d client threads, %lld failed)\n",
                start ? "starts    " : "unary     ", calls / seconds,
                start ? "executions started" : "no-op calls", threads_count,
                static_cast<long long>(failed.load()));
    std::fflush(stdout);
  };
  // Unary calls from the callback API, `outstanding` in flight at a time (many
  // clients starting at once, without a thread per client).
  auto run_outstanding = [&](int outstanding, bool start) {
    struct Call {
      grpc::ClientContext context;
      v1::StartExecutionRequest start;
      v1::StartExecutionResponse started;
      v1::StopExecutionRequest stop;
      v1::StopExecutionResponse stopped;
    };
    std::mutex mu;
    std::condition_variable cv;
    int in_flight = 0;
    int64_t calls = 0, failed = 0;
    v1::Executions::Stub stub(channel);
    absl::Time t0 = absl::Now(), end = t0 + absl::Seconds(4);
    double cpu0 = ProcessCpuSeconds();
    for (int64_t i = 0; absl::Now() < end; ++i) {
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return in_flight < outstanding; });
        ++in_flight;
      }
      auto* call = new Call;
      auto done = [&, call, start](grpc::Status s) {
        if (!start && s.error_code() == grpc::StatusCode::INVALID_ARGUMENT) s = grpc::Status::OK;
        delete call;
        std::lock_guard lock(mu);
        (s.ok() ? calls : failed)++;
        --in_flight;
        cv.notify_one();
      };
      if (start) {
        call->start.set_state_machine_arn(arn);
        call->start.set_name("o" + std::to_string(outstanding) + "-" + std::to_string(i));
        call->start.set_input(R"({"robot":"vac-000417"})");
        stub.async()->StartExecution(&call->context, &call->start, &call->started, done);
      } else {
        call->stop.set_execution_arn("not-an-arn");  // refused before any store access
        stub.async()->StopExecution(&call->context, &call->stop, &call->stopped, done);
      }
    }
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return in_flight == 0; });
    double seconds = absl::ToDoubleSeconds(absl::Now() - t0);
    double cpu = ProcessCpuSeconds() - cpu0;
    std::printf(
        "%s %8.0f %s/s through gRPC (%d calls in flight, %lld failed); %.1f us of CPU per "
        "call (client and server), %.0f%% of the cores busy\n",
        start ? "concurrent" : "unary     ", calls / seconds,
        start ? "executions started" : "no-op calls", outstanding, static_cast<long long>(failed),
        calls > 0 ? cpu * 1e6 / calls : 0.0,
        100.0 * cpu / (seconds * std::thread::hardware_concurrency()));
    std::fflush(stdout);
  };
  // StartExecutions: `per_call` starts per call, from `threads_count` threads.
  auto run_batches = [&](int threads_count, int per_call) {
    std::atomic<int64_t> started{0}, failed{0};
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    absl::Time t0 = absl::Now();
    double cpu0 = ProcessCpuSeconds();
    for (int t = 0; t < threads_count; ++t) {
      threads.emplace_back([&, t] {
        v1::Executions::Stub stub(channel);
        for (int i = 0; !stop; ++i) {
          grpc::ClientContext context;
          v1::StartExecutionsRequest request;
          for (int k = 0; k < per_call; ++k) {
            v1::StartExecutionRequest* one = request.add_executions();
            one->set_state_machine_arn(arn);
            one->set_name("b" + std::to_string(threads_count) + "x" + std::to_string(per_call) +
                          "-" + std::to_string(t) + "-" + std::to_string(i) + "-" +
                          std::to_string(k));
            one->set_input(R"({"robot":"vac-000417"})");
          }
          v1::StartExecutionsResponse response;
          grpc::Status s = stub.StartExecutions(&context, request, &response);
          if (!s.ok()) {
            failed += per_call;
            continue;
          }
          for (const v1::StartExecutionOutcome& o : response.outcomes())
            (o.code() == 0 ? started : failed)++;
        }
      });
    }
    absl::SleepFor(absl::Seconds(4));
    stop = true;
    for (auto& t : threads) t.join();
    double seconds = absl::ToDoubleSeconds(absl::Now() - t0);
    double cpu = ProcessCpuSeconds() - cpu0;
    std::printf(
        "batched   %8.0f executions started/s through gRPC (%d threads, %d per call, %lld "
        "failed); %.1f us of CPU per start (client and server), %.0f%% of the cores busy\n",
        started / seconds, threads_count, per_call, static_cast<long long>(failed.load()),
        started > 0 ? cpu * 1e6 / started : 0.0,
        100.0 * cpu / (seconds * std::thread::hardware_concurrency()));
    std::fflush(stdout);
  };
  for (int threads_count : {16, 64}) {
    if (!unary) break;
    run(threads_count, false);
    run(threads_count, true);
  }
  for (int outstanding : {256, 1024}) {
    if (!unary) break;
    run_outstanding(outstanding, false);
    run_outstanding(outstanding, true);
  }
  run_batches(4, 100);
  run_batches(8, 250);
  run_batches(16, 250);
  (*server)->Shutdown();
}

void Latency() {
  auto log = std::make_shared<DispatchLog>();
  server::ServerOptions options;
  options.store_url = TempStore("latency.db");
  options.listen = "127.0.0.1:0";
  options.resources = [log](runtime::ResourceRegistry& r) { r.Register("bench:callback", log); };
  auto server = server::Server::Start(options);
  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string((*server)->port()),
                                     grpc::InsecureChannelCredentials());
  std::string arn = CreateMachine(
      channel, "two",
      R"({"StartAt":"A","States":{)"
      R"("A":{"Type":"Task","Resource":"bench:callback.waitForTaskToken","Next":"B"},)"
      R"("B":{"Type":"Task","Resource":"bench:callback.waitForTaskToken","End":true}}})");
  v1::Executions::Stub executions(channel);
  v1::Tasks::Stub tasks(channel);
  std::vector<double> samples;
  for (int i = 0; i < 2000; ++i) {
    grpc::ClientContext start_context;
    v1::StartExecutionRequest start;
    start.set_state_machine_arn(arn);
    start.set_name("l" + std::to_string(i));
    v1::StartExecutionResponse started;
    executions.StartExecution(&start_context, start, &started);
    DispatchLog::Entry a = log->Next("A");
    absl::SleepFor(absl::Microseconds(200));  // let A's TaskStarted step commit first
    absl::Time t0 = absl::Now();
    grpc::ClientContext context;
    v1::SendTaskSuccessRequest success;
    success.set_task_token(a.token);
    success.set_output("{}");
    v1::SendTaskSuccessResponse ignored;
    tasks.SendTaskSuccess(&context, success, &ignored);
    DispatchLog::Entry b = log->Next("B");
    samples.push_back(absl::ToDoubleMicroseconds(b.at - t0));
  }
  std::sort(samples.begin(), samples.end());
  std::printf(
      "latency    SendTaskSuccess -> next task dispatched: p50 %.2f ms  p99 %.2f ms  (%zu "
      "samples)\n",
      samples[samples.size() / 2] / 1000, samples[samples.size() * 99 / 100] / 1000,
      samples.size());
  (*server)->Shutdown();
}

void ColdStart(const char* binary) {
  std::vector<double> samples;
  for (int i = 0; i < 7; ++i) {
    std::string store = TempStore("cold.db");
    if (i > 0) store = "sqlite:/tmp/fleetflow-api-bench/cold.db";  // the first run migrates
    int port = 31000 + i;
    std::string listen = "127.0.0.1:" + std::to_string(port);
    absl::Time t0 = absl::Now();
    pid_t pid = fork();
    if (pid == 0) {
      freopen("/dev/null", "w", stderr);
      execl(binary, binary, "server", "--store", store.c_str(), "--listen", listen.c_str(),
            nullptr);
      _exit(127);
    }
    while (true) {
      // A fresh channel per try: a channel's reconnect backoff would
      // otherwise decide the figure.
      grpc::ChannelArguments args;
      args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
      v1::StateMachines::Stub stub(
          grpc::CreateCustomChannel(listen, grpc::InsecureChannelCredentials(), args));
      grpc::ClientContext context;
      context.set_wait_for_ready(false);
      v1::ListStateMachinesRequest request;
      v1::ListStateMachinesResponse response;
      if (stub.ListStateMachines(&context, request, &response).ok()) break;
      absl::SleepFor(absl::Milliseconds(1));
    }
    samples.push_back(absl::ToDoubleMilliseconds(absl::Now() - t0));
    kill(pid, SIGTERM);
    waitpid(pid, nullptr, 0);
  }
  std::printf(
      "coldstart  process start -> first answered call: first run (migrating) %.1f ms,"
      " then median %.1f ms\n",
      samples[0], [&] {
        std::vector<double> rest(samples.begin() + 1, samples.end());
        std::sort(rest.begin(), rest.end());
        return rest[rest.size() / 2];
      }());
}

}  // namespace
}  // namespace fleetflow

int main(int argc, char** argv) {
  fleetflow::SetLogLevel(fleetflow::LogLevel::kWarning);
  std::vector<std::string> modes(argv + 1, argv + argc);
  if (modes.empty()) modes = {"starts", "latency", "coldstart"};
  for (const std::string& mode : modes) {
    if (mode == "starts") fleetflow::Starts();
    if (mode == "batched") fleetflow::Starts(/*unary=*/false);
    if (mode == "latency") fleetflow::Latency();
    if (mode == "coldstart") fleetflow::ColdStart(FLEETFLOW_BINARY);
    std::fflush(stdout);
  }
  return 0;
}
