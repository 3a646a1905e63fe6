#include "engine/server/errors.h"

#include "engine/common/strings.h"

namespace fleetflow::server {
namespace {

bool HasAwsName(std::string_view message) {
  size_t colon = message.find(": ");
  if (colon == std::string_view::npos || colon == 0) return false;
  for (char c : message.substr(0, colon)) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
  }
  return std::isupper(static_cast<unsigned char>(message[0]));
}

}  // namespace

grpc::Status Error(grpc::StatusCode code, std::string_view aws_name, std::string_view message) {
  return grpc::Status(code, StrCat(aws_name, ": ", message));
}

grpc::Status FromStatus(const absl::Status& status, std::string_view not_found) {
  std::string_view message(status.message().data(), status.message().size());
  auto make = [&](grpc::StatusCode code, std::string_view name) {
    return HasAwsName(message) ? grpc::Status(code, std::string(message))
                               : Error(code, name, message);
  };
  switch (status.code()) {
    case absl::StatusCode::kOk:
      return grpc::Status::OK;
    case absl::StatusCode::kNotFound:
      return make(grpc::StatusCode::NOT_FOUND, not_found);
    case absl::StatusCode::kAlreadyExists:
      return make(grpc::StatusCode::ALREADY_EXISTS, "ConflictException");
    case absl::StatusCode::kInvalidArgument:
      return make(grpc::StatusCode::INVALID_ARGUMENT, "ValidationException");
    case absl::StatusCode::kFailedPrecondition:
      return make(grpc::StatusCode::FAILED_PRECONDITION, "ConflictException");
    case absl::StatusCode::kResourceExhausted:
      return make(grpc::StatusCode::RESOURCE_EXHAUSTED, "ValidationException");
    case absl::StatusCode::kUnavailable:
      return make(grpc::StatusCode::UNAVAILABLE, "ServiceUnavailable");
    case absl::StatusCode::kAborted:
      return make(grpc::StatusCode::ABORTED, "ConflictException");
    default:
      return make(grpc::StatusCode::INTERNAL, "InternalError");
  }
}

}  // namespace fleetflow::server
