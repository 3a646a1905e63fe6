// The client verbs: each sends one request to a server and prints the answer.

#include <CLI/CLI.hpp>
#include <charconv>
#include <iostream>

#include "engine/cli/client.h"
#include "engine/cli/commands.h"
#include "fleetflow/v1/engine.grpc.pb.h"
#include "fleetflow/v1/tasks.grpc.pb.h"

namespace fleetflow::cli {
namespace {

namespace v1 = ::fleetflow::v1;

// Adds a verb with a --server option; `run` gets the channel and returns the
// exit code.
struct Verb {
  CLI::App* app;
  std::string server;
};

using Runner = std::function<int(const std::shared_ptr<grpc::Channel>&)>;

CLI::App* AddVerb(CLI::App& parent, const std::string& name, const std::string& description,
                  std::string& server, int& exit_code, Runner run) {
  CLI::App* verb = parent.add_subcommand(name, description);
  verb->add_option("--server", server,
                   "Server HOST:PORT (default: $FLEETFLOW_SERVER, else 127.0.0.1:7707)");
  verb->callback([&server, &exit_code, run] {
    auto channel = Connect(ServerAddress(server));
    exit_code = channel ? run(channel) : kExitNoServer;
  });
  return verb;
}

// Calls a unary RPC and prints its response or error.
template <typename Stub, typename Request, typename Response>
int Call(const std::shared_ptr<grpc::Channel>& channel,
         grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
         const Request& request) {
  Stub stub(channel);
  grpc::ClientContext context;
  Response response;
  grpc::Status status = (stub.*method)(&context, request, &response);
  if (!status.ok()) return PrintError(status);
  return PrintResponse(response);
}

std::optional<std::string> ReadInput(const std::string& inline_json, const std::string& file) {
  if (!file.empty()) return ReadFile(file);
  return inline_json;
}

struct ClientFlags {
  std::string server;
  std::string name, machine, definition, role_arn, type, description, input, input_file;
  std::string execution, status, error, cause, token, output, activity, worker_name;
  std::vector<std::string> routes;
  bool publish = false, reverse = false, no_data = false;
  int max_results = 0;
  int64_t after = 0;
};

}  // namespace

void AddClientCommands(CLI::App& app, int& exit_code) {
  static ClientFlags f;  // CLI11 binds flags by reference: they must outlive parsing
  using MachinesStub = v1::StateMachines::Stub;
  using ExecutionsStub = v1::Executions::Stub;
  using TasksStub = v1::Tasks::Stub;
  using ActivitiesStub = v1::Activities::Stub;

  CLI::App* verb = AddVerb(app, "create-machine", "Create a state machine", f.server, exit_code,
                           [](auto channel) {
                             auto definition = ReadDefinition(f.definition, std::cerr);
                             if (!definition) return kExitUsage;
                             v1::CreateStateMachineRequest r;
                             r.set_name(f.name);
                             r.set_definition(*definition);
                             r.set_role_arn(f.role_arn);
                             if (f.type == "EXPRESS") r.set_type(v1::STATE_MACHINE_TYPE_EXPRESS);
                             r.set_publish(f.publish);
                             r.set_version_description(f.description);
                             return Call(channel, &MachinesStub::CreateStateMachine, r);
                           });
  verb->add_option("--name", f.name, "Machine name")->required();
  verb->add_option("--definition", f.definition, "ASL file (JSON or YAML) or .flow file")
      ->required();
  verb->add_option("--role-arn", f.role_arn, "Stored and shown; not assumed");
  verb->add_option("--type", f.type, "STANDARD (default) or EXPRESS")
      ->check(CLI::IsMember({"STANDARD", "EXPRESS"}));
  verb->add_flag("--publish", f.publish, "Also publish version 1");
  verb->add_option("--version-description", f.description, "With --publish");

  verb = AddVerb(app, "update-machine", "Change a machine's definition or role", f.server,
                 exit_code, [](auto channel) {
                   v1::UpdateStateMachineRequest r;
                   r.set_state_machine_arn(MachineArnOf(f.machine));
                   if (!f.definition.empty()) {
                     auto definition = ReadDefinition(f.definition, std::cerr);
                     if (!definition) return kExitUsage;
                     r.set_definition(*definition);
                   }
                   if (!f.role_arn.empty()) r.set_role_arn(f.role_arn);
                   r.set_publish(f.publish);
                   r.set_version_description(f.description);
                   return Call(channel, &MachinesStub::UpdateStateMachine, r);
                 });
  verb->add_option("--machine", f.machine, "Machine name or ARN")->required();
  verb->add_option("--definition", f.definition, "ASL file (JSON or YAML) or .flow file");
  verb->add_option("--role-arn", f.role_arn, "New role ARN");
  verb->add_flag("--publish", f.publish, "Also publish a version");
  verb->add_option("--version-description", f.description, "With --publish");

  verb = AddVerb(app, "describe-machine", "Show a machine (or one of its versions)", f.server,
                 exit_code, [](auto channel) {
                   v1::DescribeStateMachineRequest r;
                   r.set_state_machine_arn(MachineArnOf(f.machine));
                   return Call(channel, &MachinesStub::DescribeStateMachine, r);
                 });
  verb->add_option("machine", f.machine, "Machine name, machine ARN or version ARN")->required();

  verb =
      AddVerb(app, "list-machines", "List state machines", f.server, exit_code, [](auto channel) {
        v1::ListStateMachinesRequest r;
        r.set_max_results(f.max_results);
        return Call(channel, &MachinesStub::ListStateMachines, r);
      });
  verb->add_option("--max-results", f.max_results, "Page size");

  verb = AddVerb(app, "delete-machine", "Delete a machine, its versions and aliases", f.server,
                 exit_code, [](auto channel) {
                   v1::DeleteStateMachineRequest r;
                   r.set_state_machine_arn(MachineArnOf(f.machine));
                   return Call(channel, &MachinesStub::DeleteStateMachine, r);
                 });
  verb->add_option("machine", f.machine, "Machine name or ARN")->required();

  verb = AddVerb(app, "publish-version", "Freeze the machine's current revision as a version",
                 f.server, exit_code, [](auto channel) {
                   v1::PublishStateMachineVersionRequest r;
                   r.set_state_machine_arn(MachineArnOf(f.machine));
                   r.set_description(f.description);
                   return Call(channel, &MachinesStub::PublishStateMachineVersion, r);
                 });
  verb->add_option("--machine", f.machine, "Machine name or ARN")->required();
  verb->add_option("--description", f.description, "Version description");

  verb = AddVerb(app, "list-versions", "List a machine's versions, newest first", f.server,
                 exit_code, [](auto channel) {
                   v1::ListStateMachineVersionsRequest r;
                   r.set_state_machine_arn(MachineArnOf(f.machine));
                   r.set_max_results(f.max_results);
                   return Call(channel, &MachinesStub::ListStateMachineVersions, r);
                 });
  verb->add_option("--machine", f.machine, "Machine name or ARN")->required();
  verb->add_option("--max-results", f.max_results, "Page size");

  // --route VERSION_ARN=WEIGHT; a weight that is not a number is left to the
  // server to refuse (-1), rather than aborting here.
  auto routes = [](auto* request) {
    for (const std::string& route : f.routes) {
      size_t eq = route.find('=');
      auto* item = request->add_routing_configuration();
      item->set_state_machine_version_arn(route.substr(0, eq));
      int weight = 100;
      if (eq != std::string::npos) {
        std::string_view text(route);
        text.remove_prefix(eq + 1);
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), weight);
        if (ec != std::errc() || end != text.data() + text.size()) weight = -1;
      }
      item->set_weight(weight);
    }
  };
  verb = AddVerb(app, "create-alias", "Create an alias routing to one or two versions", f.server,
                 exit_code, [routes](auto channel) {
                   v1::CreateStateMachineAliasRequest r;
                   r.set_name(f.name);
                   r.set_description(f.description);
                   routes(&r);
                   return Call(channel, &MachinesStub::CreateStateMachineAlias, r);
                 });
  verb->add_option("--name", f.name, "Alias name")->required();
  verb->add_option("--route", f.routes, "VERSION_ARN=WEIGHT (once or twice)")->required();
  verb->add_option("--description", f.description, "Alias description");

  verb = AddVerb(app, "update-alias", "Change an alias's routes or description", f.server,
                 exit_code, [routes](auto channel) {
                   v1::UpdateStateMachineAliasRequest r;
                   r.set_state_machine_alias_arn(f.machine);
                   if (!f.description.empty()) r.set_description(f.description);
                   routes(&r);
                   return Call(channel, &MachinesStub::UpdateStateMachineAlias, r);
                 });
  verb->add_option("alias", f.machine, "Alias ARN")->required();
  verb->add_option("--route", f.routes, "VERSION_ARN=WEIGHT (once or twice)");
  verb->add_option("--description", f.description, "Alias description");

  verb = AddVerb(app, "describe-alias", "Show an alias", f.server, exit_code, [](auto channel) {
    v1::DescribeStateMachineAliasRequest r;
    r.set_state_machine_alias_arn(f.machine);
    return Call(channel, &MachinesStub::DescribeStateMachineAlias, r);
  });
  verb->add_option("alias", f.machine, "Alias ARN")->required();

  verb = AddVerb(app, "list-aliases", "List a machine's aliases", f.server, exit_code,
                 [](auto channel) {
                   v1::ListStateMachineAliasesRequest r;
                   r.set_state_machine_arn(MachineArnOf(f.machine));
                   return Call(channel, &MachinesStub::ListStateMachineAliases, r);
                 });
  verb->add_option("--machine", f.machine, "Machine name or ARN")->required();

  verb = AddVerb(app, "delete-alias", "Delete an alias", f.server, exit_code, [](auto channel) {
    v1::DeleteStateMachineAliasRequest r;
    r.set_state_machine_alias_arn(f.machine);
    return Call(channel, &MachinesStub::DeleteStateMachineAlias, r);
  });
  verb->add_option("alias", f.machine, "Alias ARN")->required();

  for (bool sync : {false, true}) {
    verb = AddVerb(app, sync ? "start-sync" : "start",
                   sync ? "Start an execution and wait for its end" : "Start an execution",
                   f.server, exit_code, [sync](auto channel) {
                     auto input = ReadInput(f.input, f.input_file);
                     if (!input) return kExitUsage;
                     if (sync) {
                       v1::StartSyncExecutionRequest r;
                       r.set_state_machine_arn(MachineArnOf(f.machine));
                       r.set_name(f.name);
                       r.set_input(*input);
                       return Call(channel, &ExecutionsStub::StartSyncExecution, r);
                     }
                     v1::StartExecutionRequest r;
                     r.set_state_machine_arn(MachineArnOf(f.machine));
                     r.set_name(f.name);
                     r.set_input(*input);
                     return Call(channel, &ExecutionsStub::StartExecution, r);
                   });
    verb->add_option("--machine", f.machine, "Machine name, or machine/version/alias ARN")
        ->required();
    verb->add_option("--name", f.name, "Execution name (default: a UUID)");
    auto* inline_input = verb->add_option("--input", f.input, "Input JSON (default {})");
    verb->add_option("--input-file", f.input_file, "Read the input from a file")
        ->excludes(inline_input);
  }

  verb = AddVerb(app, "describe", "Show an execution", f.server, exit_code, [](auto channel) {
    v1::DescribeExecutionRequest r;
    r.set_execution_arn(ExecutionArnOf(f.execution));
    return Call(channel, &ExecutionsStub::DescribeExecution, r);
  });
  verb->add_option("execution", f.execution, "Execution ARN (or MACHINE:NAME)")->required();

  verb =
      AddVerb(app, "list", "List executions, newest first", f.server, exit_code, [](auto channel) {
        v1::ListExecutionsRequest r;
        if (!f.machine.empty()) r.set_state_machine_arn(MachineArnOf(f.machine));
        if (!f.status.empty()) {
          v1::ExecutionStatus status;
          v1::ExecutionStatus_Parse("EXECUTION_STATUS_" + f.status, &status);
          r.set_status_filter(status);
        }
        r.set_max_results(f.max_results);
        return Call(channel, &ExecutionsStub::ListExecutions, r);
      });
  verb->add_option("--machine", f.machine, "Only this machine's executions");
  verb->add_option("--status", f.status, "Only executions with this status")
      ->check(CLI::IsMember(
          {"RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE"}));
  verb->add_option("--max-results", f.max_results, "Page size");

  verb = AddVerb(app, "history", "Print an execution's history", f.server, exit_code,
                 [](auto channel) {
                   v1::Executions::Stub stub(channel);
                   v1::GetExecutionHistoryResponse all;
                   v1::GetExecutionHistoryRequest r;
                   r.set_execution_arn(ExecutionArnOf(f.execution));
                   r.set_reverse_order(f.reverse);
                   r.set_max_results(1000);
                   if (f.no_data) r.set_include_execution_data(false);
                   // Every page, so that the output is the whole history.
                   do {
                     grpc::ClientContext context;
                     v1::GetExecutionHistoryResponse page;
                     grpc::Status status = stub.GetExecutionHistory(&context, r, &page);
                     if (!status.ok()) return PrintError(status);
                     for (auto& e : *page.mutable_events()) *all.add_events() = std::move(e);
                     r.set_next_token(page.next_token());
                   } while (!r.next_token().empty());
                   return PrintResponse(all);
                 });
  verb->add_option("execution", f.execution, "Execution ARN (or MACHINE:NAME)")->required();
  verb->add_flag("--reverse", f.reverse, "Newest event first");
  verb->add_flag("--no-data", f.no_data, "Leave out inputs and outputs");

  verb = AddVerb(app, "watch", "Follow an execution's history live, one event per line", f.server,
                 exit_code, [](auto channel) {
                   v1::Executions::Stub stub(channel);
                   grpc::ClientContext context;
                   v1::WatchExecutionRequest r;
                   r.set_execution_arn(ExecutionArnOf(f.execution));
                   r.set_after_event_id(f.after);
                   auto reader = stub.WatchExecution(&context, r);
                   v1::HistoryEvent event;
                   while (reader->Read(&event)) PrintLine(event);
                   grpc::Status status = reader->Finish();
                   return status.ok() ? kExitOk : PrintError(status);
                 });
  verb->add_option("execution", f.execution, "Execution ARN (or MACHINE:NAME)")->required();
  verb->add_option("--after", f.after, "Resume after this event id");

  verb = AddVerb(app, "stop", "Stop (abort) a running execution", f.server, exit_code,
                 [](auto channel) {
                   v1::StopExecutionRequest r;
                   r.set_execution_arn(ExecutionArnOf(f.execution));
                   r.set_error(f.error);
                   r.set_cause(f.cause);
                   return Call(channel, &ExecutionsStub::StopExecution, r);
                 });
  verb->add_option("execution", f.execution, "Execution ARN (or MACHINE:NAME)")->required();
  verb->add_option("--error", f.error, "Error name to record");
  verb->add_option("--cause", f.cause, "Cause to record");

  verb = AddVerb(app, "redrive", "Continue a failed execution from where it failed", f.server,
                 exit_code, [](auto channel) {
                   v1::RedriveExecutionRequest r;
                   r.set_execution_arn(ExecutionArnOf(f.execution));
                   return Call(channel, &ExecutionsStub::RedriveExecution, r);
                 });
  verb->add_option("execution", f.execution, "Execution ARN (or MACHINE:NAME)")->required();

  verb = AddVerb(app, "send-task-success", "Complete a task by its token", f.server, exit_code,
                 [](auto channel) {
                   v1::SendTaskSuccessRequest r;
                   r.set_task_token(f.token);
                   r.set_output(f.output);
                   return Call(channel, &TasksStub::SendTaskSuccess, r);
                 });
  verb->add_option("--token", f.token, "Task token")->required();
  verb->add_option("--output", f.output, "Result JSON")->required();

  verb = AddVerb(app, "send-task-failure", "Fail a task by its token", f.server, exit_code,
                 [](auto channel) {
                   v1::SendTaskFailureRequest r;
                   r.set_task_token(f.token);
                   r.set_error(f.error);
                   r.set_cause(f.cause);
                   return Call(channel, &TasksStub::SendTaskFailure, r);
                 });
  verb->add_option("--token", f.token, "Task token")->required();
  verb->add_option("--error", f.error, "Error name");
  verb->add_option("--cause", f.cause, "Cause");

  verb = AddVerb(app, "send-task-heartbeat", "Report that a task is still being worked on",
                 f.server, exit_code, [](auto channel) {
                   v1::SendTaskHeartbeatRequest r;
                   r.set_task_token(f.token);
                   return Call(channel, &TasksStub::SendTaskHeartbeat, r);
                 });
  verb->add_option("--token", f.token, "Task token")->required();

  verb =
      AddVerb(app, "create-activity", "Create an activity", f.server, exit_code, [](auto channel) {
        v1::CreateActivityRequest r;
        r.set_name(f.name);
        return Call(channel, &ActivitiesStub::CreateActivity, r);
      });
  verb->add_option("--name", f.name, "Activity name")->required();

  verb = AddVerb(app, "list-activities", "List activities", f.server, exit_code, [](auto channel) {
    v1::ListActivitiesRequest r;
    return Call(channel, &ActivitiesStub::ListActivities, r);
  });

  verb =
      AddVerb(app, "delete-activity", "Delete an activity", f.server, exit_code, [](auto channel) {
        v1::DeleteActivityRequest r;
        r.set_activity_arn(f.activity);
        return Call(channel, &ActivitiesStub::DeleteActivity, r);
      });
  verb->add_option("activity", f.activity, "Activity ARN")->required();
}

}  // namespace fleetflow::cli
