#include "engine/server/backend.h"

#include <random>

#include "engine/common/strings.h"
#include "engine/definition/loader.h"
#include "engine/json/codec.h"
#include "engine/json/json.h"
#include "engine/server/arns.h"

namespace fleetflow::server {

BlockingPool::BlockingPool(int threads) {
  for (int i = 0; i < threads; ++i) {
    threads_.emplace_back([this] {
      while (true) {
        std::function<void()> work;
        {
          std::unique_lock lock(mu_);
          cv_.wait(lock, [this] { return closed_ || !queue_.empty(); });
          if (queue_.empty()) return;
          work = std::move(queue_.front());
          queue_.pop_front();
        }
        work();
      }
    });
  }
}

BlockingPool::~BlockingPool() { Close(); }

void BlockingPool::Submit(std::function<void()> work) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(work));
  }
  cv_.notify_one();
}

void BlockingPool::Close() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  cv_.notify_all();
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
}

void FillTime(google::protobuf::Timestamp* out, absl::Time t) {
  int64_t nanos = absl::ToUnixNanos(t);
  out->set_seconds(nanos / 1'000'000'000);
  out->set_nanos(static_cast<int32_t>(nanos % 1'000'000'000));
}

absl::Time TimeOf(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

std::string NewUuid() {
  static thread_local std::mt19937_64 generator{std::random_device{}()};
  uint64_t hi = generator(), lo = generator();
  hi = (hi & 0xffffffffffff0fffull) | 0x0000000000004000ull;  // version 4
  lo = (lo & 0x3fffffffffffffffull) | 0x8000000000000000ull;  // variant 1
  char buf[37];
  std::snprintf(buf, sizeof buf, "%08llx-%04llx-%04llx-%04llx-%012llx",
                static_cast<unsigned long long>(hi >> 32),
                static_cast<unsigned long long>((hi >> 16) & 0xffff),
                static_cast<unsigned long long>(hi & 0xffff),
                static_cast<unsigned long long>(lo >> 48),
                static_cast<unsigned long long>(lo & 0xffffffffffffull));
  return buf;
}

absl::StatusOr<CheckedDefinition> CheckDefinition(const std::string& text) {
  definition::LoadResult loaded = definition::LoadAsl(text);
  if (!loaded.ok()) {
    std::string message;
    for (const definition::Diagnostic& d : loaded.errors) {
      if (!message.empty()) message += "; ";
      StrAppend(&message, d.location.empty() ? "/" : d.location, ": ", d.message);
    }
    return absl::InvalidArgumentError(StrCat("InvalidDefinition: ", message));
  }
  return CheckedDefinition{*json::HexDigest("SHA-256", text), loaded.machine};
}

absl::StatusOr<json::Value> ParsePayload(const std::string& text, std::string_view aws_name,
                                         std::string_view what, size_t limit) {
  if (text.size() > limit) {
    return absl::ResourceExhaustedError(
        StrCat(aws_name, ": ", what, " is ", text.size(), " bytes, over the limit of ", limit));
  }
  auto parsed = json::Parse(text);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        StrCat(aws_name, ": ", what, " is not JSON: ", parsed.status().message()));
  }
  return parsed;
}

absl::StatusOr<runtime::durable::StartRequest> PrepareStart(Backend& b, const std::string& arn,
                                                            const std::string& name,
                                                            const std::string& input) {
  std::string execution_name = name.empty() ? NewUuid() : name;
  if (std::string problem = NameProblem(execution_name); !problem.empty()) {
    return absl::InvalidArgumentError(
        StrCat("InvalidName: execution name '", execution_name, "' ", problem));
  }
  std::string text = input.empty() ? "{}" : input;
  auto parsed = ParsePayload(text, "InvalidExecutionInput", "input", b.max_payload_bytes);
  if (!parsed.ok()) return parsed.status();
  auto start = b.targets.Resolve(arn);
  if (!start.ok()) return start.status();
  start->name = std::move(execution_name);
  start->input = std::move(text);
  start->parsed_input = json::Share(std::move(*parsed));  // the engine parses it only once
  return start;
}

}  // namespace fleetflow::server
