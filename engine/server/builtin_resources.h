#pragma once
// Task resources every server has, before any adapter:
//   fleetflow:echo        answers with the task's input (tests, demos, benchmarks)
//   fleetflow:callback    does nothing: with ".waitForTaskToken" the task waits
//                         for SendTaskSuccess/Failure with its token, which the
//                         state passes on (e.g. {"token.$": "$$.Task.Token"})

#include "engine/runtime/resource_registry.h"

namespace fleetflow::server {

void RegisterBuiltinResources(runtime::ResourceRegistry& registry);

}  // namespace fleetflow::server
