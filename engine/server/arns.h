#pragma once
// Fleetflow's resource names, shaped like AWS's so that tools which split
// ARNs keep working:
//   arn:fleetflow:states:local:stateMachine:<machine>             a machine
//   arn:fleetflow:states:local:stateMachine:<machine>:<n>         version n
//   arn:fleetflow:states:local:stateMachine:<machine>:<alias>     an alias
//   arn:fleetflow:states:local:execution:<machine>:<execution>
//   arn:fleetflow:states:local:activity:<activity>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fleetflow::server {

std::string MachineArn(std::string_view machine);
std::string VersionArn(std::string_view machine_arn, int64_t version);
std::string AliasArn(std::string_view machine_arn, std::string_view alias);

struct MachineRef {
  std::string machine_name;
  std::string machine_arn;
  int64_t version = 0;  // set for a version ARN
  std::string alias;    // set for an alias ARN
};
// nullopt when `arn` is not a machine, version or alias ARN.
std::optional<MachineRef> ParseMachineArn(std::string_view arn);

// The machine name part of an execution ARN; nullopt when malformed.
std::optional<std::string> MachineOfExecution(std::string_view execution_arn);

// AWS's rule for names of machines, executions, aliases and activities:
// 1 to 80 characters, none of whitespace, < > { } [ ] ? * " # % \ ^ | ~ ` $ & , ; : /
// or control characters. Returns "" when valid, else what is wrong.
std::string NameProblem(std::string_view name);

}  // namespace fleetflow::server
