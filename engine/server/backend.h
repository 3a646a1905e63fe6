#pragma once
// What the gRPC services share: the store, the engine, a pool for calls that
// block (long polls), and the helpers every service uses.

#include <google/protobuf/timestamp.pb.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "engine/definition/machine_def.h"
#include "engine/runtime/durable/engine.h"
#include "engine/server/start_targets.h"
#include "engine/store/store.h"

namespace fleetflow::server {

// Runs blocking work (watch pumps, waits for an execution to end) off the
// gRPC threads. Close() ends new work and joins.
class BlockingPool {
 public:
  explicit BlockingPool(int threads);
  ~BlockingPool();
  void Submit(std::function<void()> work);
  void Close();

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool closed_ = false;
  std::vector<std::thread> threads_;
};

struct Backend {
  store::Store& store;
  runtime::durable::Engine& engine;
  BlockingPool& pool;  // short blocking work: watch pumps, sync answers
  StartTargets& targets;
  size_t max_payload_bytes = size_t{256} * 1024;
};

// Protobuf timestamps. An unset time (InfinitePast) leaves the field unset:
// `field` (e.g. [&] { return response->mutable_stop_date(); }) is only
// called, and so the field only created, for a set time.
void FillTime(google::protobuf::Timestamp* out, absl::Time t);
template <typename Field>
void SetTime(absl::Time t, Field&& field) {
  if (t != absl::InfinitePast() && t != absl::InfiniteFuture()) FillTime(field(), t);
}
absl::Time TimeOf(const google::protobuf::Timestamp& t);

// A random 128-bit id as a UUID (v4) string.
std::string NewUuid();

struct CheckedDefinition {
  std::string id;  // SHA-256 of the text
  definition::MachinePtr machine;
};
// Loads and validates ASL; kInvalidArgument "InvalidDefinition: <where>: <what>; ..."
// listing every error.
absl::StatusOr<CheckedDefinition> CheckDefinition(const std::string& text);

// JSON text for an execution's input or a task's output: parses it and
// enforces the payload limit (kResourceExhausted above it). `aws_name` leads
// the message (InvalidExecutionInput, InvalidOutput).
absl::StatusOr<json::Value> ParsePayload(const std::string& text, std::string_view aws_name,
                                         std::string_view what, size_t limit);

// Checks a StartExecution(-like) request and resolves what it runs: a bad
// name or input is kInvalidArgument ("InvalidName: ...",
// "InvalidExecutionInput: ..."), an oversized input kResourceExhausted, an
// unknown machine kNotFound. An empty name becomes a UUID.
absl::StatusOr<runtime::durable::StartRequest> PrepareStart(Backend& b, const std::string& arn,
                                                            const std::string& name,
                                                            const std::string& input);

}  // namespace fleetflow::server
