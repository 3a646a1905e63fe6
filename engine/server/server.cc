#include "engine/server/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>

#include <mutex>

#include "absl/synchronization/mutex.h"
#include "engine/common/log.h"
#include "engine/common/status.h"
#include "engine/common/strings.h"
#include "engine/runtime/clock.h"
#include "engine/server/builtin_resources.h"
#include "engine/server/nested_executions.h"
#include "engine/server/services.h"
#include "engine/store/store.h"

namespace fleetflow::server {
namespace {

class GrpcServer final : public Server {
 public:
  explicit GrpcServer(const ServerOptions& options) : options_(options) {}
  ~GrpcServer() override { Shutdown(); }

  absl::Status Init() {
    // Debian's abseil checks every absl::Mutex acquisition (gRPC takes many
    // per call) against a global lock-order graph; a few % of the CPU.
    absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
    FF_ASSIGN_OR_RETURN(store_, store::OpenStore(options_.store_url));
    RegisterBuiltinResources(resources_);
    if (options_.resources) options_.resources(resources_);
    runtime::durable::EngineOptions engine_options;
    engine_options.workers = options_.engine_workers;
    engine_options.activity_lease = options_.activity_lease;
    engine_ =
        std::make_unique<runtime::durable::Engine>(*store_, resources_, clock_, engine_options);
    pool_ = std::make_unique<BlockingPool>(options_.blocking_threads);
    targets_ = std::make_unique<StartTargets>(*store_);
    backend_ = std::make_unique<Backend>(Backend{*store_, *engine_, *pool_, *targets_});
    // Before the engine starts: recovery may dispatch nested executions.
    nested_ = std::make_shared<NestedExecutions>(*backend_);
    resources_.Register(std::string(runtime::kStartExecutionResource), nested_);
    FF_RETURN_IF_ERROR(engine_->Start());
    machines_ = std::make_unique<StateMachinesService>(*backend_);
    executions_ = std::make_unique<ExecutionsService>(*backend_);
    tasks_ = std::make_unique<TasksService>(*backend_);
    activities_ = std::make_unique<ActivitiesService>(*backend_);

    grpc::EnableDefaultHealthCheckService(true);
    grpc::reflection::InitProtoReflectionServerBuilderPlugin();
    grpc::ServerBuilder builder;
    builder.AddListeningPort(options_.listen, grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(machines_.get());
    builder.RegisterService(executions_.get());
    builder.RegisterService(tasks_.get());
    builder.RegisterService(activities_.get());
    // A 256 KiB payload inside JSON inside a message, with room to spare.
    builder.SetMaxReceiveMessageSize(4 * 1024 * 1024);
    server_ = builder.BuildAndStart();
    if (!server_ || port_ == 0) {
      return absl::UnavailableError(StrCat("cannot listen on ", options_.listen));
    }
    Log(LogLevel::kInfo, "serving",
        {{"listen", options_.listen},
         {"port", std::to_string(port_)},
         {"store", options_.store_url}});
    return absl::OkStatus();
  }

  int port() const override { return port_; }

  void Wait() override {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return stopped_; });
  }

  void Shutdown() override {
    std::unique_lock lock(mu_);
    if (stopping_) {
      cv_.wait(lock, [this] { return stopped_; });
      return;
    }
    stopping_ = true;
    lock.unlock();
    // The engine first: it commits the steps in flight (their calls then
    // answer) and refuses new work with UNAVAILABLE, which a client retries
    // against the next process. Then gRPC ends the calls still open
    // (watches, long polls) within five seconds.
    if (engine_) engine_->Shutdown();
    if (server_) server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
    if (pool_) pool_->Close();
    if (nested_) nested_->Close();
    lock.lock();
    stopped_ = true;
    cv_.notify_all();
  }

 private:
  ServerOptions options_;
  runtime::RealClock clock_;
  runtime::ResourceRegistry resources_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<runtime::durable::Engine> engine_;
  std::unique_ptr<BlockingPool> pool_;
  std::unique_ptr<StartTargets> targets_;
  std::unique_ptr<Backend> backend_;
  std::shared_ptr<NestedExecutions> nested_;
  std::unique_ptr<StateMachinesService> machines_;
  std::unique_ptr<ExecutionsService> executions_;
  std::unique_ptr<TasksService> tasks_;
  std::unique_ptr<ActivitiesService> activities_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false, stopped_ = false;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Server>> Server::Start(const ServerOptions& options) {
  auto server = std::make_unique<GrpcServer>(options);
  FF_RETURN_IF_ERROR(server->Init());
  return std::unique_ptr<Server>(std::move(server));
}

}  // namespace fleetflow::server
