#include "engine/server/arns.h"

#include <charconv>

#include "engine/common/strings.h"

namespace fleetflow::server {
namespace {

constexpr std::string_view kMachinePrefix = "arn:fleetflow:states:local:stateMachine:";
constexpr std::string_view kExecutionPrefix = "arn:fleetflow:states:local:execution:";

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

std::string MachineArn(std::string_view machine) { return StrCat(kMachinePrefix, machine); }

std::string VersionArn(std::string_view machine_arn, int64_t version) {
  return StrCat(machine_arn, ":", version);
}

std::string AliasArn(std::string_view machine_arn, std::string_view alias) {
  return StrCat(machine_arn, ":", alias);
}

std::optional<MachineRef> ParseMachineArn(std::string_view arn) {
  if (arn.substr(0, kMachinePrefix.size()) != kMachinePrefix) return std::nullopt;
  std::string_view rest = arn.substr(kMachinePrefix.size());
  MachineRef ref;
  size_t colon = rest.find(':');
  std::string_view name = rest.substr(0, colon);
  if (!NameProblem(name).empty()) return std::nullopt;
  ref.machine_name = std::string(name);
  ref.machine_arn = MachineArn(name);
  if (colon == std::string_view::npos) return ref;
  std::string_view qualifier = rest.substr(colon + 1);
  if (AllDigits(qualifier)) {
    auto [end, ec] =
        std::from_chars(qualifier.data(), qualifier.data() + qualifier.size(), ref.version);
    if (ec != std::errc() || ref.version <= 0) return std::nullopt;
  } else {
    if (!NameProblem(qualifier).empty()) return std::nullopt;
    ref.alias = std::string(qualifier);
  }
  return ref;
}

std::optional<std::string> MachineOfExecution(std::string_view execution_arn) {
  if (execution_arn.substr(0, kExecutionPrefix.size()) != kExecutionPrefix) return std::nullopt;
  std::string_view rest = execution_arn.substr(kExecutionPrefix.size());
  size_t colon = rest.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == rest.size()) {
    return std::nullopt;
  }
  return std::string(rest.substr(0, colon));
}

std::string NameProblem(std::string_view name) {
  if (name.empty()) return "must not be empty";
  if (Utf8Length(name) > 80) return "must be at most 80 characters";
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f || c == ' ' || c == '\t') {
      return "must not contain whitespace or control characters";
    }
    if (std::string_view("<>{}[]?*\"#%\\^|~`$&,;:/").find(static_cast<char>(c)) !=
        std::string_view::npos) {
      return StrCat("must not contain '", static_cast<char>(c), "'");
    }
  }
  return "";
}

}  // namespace fleetflow::server
