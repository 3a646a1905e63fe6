#pragma once
// gRPC statuses with AWS's exception names. The name leads the message
// ("ExecutionDoesNotExist: ...") so that an AWS-aware client can map it back;
// the code is the gRPC code that fits.

#include <grpcpp/support/status.h>

#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace fleetflow::server {

grpc::Status Error(grpc::StatusCode code, std::string_view aws_name, std::string_view message);

// Maps a store or engine status. `not_found` names the AWS exception for
// kNotFound (ExecutionDoesNotExist, StateMachineDoesNotExist, ...). A
// message that already starts with an AWS name keeps it.
grpc::Status FromStatus(const absl::Status& status, std::string_view not_found);

}  // namespace fleetflow::server
