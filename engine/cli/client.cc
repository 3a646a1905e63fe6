#include "engine/cli/client.h"

#include <google/protobuf/util/json_util.h>

#include <cstdlib>
#include <iostream>

#include "engine/cli/json_output.h"
#include "engine/json/json.h"
#include "engine/server/arns.h"

namespace fleetflow::cli {
namespace {

json::Value ToJson(const google::protobuf::Message& message) {
  std::string text;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = false;  // lowerCamelCase, as AWS
  (void)google::protobuf::util::MessageToJsonString(message, &text, options);
  auto parsed = json::Parse(text);
  json::Value value = parsed.ok() ? std::move(*parsed) : json::Value(json::Object());
  AwsShape(value);
  return value;
}

}  // namespace

std::string ServerAddress(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* env = std::getenv("FLEETFLOW_SERVER"); env && *env) return env;
  return "127.0.0.1:7707";
}

std::shared_ptr<grpc::Channel> Connect(const std::string& address) {
  auto channel = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  if (!channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(3))) {
    json::Object error;
    error["code"] = "UNAVAILABLE";
    error["message"] = "no Fleetflow server answers at " + address +
                       " (start one with `fleetflow server`, or set --server / FLEETFLOW_SERVER)";
    std::cerr << Pretty(error) << "\n";
    return nullptr;
  }
  return channel;
}

int PrintResponse(const google::protobuf::Message& response) {
  std::cout << Pretty(ToJson(response)) << "\n";
  return kExitOk;
}

void PrintLine(const google::protobuf::Message& message) {
  std::cout << json::Serialize(ToJson(message)) << std::endl;  // flushed: a pipe sees it now
}

int PrintError(const grpc::Status& status) {
  static const char* kCodes[] = {"OK",
                                 "CANCELLED",
                                 "UNKNOWN",
                                 "INVALID_ARGUMENT",
                                 "DEADLINE_EXCEEDED",
                                 "NOT_FOUND",
                                 "ALREADY_EXISTS",
                                 "PERMISSION_DENIED",
                                 "RESOURCE_EXHAUSTED",
                                 "FAILED_PRECONDITION",
                                 "ABORTED",
                                 "OUT_OF_RANGE",
                                 "UNIMPLEMENTED",
                                 "INTERNAL",
                                 "UNAVAILABLE",
                                 "DATA_LOSS",
                                 "UNAUTHENTICATED"};
  json::Object error;
  int code = status.error_code();
  error["code"] = code >= 0 && code <= 16 ? kCodes[code] : "UNKNOWN";
  // Messages lead with AWS's exception name: "ExecutionDoesNotExist: ...".
  const std::string& message = status.error_message();
  size_t colon = message.find(": ");
  if (colon != std::string::npos && colon > 0 && message.find(' ') > colon) {
    error["error"] = message.substr(0, colon);
    error["message"] = message.substr(colon + 2);
  } else {
    error["message"] = message;
  }
  std::cerr << Pretty(error) << "\n";
  // A server that answers "unavailable" (shutting down, database away) did
  // answer: 1. Only a call no server took is 3.
  bool answered = message.rfind("ServiceUnavailable: ", 0) == 0;
  return status.error_code() == grpc::StatusCode::UNAVAILABLE && !answered ? kExitNoServer
                                                                           : kExitServerError;
}

std::string MachineArnOf(const std::string& name_or_arn) {
  return name_or_arn.rfind("arn:", 0) == 0 ? name_or_arn : server::MachineArn(name_or_arn);
}

std::string ExecutionArnOf(const std::string& arn_or_short) {
  if (arn_or_short.rfind("arn:", 0) == 0) return arn_or_short;
  size_t colon = arn_or_short.find(':');
  if (colon == std::string::npos) return arn_or_short;  // the server says what is wrong
  return "arn:fleetflow:states:local:execution:" + arn_or_short;
}

}  // namespace fleetflow::cli
