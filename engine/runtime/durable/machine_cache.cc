#include "engine/runtime/durable/machine_cache.h"

#include "engine/common/status.h"
#include "engine/common/strings.h"
#include "engine/definition/loader.h"

namespace fleetflow::runtime::durable {

absl::StatusOr<std::shared_ptr<const Interpreter>> MachineCache::Get(
    const std::string& definition_id) {
  {
    std::lock_guard lock(mu_);
    auto it = entries_.find(definition_id);
    if (it != entries_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second.position);
      return it->second.interpreter;
    }
  }
  FF_ASSIGN_OR_RETURN(std::string text, store_.GetDefinition(definition_id));
  definition::LoadResult loaded = definition::LoadAsl(text);
  if (!loaded.ok()) {
    return absl::DataLossError(StrCat("stored definition ", definition_id,
                                      " no longer loads: ", loaded.errors.front().message));
  }
  return Put(definition_id, loaded.machine);
}

std::shared_ptr<const Interpreter> MachineCache::Put(const std::string& definition_id,
                                                     definition::MachinePtr machine) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(definition_id);
  if (it != entries_.end()) return it->second.interpreter;
  auto interpreter = std::make_shared<const Interpreter>(std::move(machine), options_);
  lru_.push_front(definition_id);
  entries_[definition_id] = {interpreter, lru_.begin()};
  while (entries_.size() > capacity_) {
    entries_.erase(lru_.back());
    lru_.pop_back();
  }
  return interpreter;
}

}  // namespace fleetflow::runtime::durable
