#pragma once
// What a path or an intrinsic function can see while a state runs: the state's
// input ($), the context object ($$), variables ($name) and a deterministic
// random source (so a replayed execution draws the same numbers).

#include <cstdint>
#include <string_view>

#include "engine/json/json.h"
#include "engine/json/path.h"

namespace fleetflow::json {

class EvalScope {
 public:
  virtual ~EvalScope() = default;
  virtual const Value& Input() const = 0;
  // Built on first use: most states never read $$.
  virtual const Value& Context() const = 0;
  // nullptr when no such variable is visible.
  virtual const Value* Variable(std::string_view name) const = 0;
  virtual uint64_t NextRandom() = 0;

  // The document a path starts from, or nullptr for an unknown variable.
  const Value* RootOf(const Path& path) const {
    switch (path.root()) {
      case PathRoot::kInput:
        return &Input();
      case PathRoot::kContext:
        return &Context();
      case PathRoot::kVariable:
        return Variable(path.variable());
    }
    return nullptr;
  }
};

// A scope over plain values, for tests, tools and the validator.
class SimpleScope : public EvalScope {
 public:
  explicit SimpleScope(const Value& input, const Value* context = nullptr,
                       const Object* variables = nullptr, uint64_t seed = 1)
      : input_(input), context_(context), variables_(variables), state_(seed) {}
  const Value& Input() const override { return input_; }
  const Value& Context() const override { return context_ ? *context_ : empty_; }
  const Value* Variable(std::string_view name) const override {
    return variables_ ? variables_->if_contains(name) : nullptr;
  }
  uint64_t NextRandom() override;

 private:
  const Value& input_;
  const Value* context_;
  const Object* variables_;
  Value empty_ = Object();
  uint64_t state_;
};

// splitmix64: a tiny, good, deterministic generator.
inline uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

inline uint64_t SimpleScope::NextRandom() { return SplitMix64(state_); }

}  // namespace fleetflow::json
