#pragma once
// Time as the runtime sees it. Production uses the real clock; tests and
// `fleetflow run --virtual-time` use a virtual one that jumps to each timer.

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace fleetflow::runtime {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() = 0;
  // Returns at `deadline` or later.
  virtual void SleepUntil(absl::Time deadline) = 0;
  // True when waiting costs no real time: a runner then fires the next timer
  // at once rather than waiting for outstanding tasks first.
  virtual bool skips_waits() const { return false; }
};

class RealClock : public Clock {
 public:
  absl::Time Now() override { return absl::Now(); }
  void SleepUntil(absl::Time deadline) override { absl::SleepFor(deadline - absl::Now()); }
};

// Never sleeps: time moves only when someone waits.
class VirtualClock : public Clock {
 public:
  explicit VirtualClock(absl::Time start) : now_(start) {}
  absl::Time Now() override { return now_; }
  void SleepUntil(absl::Time deadline) override {
    if (deadline > now_) now_ = deadline;
  }
  void Advance(absl::Duration d) { now_ += d; }
  bool skips_waits() const override { return true; }

 private:
  absl::Time now_;
};

}  // namespace fleetflow::runtime
