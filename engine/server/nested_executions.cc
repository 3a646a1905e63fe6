#include "engine/server/nested_executions.h"

#include <cctype>

#include "engine/common/strings.h"
#include "engine/server/arns.h"

namespace fleetflow::server {
namespace {

using runtime::NestedMode;

bool Waits(NestedMode mode) { return mode == NestedMode::kSync || mode == NestedMode::kSyncJson; }

bool IsEnded(store::ExecutionStatus s) {
  return s != store::ExecutionStatus::kRunning && s != store::ExecutionStatus::kPendingRedrive;
}

// The store or the engine is away for now: the task's dispatch is retried
// (the engine redispatches unanswered tasks), so the parent does not fail.
bool Transient(const absl::Status& s) {
  return s.code() == absl::StatusCode::kUnavailable || s.code() == absl::StatusCode::kAborted ||
         s.code() == absl::StatusCode::kDeadlineExceeded;
}

// "InvalidName: execution name 'a b' must not..." -> StepFunctions.InvalidNameException.
Failure StartFailure(const absl::Status& s) {
  std::string_view message(s.message().data(), s.message().size());
  size_t colon = message.find(':');
  std::string_view aws_name = colon == std::string_view::npos ? "" : message.substr(0, colon);
  bool named = !aws_name.empty();
  for (char c : aws_name) named = named && std::isalnum(static_cast<unsigned char>(c));
  if (!named) return Failure{"StepFunctions.ServiceException", std::string(message)};
  std::string_view detail = message.substr(colon + 1);
  if (detail.starts_with(' ')) detail.remove_prefix(1);
  return Failure{StrCat("StepFunctions.", aws_name, "Exception"), std::string(detail)};
}

// A machine ARN of any partition or region names the machine of that name
// (and version or alias) on this server.
std::string LocalMachineArn(const std::string& arn) {
  if (ParseMachineArn(arn)) return arn;
  constexpr std::string_view kMarker = ":stateMachine:";
  size_t at = arn.find(kMarker);
  return MachineArn("") + arn.substr(at + kMarker.size());
}

runtime::ChildExecution ChildOf(const store::ExecutionRecord& row) {
  runtime::ChildExecution child;
  child.arn = row.arn;
  child.machine_arn = row.machine_arn;
  child.name = row.name;
  child.status = store::ExecutionStatusName(row.status);
  child.input = row.input;
  child.output = row.output;
  child.error = row.error;
  child.cause = row.cause;
  child.start = row.start;
  child.stop = row.stop;
  return child;
}

}  // namespace

NestedExecutions::NestedExecutions(Backend& b) : b_(b) {
  observer_ = b_.engine.AddCommitObserver([this](const store::ExecutionRecord& row) {
    if (waiting_count_.load(std::memory_order_relaxed) > 0 && IsEnded(row.status)) Ended(row);
  });
}

void NestedExecutions::Close() {
  if (observer_ != 0) b_.engine.RemoveCommitObserver(observer_);
  observer_ = 0;
}

void NestedExecutions::Invoke(const runtime::DispatchTask& task, runtime::TaskCallback done) {
  auto start = runtime::ReadNestedStart(task);
  if (!start.ok()) return done(std::move(start).failure());
  std::string machine_arn = LocalMachineArn(start.value().machine_arn);
  std::string name =
      start.value().name.empty() ? runtime::DerivedChildName(task.token) : start.value().name;
  Waiter waiter{task.token, start.value().mode, start.value().input, std::move(done)};
  // Resolving the machine may read the store: not on the engine's thread.
  b_.pool.Submit([this, waiter = std::move(waiter), machine_arn, name]() mutable {
    auto request = PrepareStart(b_, machine_arn, name, waiter.input);
    if (!request.ok()) {
      if (!Transient(request.status())) waiter.done(StartFailure(request.status()));
      return;
    }
    std::string child_arn = runtime::durable::ExecutionArn(request->machine_name, request->name);
    // Waiting before starting: the child may end in its first step.
    if (Waits(waiter.mode)) Wait(waiter, child_arn);
    b_.engine.StartExecution(std::move(*request),
                             [this, waiter, child_arn](absl::StatusOr<store::ExecutionRecord> row) {
                               Started(waiter, child_arn, std::move(row));
                             });
  });
}

void NestedExecutions::Started(Waiter waiter, const std::string& child_arn,
                               absl::StatusOr<store::ExecutionRecord> row) {
  if (row.status().code() == absl::StatusCode::kAlreadyExists) {
    b_.pool.Submit([this, waiter, child_arn] { Adopt(waiter, child_arn); });
    return;
  }
  if (!row.ok()) return Refused(waiter, row.status());
  if (!Waits(waiter.mode)) return waiter.done(runtime::StartedResult(row->arn, row->start));
  if (IsEnded(row->status)) Ended(*row);
}

void NestedExecutions::Refused(const Waiter& waiter, const absl::Status& why) {
  {
    std::lock_guard lock(mu_);
    Unregister(waiter.parent_token);
  }
  if (!Transient(why)) waiter.done(StartFailure(why));
}

void NestedExecutions::Adopt(Waiter waiter, const std::string& child_arn) {
  auto row = b_.store.GetExecution(child_arn);
  bool same = row.ok() && row->input == waiter.input;
  if (same && !Waits(waiter.mode)) return waiter.done(runtime::StartedResult(row->arn, row->start));
  if (same) {
    if (IsEnded(row->status)) Ended(*row);
    return;
  }
  // Not through Started: another kAlreadyExists there would adopt again, forever.
  Refused(waiter, row.ok()
                      ? absl::AlreadyExistsError(StrCat("ExecutionAlreadyExists: execution '",
                                                        child_arn, "' exists with another input"))
                      : row.status());
}

void NestedExecutions::Wait(Waiter waiter, const std::string& child_arn) {
  std::lock_guard lock(mu_);
  // The same task dispatched again replaces its earlier registration.
  Unregister(waiter.parent_token);
  child_of_[waiter.parent_token] = child_arn;
  waiting_[child_arn].push_back(std::move(waiter));
  ++waiting_count_;
}

std::string NestedExecutions::Unregister(const std::string& parent_token) {
  auto it = child_of_.find(parent_token);
  if (it == child_of_.end()) return "";
  std::string child_arn = std::move(it->second);
  child_of_.erase(it);
  auto& list = waiting_[child_arn];
  std::erase_if(list, [&](const Waiter& w) { return w.parent_token == parent_token; });
  if (list.empty()) waiting_.erase(child_arn);
  --waiting_count_;
  return child_arn;
}

void NestedExecutions::Ended(const store::ExecutionRecord& row) {
  std::vector<Waiter> answered;
  {
    std::lock_guard lock(mu_);
    auto it = waiting_.find(row.arn);
    if (it == waiting_.end()) return;
    answered = std::move(it->second);
    waiting_.erase(it);
    for (const Waiter& w : answered) child_of_.erase(w.parent_token);
    waiting_count_ -= answered.size();
  }
  runtime::ChildExecution child = ChildOf(row);
  // Called on the committer's completion thread: answer elsewhere.
  b_.pool.Submit([answered = std::move(answered), child] {
    for (const Waiter& w : answered) w.done(runtime::EndedOutcome(w.mode, child));
  });
}

void NestedExecutions::Cancel(const std::string& token) {
  std::string child_arn;
  {
    std::lock_guard lock(mu_);
    child_arn = Unregister(token);
    if (child_arn.empty()) return;
    if (waiting_.count(child_arn)) return;  // another task still waits for it
  }
  b_.engine.Send(child_arn,
                 runtime::AbortEvent{"",
                                     "the task of the parent execution that waited for it "
                                     "was stopped"},
                 [](absl::Status) {});
}

}  // namespace fleetflow::server
