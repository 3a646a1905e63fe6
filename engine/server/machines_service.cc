// StateMachines: machines, versions, aliases, validation.

#include <random>

#include "engine/common/strings.h"
#include "engine/definition/loader.h"
#include "engine/server/arns.h"
#include "engine/server/errors.h"
#include "engine/server/services.h"

namespace fleetflow::server {
namespace {

constexpr std::string_view kNoMachine = "StateMachineDoesNotExist";

grpc::Status BadName(std::string_view what, std::string_view name) {
  return Error(grpc::StatusCode::INVALID_ARGUMENT, "InvalidName",
               StrCat(what, " '", name, "' ", NameProblem(name)));
}

grpc::Status BadArn(std::string_view arn) {
  return Error(grpc::StatusCode::INVALID_ARGUMENT, "InvalidArn",
               StrCat("'", arn, "' is not a state machine ARN"));
}

v1::StateMachineType TypeOf(const std::string& type) {
  return type == "EXPRESS" ? v1::STATE_MACHINE_TYPE_EXPRESS : v1::STATE_MACHINE_TYPE_STANDARD;
}

// Checks an alias's routes: one or two versions of the machine, weights
// summing to 100.
absl::StatusOr<std::vector<store::AliasRoute>> Routes(
    Backend& b, const std::string& machine_arn,
    const google::protobuf::RepeatedPtrField<v1::RoutingConfigurationListItem>& items) {
  if (items.empty() || items.size() > 2) {
    return absl::InvalidArgumentError(
        "ValidationException: routing_configuration needs one or two versions");
  }
  std::vector<store::AliasRoute> routes;
  int total = 0;
  for (const v1::RoutingConfigurationListItem& item : items) {
    auto ref = ParseMachineArn(item.state_machine_version_arn());
    if (!ref || ref->version == 0 || ref->machine_arn != machine_arn) {
      return absl::InvalidArgumentError(StrCat("ValidationException: '",
                                               item.state_machine_version_arn(),
                                               "' is not a version of ", machine_arn));
    }
    if (item.weight() < 0 || item.weight() > 100) {
      return absl::InvalidArgumentError("ValidationException: weights are between 0 and 100");
    }
    auto version = b.store.GetVersion(machine_arn, ref->version);
    if (!version.ok()) return version.status();
    for (const store::AliasRoute& r : routes) {
      if (r.version == ref->version) {
        return absl::InvalidArgumentError("ValidationException: a version is routed twice");
      }
    }
    routes.push_back({ref->version, item.weight()});
    total += item.weight();
  }
  if (total != 100) {
    return absl::InvalidArgumentError(
        StrCat("ValidationException: weights add up to ", total, ", not 100"));
  }
  return routes;
}

void FillRoutes(const store::AliasRecord& a,
                google::protobuf::RepeatedPtrField<v1::RoutingConfigurationListItem>* out) {
  for (const store::AliasRoute& r : a.routes) {
    v1::RoutingConfigurationListItem* item = out->Add();
    item->set_state_machine_version_arn(VersionArn(a.machine_arn, r.version));
    item->set_weight(r.weight);
  }
}

}  // namespace

int PageSize(int max_results) {
  if (max_results <= 0) return 100;
  return std::min(max_results, 1000);
}

ServerUnaryReactor* StateMachinesService::CreateStateMachine(
    CallbackServerContext* context, const v1::CreateStateMachineRequest* request,
    v1::CreateStateMachineResponse* response) {
  if (!NameProblem(request->name()).empty()) {
    return Done(context, BadName("state machine name", request->name()));
  }
  auto checked = CheckDefinition(request->definition());
  if (!checked.ok()) return Done(context, FromStatus(checked.status(), kNoMachine));
  store::MachineRecord m;
  m.arn = MachineArn(request->name());
  m.name = request->name();
  m.definition = request->definition();
  m.definition_id = checked->id;
  m.type = request->type() == v1::STATE_MACHINE_TYPE_EXPRESS ? "EXPRESS" : "STANDARD";
  m.role_arn = request->role_arn();
  m.revision_id = NewUuid();
  m.created = m.updated = absl::Now();
  absl::Status created = b_.store.CreateMachine(m);
  if (created.code() == absl::StatusCode::kAlreadyExists) {
    // AWS: the same definition and role again is not an error.
    auto existing = b_.store.GetMachine(m.arn);
    if (existing.ok() && existing->definition == m.definition && existing->role_arn == m.role_arn) {
      response->set_state_machine_arn(existing->arn);
      SetTime(existing->created, [&] { return response->mutable_creation_date(); });
      if (request->publish()) {
        // A retried create-and-publish whose publish did not happen the
        // first time: publishing is idempotent for an unchanged revision.
        auto version = b_.store.PublishVersion(existing->arn, existing->revision_id,
                                               request->version_description(), absl::Now());
        if (!version.ok()) return Done(context, FromStatus(version.status(), kNoMachine));
        response->set_state_machine_version_arn(VersionArn(existing->arn, version->version));
      }
      return Done(context, grpc::Status::OK);
    }
    return Done(context, Error(grpc::StatusCode::ALREADY_EXISTS, "StateMachineAlreadyExists",
                               StrCat("state machine ", m.arn, " already exists")));
  }
  if (!created.ok()) return Done(context, FromStatus(created, kNoMachine));
  b_.engine.machines().Put(checked->id, checked->machine);
  response->set_state_machine_arn(m.arn);
  SetTime(m.created, [&] { return response->mutable_creation_date(); });
  if (request->publish()) {
    auto version =
        b_.store.PublishVersion(m.arn, m.revision_id, request->version_description(), m.created);
    if (!version.ok()) return Done(context, FromStatus(version.status(), kNoMachine));
    response->set_state_machine_version_arn(VersionArn(m.arn, version->version));
  }
  return Done(context, grpc::Status::OK);
}

ServerUnaryReactor* StateMachinesService::UpdateStateMachine(
    CallbackServerContext* context, const v1::UpdateStateMachineRequest* request,
    v1::UpdateStateMachineResponse* response) {
  auto ref = ParseMachineArn(request->state_machine_arn());
  if (!ref || ref->version || !ref->alias.empty()) {
    return Done(context, BadArn(request->state_machine_arn()));
  }
  if (!request->has_definition() && !request->has_role_arn()) {
    return Done(context, Error(grpc::StatusCode::INVALID_ARGUMENT, "MissingRequiredParameter",
                               "give a definition or a role_arn to update"));
  }
  auto m = b_.store.GetMachine(ref->machine_arn);
  if (!m.ok()) return Done(context, FromStatus(m.status(), kNoMachine));
  if (request->has_definition()) {
    auto checked = CheckDefinition(request->definition());
    if (!checked.ok()) return Done(context, FromStatus(checked.status(), kNoMachine));
    m->definition = request->definition();
    m->definition_id = checked->id;
    b_.engine.machines().Put(checked->id, checked->machine);
  }
  if (request->has_role_arn()) m->role_arn = request->role_arn();
  m->revision_id = NewUuid();
  m->updated = absl::Now();
  absl::Status updated = b_.store.UpdateMachine(*m);
  b_.targets.Forget(m->arn);  // whatever the outcome: the next start reads the store
  if (!updated.ok()) return Done(context, FromStatus(updated, kNoMachine));
  SetTime(m->updated, [&] { return response->mutable_update_date(); });
  response->set_revision_id(m->revision_id);
  if (request->publish()) {
    auto version =
        b_.store.PublishVersion(m->arn, m->revision_id, request->version_description(), m->updated);
    if (!version.ok()) return Done(context, FromStatus(version.status(), kNoMachine));
    response->set_state_machine_version_arn(VersionArn(m->arn, version->version));
  }
  return Done(context, grpc::Status::OK);
}

ServerUnaryReactor* StateMachinesService::DescribeStateMachine(
    CallbackServerContext* context, const v1::DescribeStateMachineRequest* request,
    v1::DescribeStateMachineResponse* response) {
  auto ref = ParseMachineArn(request->state_machine_arn());
  if (!ref || !ref->alias.empty()) return Done(context, BadArn(request->state_machine_arn()));
  auto m = b_.store.GetMachine(ref->machine_arn);
  if (!m.ok()) return Done(context, FromStatus(m.status(), kNoMachine));
  response->set_state_machine_arn(m->arn);
  response->set_name(m->name);
  response->set_status(v1::STATE_MACHINE_STATUS_ACTIVE);
  response->set_definition(m->definition);
  response->set_role_arn(m->role_arn);
  response->set_type(TypeOf(m->type));
  SetTime(m->created, [&] { return response->mutable_creation_date(); });
  response->set_revision_id(m->revision_id);
  if (ref->version) {
    auto v = b_.store.GetVersion(ref->machine_arn, ref->version);
    if (!v.ok()) return Done(context, FromStatus(v.status(), kNoMachine));
    response->set_state_machine_arn(VersionArn(m->arn, v->version));
    response->set_definition(v->definition);
    response->set_revision_id(v->revision_id);
    response->set_description(v->description);
    SetTime(v->created, [&] { return response->mutable_creation_date(); });
  }
  return Done(context, grpc::Status::OK);
}

ServerUnaryReactor* StateMachinesService::ListStateMachines(
    CallbackServerContext* context, const v1::ListStateMachinesRequest* request,
    v1::ListStateMachinesResponse* response) {
  auto page = b_.store.ListMachines({request->next_token(), PageSize(request->max_results())});
  if (!page.ok()) return Done(context, FromStatus(page.status(), kNoMachine));
  for (const store::MachineRecord& m : page->items) {
    v1::StateMachineListItem* item = response->add_state_machines();
    item->set_state_machine_arn(m.arn);
    item->set_name(m.name);
    item->set_type(TypeOf(m.type));
    SetTime(m.created, [&] { return item->mutable_creation_date(); });
  }
  response->set_next_token(page->next_token);
  return Done(context, grpc::Status::OK);
}

ServerUnaryReactor* StateMachinesService::DeleteStateMachine(
    CallbackServerContext* context, const v1::DeleteStateMachineRequest* request,
    v1::DeleteStateMachineResponse*) {
  auto ref = ParseMachineArn(request->state_machine_arn());
  if (!ref || ref->version || !ref->alias.empty()) {
    return Done(context, BadArn(request->state_machine_arn()));
  }
  absl::Status deleted = b_.store.DeleteMachine(ref->machine_arn);
  b_.targets.Forget(ref->machine_arn);
  // AWS: deleting a machine that does not exist succeeds.
  if (deleted.code() == absl::StatusCode::kNotFound) return Done(context, grpc::Status::OK);
  return Done(context, FromStatus(deleted, kNoMachine));
}

ServerUnaryReactor* StateMachinesService::PublishStateMachineVersion(
    CallbackServerContext* context, const v1::PublishStateMachineVersionRequest* request,
    v1::PublishStateMachineVersionResponse* response) {
  auto ref = ParseMachineArn(request->state_machine_arn());
  if (!ref || ref->version || !ref->alias.empty()) {
    return Done(context, BadArn(request->state_machine_arn()));
  }
  auto v = b_.store.PublishVersion(ref->machine_arn, request->revision_id(), request->description(),
                                   absl::Now());
  if (!v.ok()) return Done(context, FromStatus(v.status(), kNoMachine));
  SetTime(v->created, [&] { return response->mutable_creation_date(); });
  response->set_state_machine_version_arn(VersionArn(ref->machine_arn, v->version));
  return Done(context, grpc::Status::OK);
}

ServerUnaryReactor* StateMachinesService::ListStateMachineVersions(
    CallbackServerContext* context, const v1::ListStateMachineVersionsRequest* request,
    v1::ListStateMachineVersionsResponse* response) {
  auto ref = ParseMachineArn(request->state_machine_arn());
  if (!ref || ref->version || !ref->alias.empty()) {
    return Done(context, BadArn(request->state_machine_arn()));
  }
  if (auto m = b_.store.GetMachine(ref->machine_arn); !m.ok()) {
    return Done(context, FromStatus(m.status(), kNoMachine));
  }
  auto page = b_.store.ListVersions(ref->machine_arn,
                                    {request->next_token(), PageSize(request->max_results())});
  if (!page.ok()) return Done(context, FromStatus(page.status(), kNoMachine));
  for (const store::VersionRecord& v : page->items) {
    v1::StateMachineVersionListItem* item = response->add_state_machine_versions();
    item->set_state_machine_version_arn(VersionArn(v.machine_arn, v.version));
    SetTime(v.created, [&] { return item->mutable_creation_date(); });
  }
  response->set_next_token(page->next_token);
  return Done(context, grpc::Status::OK);
}

ServerUnaryReactor* StateMachinesService::CreateStateMachineAlias(
    CallbackServerContext* context, const v1::CreateStateMachineAliasRequest* request,
    v1::CreateStateMachineAliasResponse* response) {
  if (!NameProblem(request->name()).empty()) {
    return Done(context, BadName("alias name", request->name()));
  }
  if (request->routing_configuration().empty()) {
    return Done(context, Error(grpc::StatusCode::INVALID_ARGUMENT, "ValidationException",
                               "routing_configuration needs one or two versions"));
  }
  auto first = ParseMachineArn(request->routing_configuration(0).state_machine_version_arn());
  if (!first || first->version == 0) {
    return Done(context, BadArn(request->routing_configuration(0).state_machine_version_arn()));
  }
  auto routes = Routes(b_, first->machine_arn, request->routing_configuration());
  if (!routes.ok()) return Done(context, FromStatus(routes.status(), "ResourceNotFound"));
  store::AliasRecord a;
  a.machine_arn = first->machine_arn;
  a.arn = AliasArn(a.machine_arn, request->name());
  a.name = request->name();
  a.description = request->description();
  a.routes = std::move(*routes);
  a.created = a.updated = absl::Now();
  absl::Status created = b_.store.CreateAlias(a);
  if (!created.ok()) return Done(context, FromStatus(created, "ResourceNotFound"));
  response->set_state_machine_alias_arn(a.arn);
  SetTime(a.created, [&] { return response->mutable_creation_date(); });
  return Done(context, grpc::Status::OK);
}

ServerUnaryReactor* StateMachinesService::UpdateStateMachineAlias(
    CallbackServerContext* context, const v1::UpdateStateMachineAliasRequest* request,
    v1::UpdateStateMachineAliasResponse* response) {
  auto a = b_.store.GetAlias(request->state_machine_alias_arn());
  if (!a.ok()) return Done(context, FromStatus(a.status(), "ResourceNotFound"));
  if (request->has_description()) a->description = request->description();
  if (!request->routing_configuration().empty()) {
    auto routes = Routes(b_, a->machine_arn, request->routing_configuration());
    if (!routes.ok()) return Done(context, FromStatus(routes.status(), "ResourceNotFound"));
    a->routes = std::move(*routes);
  }
  a->updated = absl::Now();
  absl::Status updated = b_.store.UpdateAlias(*a);
  if (!updated.ok()) return Done(context, FromStatus(updated, "ResourceNotFound"));
  SetTime(a->updated, [&] { return response->mutable_update_date(); });
  return Done(context, grpc::Status::OK);
}

ServerUnaryReactor* StateMachinesService::DescribeStateMachineAlias(
    CallbackServerContext* context, const v1::DescribeStateMachineAliasRequest* request,
    v1::DescribeStateMachineAliasResponse* response) {
  auto a = b_.store.GetAlias(request->state_machine_alias_arn());
  if (!a.ok()) return Done(context, FromStatus(a.status(), "ResourceNotFound"));
  response->set_state_machine_alias_arn(a->arn);
  response->set_name(a->name);
  response->set_description(a->description);
  FillRoutes(*a, response->mutable_routing_configuration());
  SetTime(a->created, [&] { return response->mutable_creation_date(); });
  SetTime(a->updated, [&] { return response->mutable_update_date(); });
  return Done(context, grpc::Status::OK);
}

ServerUnaryReactor* StateMachinesService::ListStateMachineAliases(
    CallbackServerContext* context, const v1::ListStateMachineAliasesRequest* request,
    v1::ListStateMachineAliasesResponse* response) {
  auto ref = ParseMachineArn(request->state_machine_arn());
  if (!ref || ref->version || !ref->alias.empty()) {
    return Done(context, BadArn(request->state_machine_arn()));
  }
  if (auto m = b_.store.GetMachine(ref->machine_arn); !m.ok()) {
    return Done(context, FromStatus(m.status(), kNoMachine));
  }
  auto page = b_.store.ListAliases(ref->machine_arn,
                                   {request->next_token(), PageSize(request->max_results())});
  if (!page.ok()) return Done(context, FromStatus(page.status(), kNoMachine));
  for (const store::AliasRecord& a : page->items) {
    v1::StateMachineAliasListItem* item = response->add_state_machine_aliases();
    item->set_state_machine_alias_arn(a.arn);
    SetTime(a.created, [&] { return item->mutable_creation_date(); });
  }
  response->set_next_token(page->next_token);
  return Done(context, grpc::Status::OK);
}

ServerUnaryReactor* StateMachinesService::DeleteStateMachineAlias(
    CallbackServerContext* context, const v1::DeleteStateMachineAliasRequest* request,
    v1::DeleteStateMachineAliasResponse*) {
  return Done(context, FromStatus(b_.store.DeleteAlias(request->state_machine_alias_arn()),
                                  "ResourceNotFound"));
}

ServerUnaryReactor* StateMachinesService::DescribeStateMachineForExecution(
    CallbackServerContext* context, const v1::DescribeStateMachineForExecutionRequest* request,
    v1::DescribeStateMachineForExecutionResponse* response) {
  auto e = b_.store.GetExecution(request->execution_arn());
  if (!e.ok()) return Done(context, FromStatus(e.status(), "ExecutionDoesNotExist"));
  auto definition = b_.store.GetDefinition(e->definition_id);
  if (!definition.ok()) return Done(context, FromStatus(definition.status(), kNoMachine));
  auto machine_name = MachineOfExecution(e->arn);
  response->set_state_machine_arn(e->machine_arn);
  response->set_name(machine_name.value_or(""));
  response->set_definition(*definition);
  if (auto m = b_.store.GetMachine(e->machine_arn); m.ok()) {
    response->set_role_arn(m->role_arn);
    if (m->definition_id == e->definition_id) {
      response->set_revision_id(m->revision_id);
      SetTime(m->updated, [&] { return response->mutable_update_date(); });
    }
  }
  return Done(context, grpc::Status::OK);
}

ServerUnaryReactor* StateMachinesService::ValidateStateMachineDefinition(
    CallbackServerContext* context, const v1::ValidateStateMachineDefinitionRequest* request,
    v1::ValidateStateMachineDefinitionResponse* response) {
  definition::LoadResult loaded = definition::LoadAsl(request->definition());
  int limit = request->max_results() > 0 ? request->max_results() : 100;
  response->set_result(loaded.ok() ? "OK" : "FAIL");
  for (const definition::Diagnostic& d : loaded.errors) {
    if (response->diagnostics_size() == limit) {
      response->set_truncated(true);
      break;
    }
    v1::ValidateStateMachineDefinitionDiagnostic* out = response->add_diagnostics();
    out->set_severity("ERROR");
    out->set_code("SCHEMA_VALIDATION_FAILED");
    out->set_message(d.message);
    out->set_location(d.location);
  }
  return Done(context, grpc::Status::OK);
}

}  // namespace fleetflow::server
