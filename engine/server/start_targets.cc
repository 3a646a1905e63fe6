#include "engine/server/start_targets.h"

#include <random>

#include "engine/common/strings.h"
#include "engine/server/arns.h"

namespace fleetflow::server {

absl::StatusOr<runtime::durable::StartRequest> StartTargets::Resolve(const std::string& arn) {
  auto ref = ParseMachineArn(arn);
  if (!ref) {
    return absl::InvalidArgumentError(StrCat("InvalidArn: '", arn, "' is not a state machine ARN"));
  }
  // An alias picks a version by its weights on every start: its routes are
  // read each time, the version it picks comes from the cache.
  std::string target = arn;
  std::string alias_arn;
  if (!ref->alias.empty()) {
    auto alias = store_.GetAlias(arn);
    if (!alias.ok()) return alias.status();
    static thread_local std::mt19937 generator{std::random_device{}()};
    int pick = std::uniform_int_distribution<int>(0, 99)(generator);
    int64_t version = 0;
    for (const store::AliasRoute& r : alias->routes) {
      version = r.version;
      if (pick < r.weight) break;
      pick -= r.weight;
    }
    target = VersionArn(ref->machine_arn, version);
    alias_arn = arn;
  }
  absl::Time now = absl::Now();
  uint64_t epoch;
  {
    std::lock_guard lock(mu_);
    epoch = epoch_;
    auto it = entries_.find(target);
    if (it != entries_.end() && it->second.until > now) {
      runtime::durable::StartRequest request = it->second.request;
      request.alias_arn = alias_arn;
      return request;
    }
  }
  auto request = Read(target);
  if (!request.ok()) return request.status();
  {
    std::lock_guard lock(mu_);
    if (entries_.size() > 10'000) entries_.clear();  // many machines: start over
    if (epoch == epoch_) entries_[target] = Entry{*request, now + keep_};
  }
  request->alias_arn = alias_arn;
  return request;
}

absl::StatusOr<runtime::durable::StartRequest> StartTargets::Read(const std::string& arn) {
  auto ref = ParseMachineArn(arn);
  if (!ref) return absl::InvalidArgumentError(StrCat("InvalidArn: '", arn, "'"));
  runtime::durable::StartRequest start;
  start.machine_arn = ref->machine_arn;
  start.machine_name = ref->machine_name;
  if (ref->version) {
    auto v = store_.GetVersion(ref->machine_arn, ref->version);
    if (!v.ok()) return v.status();
    start.definition_id = v->definition_id;
    start.version_arn = VersionArn(ref->machine_arn, ref->version);
    return start;
  }
  auto m = store_.GetMachine(ref->machine_arn);
  if (m.status().code() == absl::StatusCode::kNotFound) {
    return absl::NotFoundError(StrCat("StateMachineDoesNotExist: ", m.status().message()));
  }
  if (!m.ok()) return m.status();  // e.g. the database is away: UNAVAILABLE, retry
  start.definition_id = m->definition_id;
  return start;
}

void StartTargets::Forget(const std::string& machine_arn) {
  std::lock_guard lock(mu_);
  ++epoch_;
  std::erase_if(entries_,
                [&](const auto& entry) { return entry.second.request.machine_arn == machine_arn; });
}

}  // namespace fleetflow::server
