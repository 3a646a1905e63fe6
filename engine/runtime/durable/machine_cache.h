#pragma once
// Parsed machines by definition id. Executions name the definition they run;
// parsing it once per process (not once per step) keeps the hot path free of
// loading. Bounded: least recently used definitions are dropped.

#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "absl/status/statusor.h"
#include "engine/runtime/interpreter.h"
#include "engine/store/store.h"

namespace fleetflow::runtime::durable {

class MachineCache {
 public:
  MachineCache(store::Store& store, InterpreterOptions options, size_t capacity = 256)
      : store_(store), options_(options), capacity_(capacity) {}

  // kNotFound if the store lacks the definition; kDataLoss if it no longer loads.
  absl::StatusOr<std::shared_ptr<const Interpreter>> Get(const std::string& definition_id);
  // For a definition the caller just validated (create, update, start).
  std::shared_ptr<const Interpreter> Put(const std::string& definition_id,
                                         definition::MachinePtr machine);

 private:
  store::Store& store_;
  InterpreterOptions options_;
  size_t capacity_;
  std::mutex mu_;
  std::list<std::string> lru_;  // front: most recent
  struct Entry {
    std::shared_ptr<const Interpreter> interpreter;
    std::list<std::string>::iterator position;
  };
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace fleetflow::runtime::durable
