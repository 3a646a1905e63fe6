#pragma once
// The EvalScope of a running state: its input, the context object (built only
// if a path reads $$), the variables visible from its frame, and the
// execution's deterministic random source.

#include <optional>
#include <string>

#include "engine/json/eval_scope.h"
#include "engine/runtime/step.h"

namespace fleetflow::runtime {

class StateScope : public json::EvalScope {
 public:
  StateScope(Step& step, int frame_id, const json::Value& input)
      : step_(step), frame_id_(frame_id), input_(&input) {}

  const json::Value& Input() const override { return *input_; }
  const json::Value& Context() const override;
  const json::Value* Variable(std::string_view name) const override;
  uint64_t NextRandom() override { return step_.NextRandom(); }

  void set_input(const json::Value& input) { input_ = &input; }
  void SetMapItem(int64_t index, const json::Value& value) {
    map_index_ = index;
    map_value_ = &value;
    context_.reset();
  }
  void SetTaskToken(const std::string& token) {
    task_token_ = &token;
    context_.reset();
  }

 private:
  Step& step_;
  int frame_id_;
  const json::Value* input_;
  std::optional<int64_t> map_index_;
  const json::Value* map_value_ = nullptr;
  const std::string* task_token_ = nullptr;
  mutable std::optional<json::Value> context_;
};

}  // namespace fleetflow::runtime
