#include "engine/runtime/durable/execution_lifecycle.h"

#include <gtest/gtest.h>

namespace fleetflow::runtime::durable {
namespace {

using store::ExecutionStatus;

TEST(ExecutionLifecycle, RunningEndsOnceInAnyOfFourWays) {
  EXPECT_EQ(*NextStatus(ExecutionStatus::kRunning, LifecycleEvent::kSucceed),
            ExecutionStatus::kSucceeded);
  EXPECT_EQ(*NextStatus(ExecutionStatus::kRunning, LifecycleEvent::kFail),
            ExecutionStatus::kFailed);
  EXPECT_EQ(*NextStatus(ExecutionStatus::kRunning, LifecycleEvent::kTimeOut),
            ExecutionStatus::kTimedOut);
  EXPECT_EQ(*NextStatus(ExecutionStatus::kRunning, LifecycleEvent::kAbort),
            ExecutionStatus::kAborted);
  for (ExecutionStatus ended : {ExecutionStatus::kSucceeded, ExecutionStatus::kFailed,
                                ExecutionStatus::kTimedOut, ExecutionStatus::kAborted}) {
    for (LifecycleEvent e :
         {LifecycleEvent::kSucceed, LifecycleEvent::kFail, LifecycleEvent::kTimeOut,
          LifecycleEvent::kAbort, LifecycleEvent::kResume}) {
      EXPECT_EQ(NextStatus(ended, e).status().code(), absl::StatusCode::kFailedPrecondition)
          << store::ExecutionStatusName(ended);
    }
  }
}

TEST(ExecutionLifecycle, OnlyUnsuccessfulExecutionsAreRedriven) {
  for (ExecutionStatus s :
       {ExecutionStatus::kFailed, ExecutionStatus::kTimedOut, ExecutionStatus::kAborted}) {
    EXPECT_EQ(*NextStatus(s, LifecycleEvent::kRedrive), ExecutionStatus::kPendingRedrive);
  }
  EXPECT_FALSE(NextStatus(ExecutionStatus::kSucceeded, LifecycleEvent::kRedrive).ok());
  EXPECT_FALSE(NextStatus(ExecutionStatus::kRunning, LifecycleEvent::kRedrive).ok());
  EXPECT_EQ(*NextStatus(ExecutionStatus::kPendingRedrive, LifecycleEvent::kResume),
            ExecutionStatus::kRunning);
}

TEST(ExecutionLifecycle, StatusChangesOfCommittedSteps) {
  EXPECT_TRUE(CheckStatusChange(ExecutionStatus::kRunning, ExecutionStatus::kRunning).ok());
  EXPECT_TRUE(CheckStatusChange(ExecutionStatus::kRunning, ExecutionStatus::kSucceeded).ok());
  EXPECT_TRUE(CheckStatusChange(ExecutionStatus::kPendingRedrive, ExecutionStatus::kRunning).ok());
  EXPECT_EQ(CheckStatusChange(ExecutionStatus::kSucceeded, ExecutionStatus::kRunning).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckStatusChange(ExecutionStatus::kFailed, ExecutionStatus::kSucceeded).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckStatusChange(ExecutionStatus::kAborted, ExecutionStatus::kFailed).code(),
            absl::StatusCode::kFailedPrecondition);
  // Only a step that redrives may bring an ended execution back, and it may
  // end it again in the same step.
  EXPECT_EQ(CheckStatusChange(ExecutionStatus::kFailed, ExecutionStatus::kRunning).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(CheckStatusChange(ExecutionStatus::kFailed, ExecutionStatus::kRunning, true).ok());
  EXPECT_TRUE(CheckStatusChange(ExecutionStatus::kAborted, ExecutionStatus::kSucceeded, true).ok());
  EXPECT_TRUE(CheckStatusChange(ExecutionStatus::kTimedOut, ExecutionStatus::kFailed, true).ok());
  EXPECT_TRUE(CheckStatusChange(ExecutionStatus::kFailed, ExecutionStatus::kFailed, true).ok());
  EXPECT_EQ(CheckStatusChange(ExecutionStatus::kSucceeded, ExecutionStatus::kRunning, true).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckStatusChange(ExecutionStatus::kRunning, ExecutionStatus::kRunning, true).code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace fleetflow::runtime::durable
