#pragma once
// What the client verbs share: which server, the channel, and how results
// and errors are printed. Exit codes: 0 success, 1 the server answered with
// an error (JSON on stderr), 2 bad arguments, 3 no server answers.

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "google/protobuf/message.h"

namespace fleetflow::cli {

constexpr int kExitOk = 0, kExitServerError = 1, kExitUsage = 2, kExitNoServer = 3;

// --server, else $FLEETFLOW_SERVER, else 127.0.0.1:7707.
std::string ServerAddress(const std::string& flag);

// A connected channel, or nullptr after printing why (exit 3).
std::shared_ptr<grpc::Channel> Connect(const std::string& address);

// Prints a response as `aws stepfunctions` would; returns 0.
int PrintResponse(const google::protobuf::Message& response);
// Prints one message as one compact JSON line (watch).
void PrintLine(const google::protobuf::Message& message);
// Prints {"code": ..., "error": ..., "message": ...} on stderr; returns 1 (3
// when the server could not be reached).
int PrintError(const grpc::Status& status);

// "arn:..." as is; a bare name becomes that machine's ARN.
std::string MachineArnOf(const std::string& name_or_arn);
// "arn:..." as is; "MACHINE:NAME" becomes that execution's ARN.
std::string ExecutionArnOf(const std::string& arn_or_short);

}  // namespace fleetflow::cli
