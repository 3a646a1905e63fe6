// The server's gRPC API end to end: every RPC of StateMachines, Executions,
// Tasks and Activities (and grpc.health.v1), its answers, its error codes
// with the AWS exception name leading the message, and its bad inputs,
// through a real channel to a real server over SQLite and PostgreSQL.

#include <gmock/gmock.h>
#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>

#include "absl/time/clock.h"

#include <algorithm>
#include <future>
#include <map>
#include <regex>
#include <set>

#include "tests/engine/server/api_test_fixture.h"

namespace fleetflow::server::apitest {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using SC = grpc::StatusCode;

constexpr size_t kPayloadLimit = 256 * 1024;
const std::string kMachinePrefix = "arn:fleetflow:states:local:stateMachine:";
const std::string kRole = "arn:aws:iam::123456789012:role/robot";

// A JSON string of exactly `bytes` bytes of text.
std::string JsonStringOfSize(size_t bytes) { return "\"" + std::string(bytes - 2, 'a') + "\""; }

v1::RoutingConfigurationListItem Route(const std::string& version_arn, int weight) {
  v1::RoutingConfigurationListItem item;
  item.set_state_machine_version_arn(version_arn);
  item.set_weight(weight);
  return item;
}

std::vector<int64_t> Ids(const std::vector<v1::HistoryEvent>& events) {
  std::vector<int64_t> ids;
  for (const v1::HistoryEvent& e : events) ids.push_back(e.id());
  return ids;
}

std::vector<int64_t> OneTo(int64_t n) {
  std::vector<int64_t> ids;
  for (int64_t i = 1; i <= n; ++i) ids.push_back(i);
  return ids;
}

// ===========================================================================
// StateMachines

TEST_P(ApiTest, CreateStateMachineStoresWhatWasGiven) {
  v1::CreateStateMachineRequest request;
  request.set_name("Mission");
  request.set_definition(std::string(kPass));
  request.set_role_arn(kRole);
  request.set_type(v1::STATE_MACHINE_TYPE_EXPRESS);
  v1::CreateStateMachineResponse created;
  ASSERT_TRUE(IsOk(machines_->CreateStateMachine(Ctx().get(), request, &created)));
  EXPECT_EQ(created.state_machine_arn(), kMachinePrefix + "Mission");
  EXPECT_TRUE(created.has_creation_date());
  EXPECT_TRUE(created.state_machine_version_arn().empty());  // publish was false

  v1::DescribeStateMachineRequest describe;
  describe.set_state_machine_arn(created.state_machine_arn());
  v1::DescribeStateMachineResponse machine;
  ASSERT_TRUE(IsOk(machines_->DescribeStateMachine(Ctx().get(), describe, &machine)));
  EXPECT_EQ(machine.state_machine_arn(), created.state_machine_arn());
  EXPECT_EQ(machine.name(), "Mission");
  EXPECT_EQ(machine.status(), v1::STATE_MACHINE_STATUS_ACTIVE);
  EXPECT_EQ(machine.definition(), kPass);
  EXPECT_EQ(machine.role_arn(), kRole);
  EXPECT_EQ(machine.type(), v1::STATE_MACHINE_TYPE_EXPRESS);
  EXPECT_TRUE(machine.has_creation_date());
  EXPECT_FALSE(machine.revision_id().empty());

  // An unspecified type is STANDARD, as in AWS.
  request.set_name("Standard");
  request.set_type(v1::STATE_MACHINE_TYPE_UNSPECIFIED);
  ASSERT_TRUE(IsOk(machines_->CreateStateMachine(Ctx().get(), request, &created)));
  describe.set_state_machine_arn(created.state_machine_arn());
  ASSERT_TRUE(IsOk(machines_->DescribeStateMachine(Ctx().get(), describe, &machine)));
  EXPECT_EQ(machine.type(), v1::STATE_MACHINE_TYPE_STANDARD);
}

TEST_P(ApiTest, CreateStateMachineAgainIsIdempotentOnlyWithTheSameDefinition) {
  v1::CreateStateMachineRequest request;
  request.set_name("Mission");
  request.set_definition(std::string(kPass));
  request.set_role_arn(kRole);
  v1::CreateStateMachineResponse first, again, other;
  ASSERT_TRUE(IsOk(machines_->CreateStateMachine(Ctx().get(), request, &first)));
  ASSERT_TRUE(IsOk(machines_->CreateStateMachine(Ctx().get(), request, &again)));
  EXPECT_EQ(again.state_machine_arn(), first.state_machine_arn());
  EXPECT_TRUE(again.has_creation_date());

  request.set_definition(std::string(kPassTwo));
  EXPECT_TRUE(IsError(machines_->CreateStateMachine(Ctx().get(), request, &other),
                      SC::ALREADY_EXISTS, "StateMachineAlreadyExists"));

  // The machine kept its first definition.
  v1::DescribeStateMachineRequest describe;
  describe.set_state_machine_arn(first.state_machine_arn());
  v1::DescribeStateMachineResponse machine;
  ASSERT_TRUE(IsOk(machines_->DescribeStateMachine(Ctx().get(), describe, &machine)));
  EXPECT_EQ(machine.definition(), kPass);
}

TEST_P(ApiTest, CreateStateMachineRejectsInvalidNames) {
  for (const std::string& name :
       {std::string(), std::string("has space"), std::string("a/b"), std::string("a:b"),
        std::string("curly{"), std::string("tab\tname"), std::string(81, 'x')}) {
    v1::CreateStateMachineRequest request;
    request.set_name(name);
    request.set_definition(std::string(kPass));
    v1::CreateStateMachineResponse response;
    EXPECT_TRUE(IsError(machines_->CreateStateMachine(Ctx().get(), request, &response),
                        SC::INVALID_ARGUMENT, "InvalidName"))
        << "name '" << name << "'";
  }
  // 80 characters is still a name.
  EXPECT_EQ(CreateMachine(std::string(80, 'x'), kPass), kMachinePrefix + std::string(80, 'x'));
}

TEST_P(ApiTest, CreateStateMachineRejectsAnInvalidDefinitionNamingWhere) {
  v1::CreateStateMachineRequest request;
  request.set_name("Broken");
  request.set_definition(R"({"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Nowhere"}}})");
  v1::CreateStateMachineResponse response;
  grpc::Status s = machines_->CreateStateMachine(Ctx().get(), request, &response);
  EXPECT_TRUE(IsError(s, SC::INVALID_ARGUMENT, "InvalidDefinition"));
  EXPECT_THAT(s.error_message(), HasSubstr("/States/A/Next"));

  request.set_definition("{not json");
  EXPECT_TRUE(IsError(machines_->CreateStateMachine(Ctx().get(), request, &response),
                      SC::INVALID_ARGUMENT, "InvalidDefinition"));

  // Nothing was created.
  v1::ListStateMachinesResponse list;
  ASSERT_TRUE(IsOk(machines_->ListStateMachines(Ctx().get(), {}, &list)));
  EXPECT_THAT(list.state_machines(), IsEmpty());
}

TEST_P(ApiTest, CreateStateMachineWithPublishReturnsVersionOne) {
  v1::CreateStateMachineRequest request;
  request.set_name("Mission");
  request.set_definition(std::string(kPass));
  request.set_publish(true);
  request.set_version_description("first flight");
  v1::CreateStateMachineResponse created;
  ASSERT_TRUE(IsOk(machines_->CreateStateMachine(Ctx().get(), request, &created)));
  EXPECT_EQ(created.state_machine_version_arn(), created.state_machine_arn() + ":1");

  v1::DescribeStateMachineRequest describe;
  describe.set_state_machine_arn(created.state_machine_version_arn());
  v1::DescribeStateMachineResponse version;
  ASSERT_TRUE(IsOk(machines_->DescribeStateMachine(Ctx().get(), describe, &version)));
  EXPECT_EQ(version.state_machine_arn(), created.state_machine_version_arn());
  EXPECT_EQ(version.name(), "Mission");
  EXPECT_EQ(version.definition(), kPass);
  EXPECT_EQ(version.description(), "first flight");
}

TEST_P(ApiTest, UpdateStateMachineChangesTheDefinitionAndTheRole) {
  std::string arn = CreateMachine("Mission", kPass);
  v1::DescribeStateMachineRequest describe;
  describe.set_state_machine_arn(arn);
  v1::DescribeStateMachineResponse before, after;
  ASSERT_TRUE(IsOk(machines_->DescribeStateMachine(Ctx().get(), describe, &before)));

  v1::UpdateStateMachineRequest update;
  update.set_state_machine_arn(arn);
  update.set_definition(std::string(kPassTwo));
  v1::UpdateStateMachineResponse updated;
  ASSERT_TRUE(IsOk(machines_->UpdateStateMachine(Ctx().get(), update, &updated)));
  EXPECT_TRUE(updated.has_update_date());
  EXPECT_FALSE(updated.revision_id().empty());
  EXPECT_NE(updated.revision_id(), before.revision_id());
  EXPECT_TRUE(updated.state_machine_version_arn().empty());
  ASSERT_TRUE(IsOk(machines_->DescribeStateMachine(Ctx().get(), describe, &after)));
  EXPECT_EQ(after.definition(), kPassTwo);
  EXPECT_EQ(after.role_arn(), before.role_arn());  // not given: kept
  EXPECT_EQ(after.revision_id(), updated.revision_id());

  // The role alone, publishing the result.
  update.Clear();
  update.set_state_machine_arn(arn);
  update.set_role_arn("arn:aws:iam::123456789012:role/other");
  update.set_publish(true);
  ASSERT_TRUE(IsOk(machines_->UpdateStateMachine(Ctx().get(), update, &updated)));
  EXPECT_EQ(updated.state_machine_version_arn(), arn + ":1");
  ASSERT_TRUE(IsOk(machines_->DescribeStateMachine(Ctx().get(), describe, &after)));
  EXPECT_EQ(after.role_arn(), "arn:aws:iam::123456789012:role/other");
  EXPECT_EQ(after.definition(), kPassTwo);  // not given: kept
}

TEST_P(ApiTest, UpdateStateMachineRejectsBadRequests) {
  std::string arn = CreateMachine("Mission", kPass);
  v1::UpdateStateMachineRequest update;
  v1::UpdateStateMachineResponse response;

  update.set_state_machine_arn(arn);  // neither definition nor role
  EXPECT_TRUE(IsError(machines_->UpdateStateMachine(Ctx().get(), update, &response),
                      SC::INVALID_ARGUMENT, "MissingRequiredParameter"));

  update.set_state_machine_arn(kMachinePrefix + "Unknown");
  update.set_definition(std::string(kPassTwo));
  EXPECT_TRUE(IsError(machines_->UpdateStateMachine(Ctx().get(), update, &response), SC::NOT_FOUND,
                      "StateMachineDoesNotExist"));

  for (const std::string& bad :
       {std::string("not-an-arn"), std::string("arn:aws:states:us-east-1:1:stateMachine:Mission"),
        arn + ":1", arn + ":live", kMachinePrefix}) {
    update.set_state_machine_arn(bad);
    EXPECT_TRUE(IsError(machines_->UpdateStateMachine(Ctx().get(), update, &response),
                        SC::INVALID_ARGUMENT, "InvalidArn"))
        << bad;
  }

  update.set_state_machine_arn(arn);
  update.set_definition(R"({"StartAt":"Nope","States":{"A":{"Type":"Succeed"}}})");
  EXPECT_TRUE(IsError(machines_->UpdateStateMachine(Ctx().get(), update, &response),
                      SC::INVALID_ARGUMENT, "InvalidDefinition"));

  v1::DescribeStateMachineRequest describe;
  describe.set_state_machine_arn(arn);
  v1::DescribeStateMachineResponse machine;
  ASSERT_TRUE(IsOk(machines_->DescribeStateMachine(Ctx().get(), describe, &machine)));
  EXPECT_EQ(machine.definition(), kPass);  // no bad update changed it
}

TEST_P(ApiTest, DescribeStateMachineOfAVersionKeepsItsDefinitionAfterAnUpdate) {
  std::string arn = CreateMachine("Mission", kPass);
  std::string v1_arn = Publish(arn);
  ASSERT_EQ(v1_arn, arn + ":1");
  ASSERT_TRUE(IsOk(UpdateDefinition(arn, kPassTwo)));

  v1::DescribeStateMachineRequest describe;
  v1::DescribeStateMachineResponse response;
  describe.set_state_machine_arn(v1_arn);
  ASSERT_TRUE(IsOk(machines_->DescribeStateMachine(Ctx().get(), describe, &response)));
  EXPECT_EQ(response.state_machine_arn(), v1_arn);
  EXPECT_EQ(response.definition(), kPass);

  describe.set_state_machine_arn(arn);
  ASSERT_TRUE(IsOk(machines_->DescribeStateMachine(Ctx().get(), describe, &response)));
  EXPECT_EQ(response.state_machine_arn(), arn);
  EXPECT_EQ(response.definition(), kPassTwo);

  describe.set_state_machine_arn(arn + ":2");  // not published
  EXPECT_TRUE(IsError(machines_->DescribeStateMachine(Ctx().get(), describe, &response),
                      SC::NOT_FOUND, "StateMachineDoesNotExist"));
  describe.set_state_machine_arn(kMachinePrefix + "Unknown");
  EXPECT_TRUE(IsError(machines_->DescribeStateMachine(Ctx().get(), describe, &response),
                      SC::NOT_FOUND, "StateMachineDoesNotExist"));
  describe.set_state_machine_arn("arn:fleetflow:states:local:activity:Mission");
  EXPECT_TRUE(IsError(machines_->DescribeStateMachine(Ctx().get(), describe, &response),
                      SC::INVALID_ARGUMENT, "InvalidArn"));
}

// engine.proto, DescribeStateMachineRequest: "state_machine_arn may be a
// state machine, version or alias ARN."
// As in AWS: an alias is described by DescribeStateMachineAlias, not here.
TEST_P(ApiTest, DescribeStateMachineRefusesAnAliasArn) {
  std::string arn = CreateMachine("Mission", kPass);
  std::string version = Publish(arn);
  v1::CreateStateMachineAliasRequest alias;
  alias.set_name("live");
  *alias.add_routing_configuration() = Route(version, 100);
  v1::CreateStateMachineAliasResponse created;
  ASSERT_TRUE(IsOk(machines_->CreateStateMachineAlias(Ctx().get(), alias, &created)));

  v1::DescribeStateMachineRequest describe;
  describe.set_state_machine_arn(created.state_machine_alias_arn());
  v1::DescribeStateMachineResponse response;
  grpc::Status s = machines_->DescribeStateMachine(Ctx().get(), describe, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("InvalidArn: ", 0), 0u) << s.error_message();
}

TEST_P(ApiTest, ListStateMachinesPagesThroughEveryMachineOnce) {
  for (const char* name : {"M3", "M1", "M5", "M2", "M4"}) CreateMachine(name, kPass);
  std::vector<std::string> names;
  std::vector<int> page_sizes;
  std::string token;
  int pages = 0;
  do {
    v1::ListStateMachinesRequest request;
    request.set_max_results(2);
    request.set_next_token(token);
    v1::ListStateMachinesResponse response;
    ASSERT_TRUE(IsOk(machines_->ListStateMachines(Ctx().get(), request, &response)));
    page_sizes.push_back(response.state_machines_size());
    for (const v1::StateMachineListItem& m : response.state_machines()) {
      names.push_back(m.name());
      EXPECT_EQ(m.state_machine_arn(), kMachinePrefix + m.name());
      EXPECT_EQ(m.type(), v1::STATE_MACHINE_TYPE_STANDARD);
      EXPECT_TRUE(m.has_creation_date());
    }
    token = response.next_token();
    ASSERT_LT(++pages, 10) << "paging does not end";
  } while (!token.empty());
  EXPECT_THAT(page_sizes, ElementsAre(2, 2, 1));
  std::sort(names.begin(), names.end());
  EXPECT_THAT(names, ElementsAre("M1", "M2", "M3", "M4", "M5"));

  // All on one page without a limit.
  v1::ListStateMachinesResponse all;
  ASSERT_TRUE(IsOk(machines_->ListStateMachines(Ctx().get(), {}, &all)));
  EXPECT_EQ(all.state_machines_size(), 5);
  EXPECT_TRUE(all.next_token().empty());
}

TEST_P(ApiTest, DeleteStateMachineRemovesItWithVersionsAndAliases) {
  v1::CreateStateMachineRequest create;
  create.set_name("Mission");
  create.set_definition(std::string(kPass));
  create.set_publish(true);
  v1::CreateStateMachineResponse created;
  ASSERT_TRUE(IsOk(machines_->CreateStateMachine(Ctx().get(), create, &created)));
  v1::CreateStateMachineAliasRequest alias;
  alias.set_name("live");
  *alias.add_routing_configuration() = Route(created.state_machine_version_arn(), 100);
  v1::CreateStateMachineAliasResponse alias_created;
  ASSERT_TRUE(IsOk(machines_->CreateStateMachineAlias(Ctx().get(), alias, &alias_created)));

  v1::DeleteStateMachineRequest del;
  del.set_state_machine_arn(created.state_machine_arn());
  v1::DeleteStateMachineResponse deleted;
  ASSERT_TRUE(IsOk(machines_->DeleteStateMachine(Ctx().get(), del, &deleted)));

  v1::DescribeStateMachineRequest describe;
  v1::DescribeStateMachineResponse machine;
  for (const std::string& arn :
       {created.state_machine_arn(), created.state_machine_version_arn()}) {
    describe.set_state_machine_arn(arn);
    EXPECT_TRUE(IsError(machines_->DescribeStateMachine(Ctx().get(), describe, &machine),
                        SC::NOT_FOUND, "StateMachineDoesNotExist"))
        << arn;
  }
  v1::DescribeStateMachineAliasRequest describe_alias;
  describe_alias.set_state_machine_alias_arn(alias_created.state_machine_alias_arn());
  v1::DescribeStateMachineAliasResponse alias_described;
  EXPECT_EQ(machines_->DescribeStateMachineAlias(Ctx().get(), describe_alias, &alias_described)
                .error_code(),
            SC::NOT_FOUND);
  v1::ListStateMachinesResponse list;
  ASSERT_TRUE(IsOk(machines_->ListStateMachines(Ctx().get(), {}, &list)));
  EXPECT_THAT(list.state_machines(), IsEmpty());

  // AWS: deleting again, or a machine that never existed, succeeds.
  EXPECT_TRUE(IsOk(machines_->DeleteStateMachine(Ctx().get(), del, &deleted)));
  del.set_state_machine_arn(kMachinePrefix + "Never");
  EXPECT_TRUE(IsOk(machines_->DeleteStateMachine(Ctx().get(), del, &deleted)));
  for (const std::string& bad : {std::string("garbage"), created.state_machine_version_arn(),
                                 created.state_machine_arn() + ":live"}) {
    del.set_state_machine_arn(bad);
    EXPECT_TRUE(IsError(machines_->DeleteStateMachine(Ctx().get(), del, &deleted),
                        SC::INVALID_ARGUMENT, "InvalidArn"))
        << bad;
  }

  // The name is free again, for another definition.
  EXPECT_EQ(CreateMachine("Mission", kPassTwo), created.state_machine_arn());
}

TEST_P(ApiTest, DeleteStateMachineLetsRunningExecutionsFinish) {
  std::string arn = CreateMachine("Callback", kCallback);
  std::string execution = StartOk(arn, "running");
  std::string token = AwaitTaskToken(execution);
  ASSERT_FALSE(token.empty());
  v1::DeleteStateMachineRequest del;
  del.set_state_machine_arn(arn);
  v1::DeleteStateMachineResponse deleted;
  ASSERT_TRUE(IsOk(machines_->DeleteStateMachine(Ctx().get(), del, &deleted)));
  ASSERT_TRUE(IsOk(SendSuccess(token, R"({"done":true})")));
  v1::DescribeExecutionResponse end = AwaitEnd(execution);
  EXPECT_EQ(end.status(), v1::EXECUTION_STATUS_SUCCEEDED) << end.error() << ": " << end.cause();
  EXPECT_EQ(end.output(), R"({"done":true})");
}

TEST_P(ApiTest, PublishStateMachineVersionAndListVersionsNewestFirst) {
  std::string arn = CreateMachine("Mission", kPass);
  v1::PublishStateMachineVersionRequest publish;
  publish.set_state_machine_arn(arn);
  publish.set_description("v1");
  v1::PublishStateMachineVersionResponse published;
  ASSERT_TRUE(IsOk(machines_->PublishStateMachineVersion(Ctx().get(), publish, &published)));
  EXPECT_EQ(published.state_machine_version_arn(), arn + ":1");
  EXPECT_TRUE(published.has_creation_date());
  // Nothing changed since: the same version again (AWS).
  ASSERT_TRUE(IsOk(machines_->PublishStateMachineVersion(Ctx().get(), publish, &published)));
  EXPECT_EQ(published.state_machine_version_arn(), arn + ":1");

  v1::DescribeStateMachineRequest describe;
  describe.set_state_machine_arn(arn);
  v1::DescribeStateMachineResponse first_revision;
  ASSERT_TRUE(IsOk(machines_->DescribeStateMachine(Ctx().get(), describe, &first_revision)));

  ASSERT_TRUE(IsOk(UpdateDefinition(arn, kPassTwo)));
  EXPECT_EQ(Publish(arn), arn + ":2");
  ASSERT_TRUE(IsOk(UpdateDefinition(arn, kPassChain)));
  EXPECT_EQ(Publish(arn), arn + ":3");

  v1::ListStateMachineVersionsRequest list;
  list.set_state_machine_arn(arn);
  v1::ListStateMachineVersionsResponse versions;
  ASSERT_TRUE(IsOk(machines_->ListStateMachineVersions(Ctx().get(), list, &versions)));
  std::vector<std::string> arns;
  for (const auto& v : versions.state_machine_versions()) {
    arns.push_back(v.state_machine_version_arn());
    EXPECT_TRUE(v.has_creation_date());
  }
  EXPECT_THAT(arns, ElementsAre(arn + ":3", arn + ":2", arn + ":1"));
  EXPECT_TRUE(versions.next_token().empty());

  // Paging keeps the order.
  arns.clear();
  list.set_max_results(2);
  int pages = 0;
  do {
    ASSERT_TRUE(IsOk(machines_->ListStateMachineVersions(Ctx().get(), list, &versions)));
    for (const auto& v : versions.state_machine_versions()) {
      arns.push_back(v.state_machine_version_arn());
    }
    list.set_next_token(versions.next_token());
    ASSERT_LT(++pages, 10);
  } while (!versions.next_token().empty());
  EXPECT_EQ(pages, 2);
  EXPECT_THAT(arns, ElementsAre(arn + ":3", arn + ":2", arn + ":1"));

  // Version 1 is still what it was.
  describe.set_state_machine_arn(arn + ":1");
  v1::DescribeStateMachineResponse version;
  ASSERT_TRUE(IsOk(machines_->DescribeStateMachine(Ctx().get(), describe, &version)));
  EXPECT_EQ(version.definition(), kPass);
  EXPECT_EQ(version.description(), "v1");

  // Optimistic concurrency: an old revision id is refused.
  ASSERT_TRUE(IsOk(UpdateDefinition(arn, kPass)));
  publish.set_revision_id(first_revision.revision_id());
  EXPECT_TRUE(IsError(machines_->PublishStateMachineVersion(Ctx().get(), publish, &published),
                      SC::FAILED_PRECONDITION, "ConflictException"));

  publish.Clear();
  publish.set_state_machine_arn(kMachinePrefix + "Unknown");
  EXPECT_TRUE(IsError(machines_->PublishStateMachineVersion(Ctx().get(), publish, &published),
                      SC::NOT_FOUND, "StateMachineDoesNotExist"));
  publish.set_state_machine_arn(arn + ":1");
  EXPECT_TRUE(IsError(machines_->PublishStateMachineVersion(Ctx().get(), publish, &published),
                      SC::INVALID_ARGUMENT, "InvalidArn"));
  list.Clear();
  list.set_state_machine_arn(kMachinePrefix + "Unknown");
  EXPECT_TRUE(IsError(machines_->ListStateMachineVersions(Ctx().get(), list, &versions),
                      SC::NOT_FOUND, "StateMachineDoesNotExist"));
  list.set_state_machine_arn("bogus");
  EXPECT_TRUE(IsError(machines_->ListStateMachineVersions(Ctx().get(), list, &versions),
                      SC::INVALID_ARGUMENT, "InvalidArn"));
}

TEST_P(ApiTest, AliasesCreateDescribeUpdateListDelete) {
  std::string arn = CreateMachine("Mission", kPass);
  std::string one = Publish(arn);
  ASSERT_TRUE(IsOk(UpdateDefinition(arn, kPassTwo)));
  std::string two = Publish(arn);

  v1::CreateStateMachineAliasRequest create;
  create.set_name("live");
  create.set_description("production");
  *create.add_routing_configuration() = Route(one, 100);
  v1::CreateStateMachineAliasResponse created;
  ASSERT_TRUE(IsOk(machines_->CreateStateMachineAlias(Ctx().get(), create, &created)));
  EXPECT_EQ(created.state_machine_alias_arn(), arn + ":live");
  EXPECT_TRUE(created.has_creation_date());

  v1::DescribeStateMachineAliasRequest describe;
  describe.set_state_machine_alias_arn(created.state_machine_alias_arn());
  v1::DescribeStateMachineAliasResponse alias;
  ASSERT_TRUE(IsOk(machines_->DescribeStateMachineAlias(Ctx().get(), describe, &alias)));
  EXPECT_EQ(alias.state_machine_alias_arn(), arn + ":live");
  EXPECT_EQ(alias.name(), "live");
  EXPECT_EQ(alias.description(), "production");
  ASSERT_EQ(alias.routing_configuration_size(), 1);
  EXPECT_EQ(alias.routing_configuration(0).state_machine_version_arn(), one);
  EXPECT_EQ(alias.routing_configuration(0).weight(), 100);
  EXPECT_TRUE(alias.has_creation_date());
  EXPECT_TRUE(alias.has_update_date());

  // A canary: 90/10 between the versions, with a new description.
  v1::UpdateStateMachineAliasRequest update;
  update.set_state_machine_alias_arn(created.state_machine_alias_arn());
  update.set_description("canary");
  *update.add_routing_configuration() = Route(one, 90);
  *update.add_routing_configuration() = Route(two, 10);
  v1::UpdateStateMachineAliasResponse updated;
  ASSERT_TRUE(IsOk(machines_->UpdateStateMachineAlias(Ctx().get(), update, &updated)));
  EXPECT_TRUE(updated.has_update_date());
  ASSERT_TRUE(IsOk(machines_->DescribeStateMachineAlias(Ctx().get(), describe, &alias)));
  EXPECT_EQ(alias.description(), "canary");
  ASSERT_EQ(alias.routing_configuration_size(), 2);
  std::map<std::string, int> weights;
  for (const auto& r : alias.routing_configuration())
    weights[r.state_machine_version_arn()] = r.weight();
  EXPECT_EQ(weights, (std::map<std::string, int>{{one, 90}, {two, 10}}));

  // Unset fields keep their value.
  update.Clear();
  update.set_state_machine_alias_arn(created.state_machine_alias_arn());
  ASSERT_TRUE(IsOk(machines_->UpdateStateMachineAlias(Ctx().get(), update, &updated)));
  ASSERT_TRUE(IsOk(machines_->DescribeStateMachineAlias(Ctx().get(), describe, &alias)));
  EXPECT_EQ(alias.description(), "canary");
  EXPECT_EQ(alias.routing_configuration_size(), 2);

  create.set_name("beta");
  create.clear_routing_configuration();
  *create.add_routing_configuration() = Route(two, 100);
  ASSERT_TRUE(IsOk(machines_->CreateStateMachineAlias(Ctx().get(), create, &created)));

  v1::ListStateMachineAliasesRequest list;
  list.set_state_machine_arn(arn);
  v1::ListStateMachineAliasesResponse aliases;
  ASSERT_TRUE(IsOk(machines_->ListStateMachineAliases(Ctx().get(), list, &aliases)));
  std::set<std::string> listed;
  for (const auto& a : aliases.state_machine_aliases()) {
    listed.insert(a.state_machine_alias_arn());
    EXPECT_TRUE(a.has_creation_date());
  }
  EXPECT_EQ(listed, (std::set<std::string>{arn + ":live", arn + ":beta"}));

  v1::DeleteStateMachineAliasRequest del;
  del.set_state_machine_alias_arn(arn + ":live");
  v1::DeleteStateMachineAliasResponse deleted;
  ASSERT_TRUE(IsOk(machines_->DeleteStateMachineAlias(Ctx().get(), del, &deleted)));
  EXPECT_TRUE(IsError(machines_->DescribeStateMachineAlias(Ctx().get(), describe, &alias),
                      SC::NOT_FOUND, "ResourceNotFound"));
  ASSERT_TRUE(IsOk(machines_->ListStateMachineAliases(Ctx().get(), list, &aliases)));
  ASSERT_EQ(aliases.state_machine_aliases_size(), 1);
  EXPECT_EQ(aliases.state_machine_aliases(0).state_machine_alias_arn(), arn + ":beta");
  // Starting through a deleted alias finds nothing.
  v1::StartExecutionResponse started;
  EXPECT_EQ(Start(arn + ":live", "", "{}", &started).error_code(), SC::NOT_FOUND);

  list.set_state_machine_arn(kMachinePrefix + "Unknown");
  EXPECT_TRUE(IsError(machines_->ListStateMachineAliases(Ctx().get(), list, &aliases),
                      SC::NOT_FOUND, "StateMachineDoesNotExist"));
  list.set_state_machine_arn(arn + ":beta");
  EXPECT_TRUE(IsError(machines_->ListStateMachineAliases(Ctx().get(), list, &aliases),
                      SC::INVALID_ARGUMENT, "InvalidArn"));
}

TEST_P(ApiTest, AliasRoutingIsValidated) {
  std::string arn = CreateMachine("Mission", kPass);
  std::string one = Publish(arn);
  ASSERT_TRUE(IsOk(UpdateDefinition(arn, kPassTwo)));
  std::string two = Publish(arn);
  ASSERT_TRUE(IsOk(UpdateDefinition(arn, kPassChain)));
  std::string three = Publish(arn);
  std::string other = CreateMachine("Other", kPass);
  std::string other_one = Publish(other);

  auto create = [&](const std::string& name, std::vector<v1::RoutingConfigurationListItem> routes) {
    v1::CreateStateMachineAliasRequest request;
    request.set_name(name);
    for (auto& r : routes) *request.add_routing_configuration() = r;
    v1::CreateStateMachineAliasResponse response;
    return machines_->CreateStateMachineAlias(Ctx().get(), request, &response);
  };
  EXPECT_TRUE(IsError(create("a", {Route(one, 60), Route(two, 30)}), SC::INVALID_ARGUMENT,
                      "ValidationException"));
  EXPECT_TRUE(IsError(create("a", {Route(one, 50)}), SC::INVALID_ARGUMENT, "ValidationException"));
  EXPECT_TRUE(IsError(create("a", {Route(one, 50), Route(other_one, 50)}), SC::INVALID_ARGUMENT,
                      "ValidationException"));
  EXPECT_TRUE(IsError(create("a", {Route(one, 34), Route(two, 33), Route(three, 33)}),
                      SC::INVALID_ARGUMENT, "ValidationException"));
  EXPECT_TRUE(IsError(create("a", {}), SC::INVALID_ARGUMENT, "ValidationException"));
  EXPECT_TRUE(IsError(create("a", {Route(one, 50), Route(one, 50)}), SC::INVALID_ARGUMENT,
                      "ValidationException"));
  EXPECT_TRUE(IsError(create("a", {Route(one, 150), Route(two, -50)}), SC::INVALID_ARGUMENT,
                      "ValidationException"));
  EXPECT_TRUE(IsError(create("a", {Route(arn, 100)}), SC::INVALID_ARGUMENT, "InvalidArn"));
  EXPECT_EQ(create("a", {Route(arn + ":9", 100)}).error_code(), SC::NOT_FOUND);
  EXPECT_TRUE(IsError(create("bad name", {Route(one, 100)}), SC::INVALID_ARGUMENT, "InvalidName"));

  ASSERT_TRUE(IsOk(create("live", {Route(one, 100)})));
  EXPECT_EQ(create("live", {Route(two, 100)}).error_code(), SC::ALREADY_EXISTS);

  auto update = [&](std::vector<v1::RoutingConfigurationListItem> routes) {
    v1::UpdateStateMachineAliasRequest request;
    request.set_state_machine_alias_arn(arn + ":live");
    for (auto& r : routes) *request.add_routing_configuration() = r;
    v1::UpdateStateMachineAliasResponse response;
    return machines_->UpdateStateMachineAlias(Ctx().get(), request, &response);
  };
  EXPECT_TRUE(
      IsError(update({Route(other_one, 100)}), SC::INVALID_ARGUMENT, "ValidationException"));
  EXPECT_TRUE(IsError(update({Route(one, 70), Route(two, 20)}), SC::INVALID_ARGUMENT,
                      "ValidationException"));
  EXPECT_TRUE(IsError(update({Route(one, 40), Route(two, 30), Route(three, 30)}),
                      SC::INVALID_ARGUMENT, "ValidationException"));

  // The alias still routes as created.
  v1::DescribeStateMachineAliasRequest describe;
  describe.set_state_machine_alias_arn(arn + ":live");
  v1::DescribeStateMachineAliasResponse alias;
  ASSERT_TRUE(IsOk(machines_->DescribeStateMachineAlias(Ctx().get(), describe, &alias)));
  ASSERT_EQ(alias.routing_configuration_size(), 1);
  EXPECT_EQ(alias.routing_configuration(0).state_machine_version_arn(), one);

  v1::UpdateStateMachineAliasRequest unknown;
  unknown.set_state_machine_alias_arn(arn + ":nope");
  unknown.set_description("x");
  v1::UpdateStateMachineAliasResponse updated;
  EXPECT_TRUE(IsError(machines_->UpdateStateMachineAlias(Ctx().get(), unknown, &updated),
                      SC::NOT_FOUND, "ResourceNotFound"));
}

TEST_P(ApiTest, DescribeStateMachineForExecutionGivesTheDefinitionItStartedWith) {
  std::string arn = CreateMachine("Callback", kCallback);
  std::string execution = StartOk(arn, "e1");
  ASSERT_TRUE(IsOk(UpdateDefinition(arn, kPassTwo)));

  v1::DescribeStateMachineForExecutionRequest request;
  request.set_execution_arn(execution);
  v1::DescribeStateMachineForExecutionResponse response;
  ASSERT_TRUE(IsOk(machines_->DescribeStateMachineForExecution(Ctx().get(), request, &response)));
  EXPECT_EQ(response.state_machine_arn(), arn);
  EXPECT_EQ(response.name(), "Callback");
  EXPECT_EQ(response.definition(), kCallback);
  EXPECT_EQ(response.role_arn(), kRole);

  // An execution started after the update runs the new definition.
  std::string later = StartOk(arn, "e2");
  request.set_execution_arn(later);
  ASSERT_TRUE(IsOk(machines_->DescribeStateMachineForExecution(Ctx().get(), request, &response)));
  EXPECT_EQ(response.definition(), kPassTwo);

  request.set_execution_arn("arn:fleetflow:states:local:execution:Callback:unknown");
  EXPECT_TRUE(IsError(machines_->DescribeStateMachineForExecution(Ctx().get(), request, &response),
                      SC::NOT_FOUND, "ExecutionDoesNotExist"));
}

TEST_P(ApiTest, ValidateStateMachineDefinitionReportsDiagnostics) {
  v1::ValidateStateMachineDefinitionRequest request;
  v1::ValidateStateMachineDefinitionResponse response;
  request.set_definition(std::string(kPass));
  ASSERT_TRUE(IsOk(machines_->ValidateStateMachineDefinition(Ctx().get(), request, &response)));
  EXPECT_EQ(response.result(), "OK");
  EXPECT_THAT(response.diagnostics(), IsEmpty());
  EXPECT_FALSE(response.truncated());

  request.set_definition(R"({"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Nowhere"}}})");
  response.Clear();
  ASSERT_TRUE(IsOk(machines_->ValidateStateMachineDefinition(Ctx().get(), request, &response)));
  EXPECT_EQ(response.result(), "FAIL");
  ASSERT_FALSE(response.diagnostics().empty());
  bool found = false;
  for (const auto& d : response.diagnostics()) {
    EXPECT_EQ(d.severity(), "ERROR");
    EXPECT_FALSE(d.code().empty());
    EXPECT_FALSE(d.message().empty());
    if (d.location() == "/States/A/Next") {
      found = true;
      EXPECT_THAT(d.message(), HasSubstr("Nowhere"));
    }
  }
  EXPECT_TRUE(found) << "no diagnostic at /States/A/Next";

  // Two errors, one asked for.
  request.set_definition(R"({"StartAt":"Inspect","States":{
    "Inspect":{"Type":"Task","Resource":"fleetflow:echo","Catch":[{"ErrorEquals":["States.ALL"]}],
               "End":true},
    "Recover":{"Type":"Succeed"}}})");
  request.set_max_results(1);
  response.Clear();
  ASSERT_TRUE(IsOk(machines_->ValidateStateMachineDefinition(Ctx().get(), request, &response)));
  EXPECT_EQ(response.result(), "FAIL");
  ASSERT_EQ(response.diagnostics_size(), 1);
  EXPECT_EQ(response.diagnostics(0).location(), "/States/Inspect/Catch/0");
  EXPECT_TRUE(response.truncated());

  // Not even JSON: still an answer, not an error.
  request.set_definition("{\"StartAt\":");
  request.set_max_results(0);
  response.Clear();
  ASSERT_TRUE(IsOk(machines_->ValidateStateMachineDefinition(Ctx().get(), request, &response)));
  EXPECT_EQ(response.result(), "FAIL");
  ASSERT_FALSE(response.diagnostics().empty());
  EXPECT_FALSE(response.diagnostics(0).message().empty());
}

// ===========================================================================
// Executions

TEST_P(ApiTest, StartExecutionRunsAndDescribeExecutionShowsIt) {
  std::string arn = CreateMachine("Mission", kPass);
  v1::StartExecutionResponse started;
  ASSERT_TRUE(IsOk(Start(arn, "run-1", R"({"robot":"vac-1"})", &started)));
  EXPECT_EQ(started.execution_arn(), "arn:fleetflow:states:local:execution:Mission:run-1");
  EXPECT_TRUE(started.has_start_date());

  v1::DescribeExecutionResponse end = AwaitEnd(started.execution_arn());
  EXPECT_EQ(end.execution_arn(), started.execution_arn());
  EXPECT_EQ(end.state_machine_arn(), arn);
  EXPECT_EQ(end.name(), "run-1");
  EXPECT_EQ(end.status(), v1::EXECUTION_STATUS_SUCCEEDED);
  EXPECT_EQ(end.input(), R"({"robot":"vac-1"})");
  EXPECT_EQ(end.output(), R"({"robot":"vac-1","r":{"ok":true}})");
  EXPECT_TRUE(end.error().empty());
  EXPECT_TRUE(end.has_start_date());
  EXPECT_TRUE(end.has_stop_date());
  EXPECT_TRUE(end.state_machine_version_arn().empty());
  EXPECT_TRUE(end.state_machine_alias_arn().empty());
  EXPECT_EQ(end.redrive_count(), 0);
  EXPECT_FALSE(end.has_redrive_date());

  // A running execution has no stop date.
  std::string sleeper = CreateMachine("Sleeper", kSleep);
  std::string running = StartOk(sleeper, "zzz");
  v1::DescribeExecutionResponse described;
  ASSERT_TRUE(IsOk(Describe(running, &described)));
  EXPECT_EQ(described.status(), v1::EXECUTION_STATUS_RUNNING);
  EXPECT_FALSE(described.has_stop_date());
  EXPECT_TRUE(described.output().empty());
}

TEST_P(ApiTest, StartExecutionWithoutANameUsesAUuid) {
  std::string arn = CreateMachine("Mission", kPass);
  v1::StartExecutionResponse started;
  ASSERT_TRUE(IsOk(Start(arn, "", "", &started)));  // no name, no input
  std::string name = LastPart(started.execution_arn());
  EXPECT_TRUE(std::regex_match(
      name, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")))
      << name;
  v1::DescribeExecutionResponse end = AwaitEnd(started.execution_arn());
  EXPECT_EQ(end.name(), name);
  EXPECT_EQ(end.input(), "{}");
  EXPECT_EQ(end.output(), R"({"r":{"ok":true}})");
  // Another start gets another name.
  EXPECT_NE(StartOk(arn), started.execution_arn());
}

TEST_P(ApiTest, StartExecutionsGivesEachStartItsOwnOutcome) {
  std::string arn = CreateMachine("Sleeper", kSleep);
  StartOk(arn, "taken", R"({"robot":1})");
  v1::StartExecutionsRequest request;
  auto add = [&](const std::string& machine, const std::string& name, const std::string& input) {
    v1::StartExecutionRequest* one = request.add_executions();
    one->set_state_machine_arn(machine);
    one->set_name(name);
    one->set_input(input);
  };
  add(arn, "robot-1", R"({"robot":1})");
  add(arn, "bad name", "{}");
  add("arn:fleetflow:states:local:stateMachine:Nobody", "robot-2", "{}");
  add(arn, "taken", R"({"robot":2})");
  add(arn, "robot-3", "not json");
  add(arn, "robot-4", R"({"robot":4})");
  v1::StartExecutionsResponse response;
  ASSERT_TRUE(IsOk(executions_->StartExecutions(Ctx().get(), request, &response)));
  ASSERT_EQ(response.outcomes_size(), 6);
  auto code = [&](int i) { return static_cast<SC>(response.outcomes(i).code()); };
  auto starts_with = [&](int i, const std::string& prefix) {
    return response.outcomes(i).message().rfind(prefix, 0) == 0;
  };
  EXPECT_EQ(code(0), SC::OK);
  EXPECT_EQ(response.outcomes(0).execution_arn(),
            "arn:fleetflow:states:local:execution:Sleeper:robot-1");
  EXPECT_TRUE(response.outcomes(0).has_start_date());
  EXPECT_EQ(code(1), SC::INVALID_ARGUMENT);
  EXPECT_TRUE(starts_with(1, "InvalidName")) << response.outcomes(1).message();
  EXPECT_EQ(code(2), SC::NOT_FOUND);
  EXPECT_TRUE(starts_with(2, "StateMachineDoesNotExist")) << response.outcomes(2).message();
  EXPECT_EQ(code(3), SC::ALREADY_EXISTS);
  EXPECT_TRUE(starts_with(3, "ExecutionAlreadyExists")) << response.outcomes(3).message();
  EXPECT_EQ(code(4), SC::INVALID_ARGUMENT);
  EXPECT_TRUE(starts_with(4, "InvalidExecutionInput")) << response.outcomes(4).message();
  EXPECT_EQ(code(5), SC::OK);
  EXPECT_EQ(Describe(response.outcomes(5).execution_arn()).input(), R"({"robot":4})");

  v1::StartExecutionsRequest too_many;
  for (int i = 0; i < 1001; ++i) too_many.add_executions()->set_state_machine_arn(arn);
  EXPECT_TRUE(IsError(executions_->StartExecutions(Ctx().get(), too_many, &response),
                      SC::INVALID_ARGUMENT, "ValidationException"));
}

TEST_P(ApiTest, StartExecutionIsIdempotentOnNameAndInput) {
  std::string arn = CreateMachine("Sleeper", kSleep);
  v1::StartExecutionResponse first, again, other;
  ASSERT_TRUE(IsOk(Start(arn, "same", R"({"n":1})", &first)));
  ASSERT_TRUE(IsOk(Start(arn, "same", R"({"n":1})", &again)));
  EXPECT_EQ(again.execution_arn(), first.execution_arn());
  EXPECT_TRUE(IsError(Start(arn, "same", R"({"n":2})", &other), SC::ALREADY_EXISTS,
                      "ExecutionAlreadyExists"));

  v1::ListExecutionsRequest list;
  list.set_state_machine_arn(arn);
  v1::ListExecutionsResponse executions;
  ASSERT_TRUE(IsOk(executions_->ListExecutions(Ctx().get(), list, &executions)));
  EXPECT_EQ(executions.executions_size(), 1);
  v1::DescribeExecutionResponse described;
  ASSERT_TRUE(IsOk(Describe(first.execution_arn(), &described)));
  EXPECT_EQ(described.input(), R"({"n":1})");
}

TEST_P(ApiTest, StartExecutionRejectsBadRequests) {
  std::string arn = CreateMachine("Sleeper", kSleep);
  v1::StartExecutionResponse response;
  EXPECT_TRUE(IsError(Start(arn, "a", "{not json", &response), SC::INVALID_ARGUMENT,
                      "InvalidExecutionInput"));
  EXPECT_TRUE(IsError(Start(arn, "b", JsonStringOfSize(kPayloadLimit + 1), &response),
                      SC::RESOURCE_EXHAUSTED, "InvalidExecutionInput"));
  // The limit itself is allowed.
  EXPECT_TRUE(IsOk(Start(arn, "at-limit", JsonStringOfSize(kPayloadLimit), &response)));

  for (const std::string& name :
       {std::string("has space"), std::string("a:b"), std::string(81, 'n')}) {
    EXPECT_TRUE(IsError(Start(arn, name, "{}", &response), SC::INVALID_ARGUMENT, "InvalidName"))
        << name;
  }
  EXPECT_TRUE(IsError(Start(kMachinePrefix + "Unknown", "c", "{}", &response), SC::NOT_FOUND,
                      "StateMachineDoesNotExist"));
  EXPECT_TRUE(
      IsError(Start("not-an-arn", "d", "{}", &response), SC::INVALID_ARGUMENT, "InvalidArn"));
  EXPECT_TRUE(
      IsError(Start(arn + ":7", "e", "{}", &response), SC::NOT_FOUND, "StateMachineDoesNotExist"));
  EXPECT_EQ(Start(arn + ":nosuchalias", "f", "{}", &response).error_code(), SC::NOT_FOUND);

  // Only the one good start made an execution.
  v1::ListExecutionsRequest list;
  list.set_state_machine_arn(arn);
  v1::ListExecutionsResponse executions;
  ASSERT_TRUE(IsOk(executions_->ListExecutions(Ctx().get(), list, &executions)));
  ASSERT_EQ(executions.executions_size(), 1);
  EXPECT_EQ(executions.executions(0).name(), "at-limit");
}

TEST_P(ApiTest, StartExecutionThroughAVersionOrAnAliasRecordsIt) {
  std::string arn = CreateMachine("Mission", kPass);
  std::string one = Publish(arn);
  ASSERT_TRUE(IsOk(UpdateDefinition(arn, kPassTwo)));
  std::string two = Publish(arn);
  v1::CreateStateMachineAliasRequest alias;
  alias.set_name("live");
  *alias.add_routing_configuration() = Route(one, 100);
  v1::CreateStateMachineAliasResponse created;
  ASSERT_TRUE(IsOk(machines_->CreateStateMachineAlias(Ctx().get(), alias, &created)));

  v1::DescribeExecutionResponse by_version = AwaitEnd(StartOk(one, "by-version"));
  EXPECT_EQ(by_version.status(), v1::EXECUTION_STATUS_SUCCEEDED);
  EXPECT_EQ(by_version.state_machine_arn(), arn);
  EXPECT_EQ(by_version.state_machine_version_arn(), one);
  EXPECT_TRUE(by_version.state_machine_alias_arn().empty());
  EXPECT_EQ(by_version.output(), R"({"r":{"ok":true}})");  // version 1's definition

  v1::DescribeExecutionResponse by_alias =
      AwaitEnd(StartOk(created.state_machine_alias_arn(), "by-alias"));
  EXPECT_EQ(by_alias.status(), v1::EXECUTION_STATUS_SUCCEEDED);
  EXPECT_EQ(by_alias.state_machine_arn(), arn);
  EXPECT_EQ(by_alias.state_machine_alias_arn(), created.state_machine_alias_arn());
  EXPECT_EQ(by_alias.state_machine_version_arn(), one);
  EXPECT_EQ(by_alias.output(), R"({"r":{"ok":true}})");

  v1::DescribeExecutionResponse by_two = AwaitEnd(StartOk(two, "by-two"));
  EXPECT_EQ(by_two.state_machine_version_arn(), two);
  EXPECT_EQ(by_two.output(), "2");

  v1::DescribeExecutionResponse latest = AwaitEnd(StartOk(arn, "latest"));
  EXPECT_TRUE(latest.state_machine_version_arn().empty());
  EXPECT_TRUE(latest.state_machine_alias_arn().empty());
  EXPECT_EQ(latest.output(), "2");

  // The list items say the same.
  v1::ListExecutionsRequest list;
  list.set_state_machine_arn(arn);
  v1::ListExecutionsResponse executions;
  ASSERT_TRUE(IsOk(executions_->ListExecutions(Ctx().get(), list, &executions)));
  std::map<std::string, std::pair<std::string, std::string>> seen;
  for (const auto& e : executions.executions()) {
    seen[e.name()] = {e.state_machine_version_arn(), e.state_machine_alias_arn()};
  }
  EXPECT_EQ(seen["by-version"], std::make_pair(one, std::string()));
  EXPECT_EQ(seen["by-alias"], std::make_pair(one, created.state_machine_alias_arn()));
  EXPECT_EQ(seen["latest"], std::make_pair(std::string(), std::string()));
}

// engine.proto, ListExecutionsRequest: "a version or alias ARN lists the
// executions started through it."
TEST_P(ApiTest, ListExecutionsThroughAVersionOrAliasListsOnlyTheExecutionsStartedThroughIt) {
  std::string arn = CreateMachine("Mission", kPass);
  std::string one = Publish(arn);
  v1::CreateStateMachineAliasRequest alias;
  alias.set_name("live");
  *alias.add_routing_configuration() = Route(one, 100);
  v1::CreateStateMachineAliasResponse created;
  ASSERT_TRUE(IsOk(machines_->CreateStateMachineAlias(Ctx().get(), alias, &created)));
  AwaitEnd(StartOk(arn, "direct"));
  AwaitEnd(StartOk(one, "by-version"));
  AwaitEnd(StartOk(created.state_machine_alias_arn(), "by-alias"));

  auto names = [&](const std::string& through) {
    v1::ListExecutionsRequest list;
    list.set_state_machine_arn(through);
    v1::ListExecutionsResponse executions;
    EXPECT_TRUE(IsOk(executions_->ListExecutions(Ctx().get(), list, &executions)));
    std::set<std::string> out;
    for (const auto& e : executions.executions()) out.insert(e.name());
    return out;
  };
  EXPECT_EQ(names(arn), (std::set<std::string>{"direct", "by-version", "by-alias"}));
  // Started through version 1: directly, or routed there by the alias.
  EXPECT_EQ(names(one), (std::set<std::string>{"by-version", "by-alias"}));
  EXPECT_EQ(names(created.state_machine_alias_arn()), (std::set<std::string>{"by-alias"}));
}

TEST_P(ApiTest, StartSyncExecutionAnswersWhenTheExecutionEnds) {
  std::string pass = CreateMachine("Quick", kPass, v1::STATE_MACHINE_TYPE_EXPRESS);
  std::string fail = CreateMachine("Broken", kFail, v1::STATE_MACHINE_TYPE_EXPRESS);

  v1::StartSyncExecutionRequest request;
  request.set_state_machine_arn(pass);
  request.set_name("sync-1");
  request.set_input(R"({"room":7})");
  v1::StartSyncExecutionResponse response;
  ASSERT_TRUE(IsOk(executions_->StartSyncExecution(Ctx().get(), request, &response)));
  EXPECT_EQ(response.status(), v1::EXECUTION_STATUS_SUCCEEDED);
  EXPECT_EQ(response.execution_arn(), "arn:fleetflow:states:local:execution:Quick:sync-1");
  EXPECT_EQ(response.state_machine_arn(), pass);
  EXPECT_EQ(response.name(), "sync-1");
  EXPECT_EQ(response.input(), R"({"room":7})");
  EXPECT_EQ(response.output(), R"({"room":7,"r":{"ok":true}})");
  EXPECT_TRUE(response.error().empty());
  EXPECT_TRUE(response.has_start_date());
  EXPECT_TRUE(response.has_stop_date());

  request.set_state_machine_arn(fail);
  request.set_name("");
  response.Clear();
  ASSERT_TRUE(IsOk(executions_->StartSyncExecution(Ctx().get(), request, &response)));
  EXPECT_EQ(response.status(), v1::EXECUTION_STATUS_FAILED);
  EXPECT_EQ(response.error(), "Robot.Broken");
  EXPECT_EQ(response.cause(), "a wheel fell off");
  EXPECT_TRUE(response.output().empty());
  EXPECT_TRUE(response.has_stop_date());

  request.set_state_machine_arn(kMachinePrefix + "Unknown");
  EXPECT_TRUE(IsError(executions_->StartSyncExecution(Ctx().get(), request, &response),
                      SC::NOT_FOUND, "StateMachineDoesNotExist"));
  request.set_state_machine_arn(pass);
  request.set_input("[1,");
  EXPECT_TRUE(IsError(executions_->StartSyncExecution(Ctx().get(), request, &response),
                      SC::INVALID_ARGUMENT, "InvalidExecutionInput"));
}

TEST_P(ApiTest, DescribeExecutionOfAnUnknownExecutionIsNotFound) {
  CreateMachine("Mission", kPass);
  v1::DescribeExecutionResponse response;
  EXPECT_TRUE(IsError(Describe("arn:fleetflow:states:local:execution:Mission:nope", &response),
                      SC::NOT_FOUND, "ExecutionDoesNotExist"));
  EXPECT_TRUE(IsError(Describe("arn:fleetflow:states:local:execution:Nobody:nope", &response),
                      SC::NOT_FOUND, "ExecutionDoesNotExist"));
}

TEST_P(ApiTest, ListExecutionsFiltersByMachineAndStatusAndPages) {
  std::string waits = CreateMachine("Waits", kSleep);
  std::string quick = CreateMachine("Quick", kPass);
  for (const char* name : {"a1", "a2", "a3"}) StartOk(waits, name);
  for (const char* name : {"b1", "b2"}) AwaitEnd(StartOk(quick, name));

  auto list = [&](const std::string& machine, v1::ExecutionStatus status) {
    v1::ListExecutionsRequest request;
    request.set_state_machine_arn(machine);
    request.set_status_filter(status);
    v1::ListExecutionsResponse response;
    EXPECT_TRUE(IsOk(executions_->ListExecutions(Ctx().get(), request, &response)));
    EXPECT_TRUE(response.next_token().empty());
    std::vector<std::string> names;
    for (const auto& e : response.executions()) names.push_back(e.name());
    return names;
  };
  // Newest first.
  EXPECT_THAT(list(waits, v1::EXECUTION_STATUS_UNSPECIFIED), ElementsAre("a3", "a2", "a1"));
  EXPECT_THAT(list(waits, v1::EXECUTION_STATUS_RUNNING), ElementsAre("a3", "a2", "a1"));
  EXPECT_THAT(list(waits, v1::EXECUTION_STATUS_SUCCEEDED), IsEmpty());
  EXPECT_THAT(list(quick, v1::EXECUTION_STATUS_SUCCEEDED), ElementsAre("b2", "b1"));
  EXPECT_THAT(list(quick, v1::EXECUTION_STATUS_RUNNING), IsEmpty());
  EXPECT_THAT(list(quick, v1::EXECUTION_STATUS_FAILED), IsEmpty());
  EXPECT_EQ(list("", v1::EXECUTION_STATUS_UNSPECIFIED).size(), 5u);  // every machine
  EXPECT_THAT(list("", v1::EXECUTION_STATUS_SUCCEEDED), ElementsAre("b2", "b1"));

  // The items carry the execution's summary.
  v1::ListExecutionsRequest request;
  request.set_state_machine_arn(quick);
  v1::ListExecutionsResponse response;
  ASSERT_TRUE(IsOk(executions_->ListExecutions(Ctx().get(), request, &response)));
  for (const auto& e : response.executions()) {
    EXPECT_EQ(e.execution_arn(), "arn:fleetflow:states:local:execution:Quick:" + e.name());
    EXPECT_EQ(e.state_machine_arn(), quick);
    EXPECT_EQ(e.status(), v1::EXECUTION_STATUS_SUCCEEDED);
    EXPECT_TRUE(e.has_start_date());
    EXPECT_TRUE(e.has_stop_date());
  }

  // Pages of two, each execution once, in the same order.
  std::vector<std::string> names;
  std::vector<int> page_sizes;
  request.set_state_machine_arn(waits);
  request.set_max_results(2);
  int pages = 0;
  do {
    response.Clear();
    ASSERT_TRUE(IsOk(executions_->ListExecutions(Ctx().get(), request, &response)));
    page_sizes.push_back(response.executions_size());
    for (const auto& e : response.executions()) names.push_back(e.name());
    request.set_next_token(response.next_token());
    ASSERT_LT(++pages, 10);
  } while (!response.next_token().empty());
  EXPECT_THAT(page_sizes, ElementsAre(2, 1));
  EXPECT_THAT(names, ElementsAre("a3", "a2", "a1"));

  request.Clear();
  request.set_state_machine_arn(kMachinePrefix + "Unknown");
  EXPECT_TRUE(IsError(executions_->ListExecutions(Ctx().get(), request, &response), SC::NOT_FOUND,
                      "StateMachineDoesNotExist"));
  request.set_state_machine_arn("bogus");
  EXPECT_TRUE(IsError(executions_->ListExecutions(Ctx().get(), request, &response),
                      SC::INVALID_ARGUMENT, "InvalidArn"));
}

// The Fleetflow extension: a start_date range, [started_after, started_before).
TEST_P(ApiTest, ListExecutionsFiltersByStartDate) {
  std::string arn = CreateMachine("Quick", kPass);
  for (const char* name : {"first", "second", "third"}) AwaitEnd(StartOk(arn, name));
  v1::ListExecutionsRequest request;
  request.set_state_machine_arn(arn);
  v1::ListExecutionsResponse all;
  ASSERT_TRUE(IsOk(executions_->ListExecutions(Ctx().get(), request, &all)));
  ASSERT_EQ(all.executions_size(), 3);
  std::map<std::string, google::protobuf::Timestamp> start;
  for (const auto& e : all.executions()) start[e.name()] = e.start_date();

  auto names = [&](const google::protobuf::Timestamp* after,
                   const google::protobuf::Timestamp* before) {
    v1::ListExecutionsRequest filtered = request;
    if (after) *filtered.mutable_started_after() = *after;
    if (before) *filtered.mutable_started_before() = *before;
    v1::ListExecutionsResponse response;
    EXPECT_TRUE(IsOk(executions_->ListExecutions(Ctx().get(), filtered, &response)));
    std::vector<std::string> out;
    for (const auto& e : response.executions()) out.push_back(e.name());
    return out;
  };
  EXPECT_THAT(names(&start["second"], nullptr), ElementsAre("third", "second"));  // inclusive
  EXPECT_THAT(names(nullptr, &start["second"]), ElementsAre("first"));            // exclusive
  EXPECT_THAT(names(&start["second"], &start["third"]), ElementsAre("second"));
  google::protobuf::Timestamp epoch, far_future;
  far_future.set_seconds(int64_t{4102444800});  // 2100-01-01
  EXPECT_THAT(names(&epoch, &far_future), ElementsAre("third", "second", "first"));
  EXPECT_THAT(names(&far_future, nullptr), IsEmpty());
  EXPECT_THAT(names(nullptr, &epoch), IsEmpty());
}

// Nothing has been redriven (redrive is not built): REDRIVEN lists nothing,
// NOT_REDRIVEN everything.
TEST_P(ApiTest, ListExecutionsFiltersByRedrive) {
  std::string arn = CreateMachine("Broken", kFail);
  AwaitEnd(StartOk(arn, "failed-1"));
  AwaitEnd(StartOk(arn, "failed-2"));
  v1::ListExecutionsRequest request;
  request.set_state_machine_arn(arn);
  v1::ListExecutionsResponse response;
  request.set_redrive_filter(v1::EXECUTION_REDRIVE_FILTER_NOT_REDRIVEN);
  ASSERT_TRUE(IsOk(executions_->ListExecutions(Ctx().get(), request, &response)));
  EXPECT_EQ(response.executions_size(), 2);
  response.Clear();
  request.set_redrive_filter(v1::EXECUTION_REDRIVE_FILTER_REDRIVEN);
  ASSERT_TRUE(IsOk(executions_->ListExecutions(Ctx().get(), request, &response)));
  EXPECT_THAT(response.executions(), IsEmpty());
}

// A watch resumed after the closing event has nothing more to wait for.
TEST_P(ApiTest, WatchResumedAfterTheClosingEventEndsAtOnce) {
  std::string arn = CreateMachine("Quick", kPass);
  v1::StartSyncExecutionRequest start;
  start.set_state_machine_arn(arn);
  v1::StartSyncExecutionResponse ended;
  ASSERT_TRUE(IsOk(executions_->StartSyncExecution(Ctx().get(), start, &ended)));
  v1::GetExecutionHistoryRequest history;
  history.set_execution_arn(ended.execution_arn());
  v1::GetExecutionHistoryResponse events;
  ASSERT_TRUE(IsOk(executions_->GetExecutionHistory(Ctx().get(), history, &events)));
  ASSERT_GT(events.events_size(), 0);
  v1::WatchExecutionRequest watch;
  watch.set_execution_arn(ended.execution_arn());
  watch.set_after_event_id(events.events(events.events_size() - 1).id());
  auto context = Ctx();
  auto reader = executions_->WatchExecution(context.get(), watch);
  v1::HistoryEvent event;
  EXPECT_FALSE(reader->Read(&event));
  EXPECT_TRUE(IsOk(reader->Finish()));
}

TEST_P(ApiTest, ListsRefuseAMalformedPageToken) {
  std::string arn = CreateMachine("Quick", kPass);
  v1::ListExecutionsRequest executions;
  executions.set_state_machine_arn(arn);
  executions.set_next_token("not-a-token");
  v1::ListExecutionsResponse listed;
  EXPECT_TRUE(IsError(executions_->ListExecutions(Ctx().get(), executions, &listed),
                      SC::INVALID_ARGUMENT, "InvalidToken"));
  v1::ListStateMachineVersionsRequest versions;
  versions.set_state_machine_arn(arn);
  versions.set_next_token("x1");
  v1::ListStateMachineVersionsResponse versions_listed;
  EXPECT_TRUE(IsError(machines_->ListStateMachineVersions(Ctx().get(), versions, &versions_listed),
                      SC::INVALID_ARGUMENT, "InvalidToken"));
}

TEST_P(ApiTest, MalformedExecutionArnsAreInvalidArguments) {
  v1::DescribeExecutionRequest describe;
  describe.set_execution_arn("arn:fleetflow:nonsense");
  v1::DescribeExecutionResponse described;
  EXPECT_TRUE(IsError(executions_->DescribeExecution(Ctx().get(), describe, &described),
                      SC::INVALID_ARGUMENT, "InvalidArn"));
  v1::GetExecutionHistoryRequest history;
  history.set_execution_arn("nonsense");
  v1::GetExecutionHistoryResponse events;
  EXPECT_TRUE(IsError(executions_->GetExecutionHistory(Ctx().get(), history, &events),
                      SC::INVALID_ARGUMENT, "InvalidArn"));
  v1::StopExecutionRequest stop;
  stop.set_execution_arn("arn:fleetflow:states:local:execution:Quick:e1");
  stop.set_cause(std::string(40000, 'c'));
  v1::StopExecutionResponse stopped;
  EXPECT_TRUE(IsError(executions_->StopExecution(Ctx().get(), stop, &stopped), SC::INVALID_ARGUMENT,
                      "ValidationException"));
}

// A status number this server does not know (proto3 enums are open: a newer
// client may send one) is a bad request, not a server error.
TEST_P(ApiTest, ListExecutionsRejectsAnUnknownStatusFilter) {
  std::string arn = CreateMachine("Quick", kPass);
  v1::ListExecutionsRequest request;
  request.set_state_machine_arn(arn);
  request.set_status_filter(static_cast<v1::ExecutionStatus>(99));
  v1::ListExecutionsResponse response;
  EXPECT_TRUE(IsError(executions_->ListExecutions(Ctx().get(), request, &response),
                      SC::INVALID_ARGUMENT, "ValidationException"));
  // The server is still there.
  request.set_status_filter(v1::EXECUTION_STATUS_RUNNING);
  EXPECT_TRUE(IsOk(executions_->ListExecutions(Ctx().get(), request, &response)));
}

TEST_P(ApiTest, GetExecutionHistoryPagesForwardAndBackwardWithoutGapsOrRepeats) {
  // One execution committed in a single step, one over several steps.
  std::string chain = CreateMachine("Chain", kPassChain);
  std::string callback = CreateMachine("Callback", kCallback);
  std::string one_step = StartOk(chain, "one-step");
  std::string many_steps = StartOk(callback, "many-steps");
  ASSERT_TRUE(IsOk(SendSuccess(AwaitTaskToken(many_steps), "1")));
  AwaitEnd(one_step);
  AwaitEnd(many_steps);

  for (const std::string& arn : {one_step, many_steps}) {
    SCOPED_TRACE(arn);
    std::vector<v1::HistoryEvent> all = History(arn);
    ASSERT_GE(all.size(), 6u);
    EXPECT_EQ(Ids(all), OneTo(static_cast<int64_t>(all.size())));
    EXPECT_EQ(all.front().type(), "ExecutionStarted");
    EXPECT_EQ(all.back().type(), "ExecutionSucceeded");
    for (const v1::HistoryEvent& e : all) {
      EXPECT_TRUE(e.has_timestamp());
      EXPECT_LT(e.previous_event_id(), e.id());
      EXPECT_TRUE(json::Parse(e.details_json()).ok()) << e.details_json();
    }
    std::vector<int64_t> reversed = Ids(all);
    std::reverse(reversed.begin(), reversed.end());

    for (int max_results : {1, 2, 3, 4}) {
      SCOPED_TRACE(max_results);
      for (bool reverse : {false, true}) {
        std::vector<v1::HistoryEvent> paged;
        std::string token;
        int pages = 0;
        do {
          v1::GetExecutionHistoryResponse page;
          ASSERT_TRUE(IsOk(HistoryPage(arn, max_results, token, reverse, &page)));
          EXPECT_LE(page.events_size(), max_results);
          if (!page.next_token().empty()) {
            EXPECT_EQ(page.events_size(), max_results);
          }
          paged.insert(paged.end(), page.events().begin(), page.events().end());
          token = page.next_token();
          ASSERT_LT(++pages, 100) << "paging does not end";
        } while (!token.empty());
        EXPECT_EQ(pages, (static_cast<int>(all.size()) + max_results - 1) / max_results);
        EXPECT_EQ(Ids(paged), reverse ? reversed : Ids(all)) << (reverse ? "reverse" : "forward");
        // The same events, not only the same ids.
        for (const v1::HistoryEvent& e : paged) {
          EXPECT_EQ(e.type(), all[e.id() - 1].type());
          EXPECT_EQ(e.details_json(), all[e.id() - 1].details_json());
        }
      }
    }
  }
}

TEST_P(ApiTest, GetExecutionHistoryWithoutExecutionDataLeavesPayloadsOut) {
  std::string arn = CreateMachine("Callback", kCallback);
  std::string execution = StartOk(arn, "data", R"({"secret":"s3cr3t"})");
  ASSERT_TRUE(IsOk(SendSuccess(AwaitTaskToken(execution), R"({"result":"r3sult"})")));
  AwaitEnd(execution);

  auto details = [](const v1::HistoryEvent& e) {
    auto parsed = json::Parse(e.details_json());
    EXPECT_TRUE(parsed.ok() && parsed->is_object()) << e.details_json();
    return parsed.ok() && parsed->is_object() ? parsed->as_object() : json::Object();
  };
  auto find = [](const std::vector<v1::HistoryEvent>& events, const std::string& type) {
    for (const v1::HistoryEvent& e : events) {
      if (e.type() == type) return e;
    }
    ADD_FAILURE() << "no " << type;
    return v1::HistoryEvent();
  };

  std::vector<v1::HistoryEvent> with = History(execution);  // unset: with data
  EXPECT_TRUE(details(find(with, "ExecutionStarted")).contains("input"));
  EXPECT_TRUE(details(find(with, "TaskScheduled")).contains("parameters"));
  EXPECT_TRUE(details(find(with, "ExecutionSucceeded")).contains("output"));
  EXPECT_EQ(History(execution, true).size(), with.size());

  std::vector<v1::HistoryEvent> without = History(execution, false);
  ASSERT_EQ(Ids(without), Ids(with));
  EXPECT_EQ(Types(without), Types(with));
  for (const v1::HistoryEvent& e : without) {
    EXPECT_THAT(e.details_json(), ::testing::Not(HasSubstr("s3cr3t"))) << e.type();
    EXPECT_THAT(e.details_json(), ::testing::Not(HasSubstr("r3sult"))) << e.type();
    json::Object d = details(e);
    for (const char* key : {"input", "output", "parameters"}) {
      EXPECT_FALSE(d.contains(key)) << e.type() << " has " << key;
    }
  }
  // What is not data stays.
  EXPECT_TRUE(details(find(without, "TaskScheduled")).contains("resource"));
  EXPECT_TRUE(details(find(without, "TaskStateEntered")).contains("name"));
}

TEST_P(ApiTest, GetExecutionHistoryRejectsABadTokenAndAnUnknownExecution) {
  std::string arn = CreateMachine("Chain", kPassChain);
  std::string execution = StartOk(arn, "e");
  AwaitEnd(execution);
  v1::GetExecutionHistoryResponse page;
  for (const char* token : {"abc", "-1", "12x", " 3"}) {
    for (bool reverse : {false, true}) {
      EXPECT_TRUE(IsError(HistoryPage(execution, 3, token, reverse, &page), SC::INVALID_ARGUMENT,
                          "InvalidToken"))
          << "token '" << token << "'";
    }
  }
  EXPECT_TRUE(
      IsError(HistoryPage("arn:fleetflow:states:local:execution:Chain:nope", 3, "", false, &page),
              SC::NOT_FOUND, "ExecutionDoesNotExist"));
}

TEST_P(ApiTest, StopExecutionAbortsAWaitingExecution) {
  std::string arn = CreateMachine("Callback", kCallback);
  std::string execution = StartOk(arn, "to-stop");
  std::string token = AwaitTaskToken(execution);
  ASSERT_FALSE(token.empty());

  v1::StopExecutionRequest stop;
  stop.set_execution_arn(execution);
  stop.set_error("Operator.Stop");
  stop.set_cause("robot recalled");
  v1::StopExecutionResponse stopped;
  ASSERT_TRUE(IsOk(executions_->StopExecution(Ctx().get(), stop, &stopped)));
  EXPECT_TRUE(stopped.has_stop_date());

  v1::DescribeExecutionResponse end = AwaitEnd(execution);
  EXPECT_EQ(end.status(), v1::EXECUTION_STATUS_ABORTED);
  EXPECT_EQ(end.error(), "Operator.Stop");
  EXPECT_EQ(end.cause(), "robot recalled");
  EXPECT_TRUE(end.has_stop_date());
  EXPECT_TRUE(end.output().empty());
  EXPECT_EQ(History(execution).back().type(), "ExecutionAborted");

  // The task went with the execution: its token answers nothing any more.
  EXPECT_TRUE(IsError(SendSuccess(token, "{}"), SC::FAILED_PRECONDITION, "TaskTimedOut"));
  EXPECT_EQ(AwaitEnd(execution).status(), v1::EXECUTION_STATUS_ABORTED);

  stop.set_execution_arn("arn:fleetflow:states:local:execution:Callback:unknown");
  EXPECT_TRUE(IsError(executions_->StopExecution(Ctx().get(), stop, &stopped), SC::NOT_FOUND,
                      "ExecutionDoesNotExist"));
  stop.set_execution_arn(arn);  // a machine, not an execution
  EXPECT_TRUE(IsError(executions_->StopExecution(Ctx().get(), stop, &stopped), SC::INVALID_ARGUMENT,
                      "InvalidArn"));
}

TEST_P(ApiTest, WatchExecutionStreamsEveryEventUntilTheExecutionEnds) {
  std::string arn = CreateMachine("Callback", kCallback);
  std::string execution = StartOk(arn, "watched", R"({"room":4})");

  v1::WatchExecutionRequest request;
  request.set_execution_arn(execution);
  auto context = Ctx();
  std::unique_ptr<grpc::ClientReader<v1::HistoryEvent>> stream =
      executions_->WatchExecution(context.get(), request);
  std::vector<v1::HistoryEvent> seen;
  v1::HistoryEvent event;
  std::string token;
  while (stream->Read(&event)) {
    seen.push_back(event);
    if (event.type() == "TaskScheduled") {
      token = TokenOf(event);
      break;
    }
  }
  if (token.empty()) {
    context->TryCancel();
    stream->Finish();
    FAIL() << "the stream ended or had no TaskScheduled with a token";
  }
  ASSERT_TRUE(IsOk(SendSuccess(token, R"({"cleaned":true})")));
  while (stream->Read(&event)) seen.push_back(event);
  EXPECT_TRUE(IsOk(stream->Finish()));

  EXPECT_EQ(Ids(seen), OneTo(static_cast<int64_t>(seen.size())));
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.front().type(), "ExecutionStarted");
  EXPECT_EQ(seen.back().type(), "ExecutionSucceeded");
  // Exactly what the history holds.
  std::vector<v1::HistoryEvent> history = History(execution);
  ASSERT_EQ(Ids(seen), Ids(history));
  for (size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i].type(), history[i].type());
    EXPECT_EQ(seen[i].details_json(), history[i].details_json());
  }
  EXPECT_EQ(AwaitEnd(execution).output(), R"({"cleaned":true})");

  // Resuming after the TaskScheduled event gives the events after it, only.
  int64_t scheduled = 0;
  for (const v1::HistoryEvent& e : seen) {
    if (e.type() == "TaskScheduled") scheduled = e.id();
  }
  ASSERT_GT(scheduled, 0);
  request.set_after_event_id(scheduled);
  auto resume_context = Ctx();
  auto resumed = executions_->WatchExecution(resume_context.get(), request);
  std::vector<int64_t> ids;
  while (resumed->Read(&event)) ids.push_back(event.id());
  EXPECT_TRUE(IsOk(resumed->Finish()));
  std::vector<int64_t> want;
  for (int64_t id = scheduled + 1; id <= static_cast<int64_t>(seen.size()); ++id) {
    want.push_back(id);
  }
  EXPECT_EQ(ids, want);
}

TEST_P(ApiTest, WatchExecutionResumesAfterTheGivenEvent) {
  std::string arn = CreateMachine("Chain", kPassChain);
  std::string execution = StartOk(arn, "done");
  AwaitEnd(execution);
  std::vector<v1::HistoryEvent> history = History(execution);
  const int64_t last = static_cast<int64_t>(history.size());
  ASSERT_GE(last, 4);

  for (int64_t after : {int64_t{0}, int64_t{3}, last - 1}) {
    SCOPED_TRACE(after);
    v1::WatchExecutionRequest request;
    request.set_execution_arn(execution);
    request.set_after_event_id(after);
    auto context = Ctx();
    auto stream = executions_->WatchExecution(context.get(), request);
    std::vector<int64_t> ids;
    v1::HistoryEvent event;
    while (stream->Read(&event)) ids.push_back(event.id());
    EXPECT_TRUE(IsOk(stream->Finish()));
    std::vector<int64_t> want;
    for (int64_t id = after + 1; id <= last; ++id) want.push_back(id);
    EXPECT_EQ(ids, want);
  }

  // Without execution data, as GetExecutionHistory.
  v1::WatchExecutionRequest request;
  request.set_execution_arn(execution);
  request.set_include_execution_data(false);
  auto context = Ctx();
  auto stream = executions_->WatchExecution(context.get(), request);
  v1::HistoryEvent event;
  std::vector<v1::HistoryEvent> without;
  while (stream->Read(&event)) without.push_back(event);
  EXPECT_TRUE(IsOk(stream->Finish()));
  std::vector<v1::HistoryEvent> want = History(execution, false);
  ASSERT_EQ(Ids(without), Ids(want));
  for (size_t i = 0; i < want.size(); ++i)
    EXPECT_EQ(without[i].details_json(), want[i].details_json());
}

TEST_P(ApiTest, WatchExecutionOfAnUnknownExecutionIsNotFound) {
  v1::WatchExecutionRequest request;
  request.set_execution_arn("arn:fleetflow:states:local:execution:Nobody:nothing");
  auto context = Ctx();
  auto stream = executions_->WatchExecution(context.get(), request);
  v1::HistoryEvent event;
  EXPECT_FALSE(stream->Read(&event));
  EXPECT_TRUE(IsError(stream->Finish(), SC::NOT_FOUND, "ExecutionDoesNotExist"));
}

TEST_P(ApiTest, RedriveExecutionRunsTheFailedStateAgain) {
  std::string arn = CreateMachine("Callback", kCallback);
  std::string execution = StartOk(arn, "flaky");
  std::string first_token = AwaitTaskToken(execution);
  v1::SendTaskFailureRequest failure;
  failure.set_task_token(first_token);
  failure.set_error("Robot.Offline");
  v1::SendTaskFailureResponse failed;
  ASSERT_TRUE(IsOk(tasks_->SendTaskFailure(Ctx().get(), failure, &failed)));
  v1::DescribeExecutionResponse ended = AwaitEnd(execution);
  ASSERT_EQ(ended.status(), v1::EXECUTION_STATUS_FAILED);
  EXPECT_EQ(ended.redrive_status(), v1::EXECUTION_REDRIVE_STATUS_REDRIVABLE);
  EXPECT_EQ(ended.redrive_status_reason(), "");

  v1::RedriveExecutionRequest request;
  request.set_execution_arn(execution);
  request.set_client_token("retry-after-reboot");
  v1::RedriveExecutionResponse response;
  ASSERT_TRUE(IsOk(executions_->RedriveExecution(Ctx().get(), request, &response)));
  EXPECT_TRUE(response.has_redrive_date());
  v1::DescribeExecutionResponse running = Describe(execution);
  EXPECT_EQ(running.status(), v1::EXECUTION_STATUS_RUNNING);
  EXPECT_EQ(running.redrive_count(), 1);
  EXPECT_FALSE(running.has_stop_date());
  EXPECT_EQ(running.error(), "");
  EXPECT_EQ(running.redrive_status(), v1::EXECUTION_REDRIVE_STATUS_NOT_REDRIVABLE);

  // The same client token again: the first call's answer, no second redrive.
  v1::RedriveExecutionResponse again;
  ASSERT_TRUE(IsOk(executions_->RedriveExecution(Ctx().get(), request, &again)));
  EXPECT_EQ(Describe(execution).redrive_count(), 1);

  // The state runs again with a new token; the old one is dead.
  std::string second_token = AwaitTaskToken(execution);
  EXPECT_NE(second_token, first_token);
  EXPECT_TRUE(IsError(SendSuccess(first_token, "{}"), SC::FAILED_PRECONDITION, "TaskTimedOut"));
  ASSERT_TRUE(IsOk(SendSuccess(second_token, R"({"docked":true})")));
  v1::DescribeExecutionResponse done = AwaitEnd(execution);
  EXPECT_EQ(done.status(), v1::EXECUTION_STATUS_SUCCEEDED);
  EXPECT_EQ(done.output(), R"({"docked":true})");
  EXPECT_EQ(done.redrive_count(), 1);

  std::vector<std::string> types = Types(History(execution));
  // TaskStarted comes from the callback handler and may lose the race with
  // the test's answer; it is not what this test is about.
  std::erase(types, "TaskStarted");
  std::vector<std::string> expected = {"ExecutionStarted", "TaskStateEntered",  "TaskScheduled",
                                       "TaskFailed",       "ExecutionFailed",   "ExecutionRedriven",
                                       "TaskStateEntered", "TaskScheduled",     "TaskSucceeded",
                                       "TaskStateExited",  "ExecutionSucceeded"};
  EXPECT_EQ(types, expected);

  v1::ListExecutionsRequest list;
  list.set_state_machine_arn(arn);
  list.set_redrive_filter(v1::EXECUTION_REDRIVE_FILTER_REDRIVEN);
  v1::ListExecutionsResponse listed;
  ASSERT_TRUE(IsOk(executions_->ListExecutions(Ctx().get(), list, &listed)));
  ASSERT_EQ(listed.executions_size(), 1);
  EXPECT_EQ(listed.executions(0).redrive_count(), 1);
}

TEST_P(ApiTest, RedriveExecutionRefusesWhatCannotBeRedriven) {
  v1::RedriveExecutionRequest request;
  v1::RedriveExecutionResponse response;
  request.set_execution_arn("not-an-arn");
  EXPECT_TRUE(IsError(executions_->RedriveExecution(Ctx().get(), request, &response),
                      SC::INVALID_ARGUMENT, "InvalidArn"));
  std::string arn = CreateMachine("Sleeper", kSleep);
  request.set_execution_arn("arn:fleetflow:states:local:execution:Sleeper:ghost");
  EXPECT_TRUE(IsError(executions_->RedriveExecution(Ctx().get(), request, &response), SC::NOT_FOUND,
                      "ExecutionDoesNotExist"));

  std::string running = StartOk(arn, "sleeping");
  request.set_execution_arn(running);
  EXPECT_TRUE(IsError(executions_->RedriveExecution(Ctx().get(), request, &response),
                      SC::FAILED_PRECONDITION, "ExecutionNotRedrivable"));

  std::string pass =
      CreateMachine("Quick", R"({"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}})");
  std::string succeeded = StartOk(pass, "done");
  ASSERT_EQ(AwaitEnd(succeeded).status(), v1::EXECUTION_STATUS_SUCCEEDED);
  EXPECT_EQ(Describe(succeeded).redrive_status_reason(),
            "Execution is SUCCEEDED and cannot be redriven");
  request.set_execution_arn(succeeded);
  EXPECT_TRUE(IsError(executions_->RedriveExecution(Ctx().get(), request, &response),
                      SC::FAILED_PRECONDITION, "ExecutionNotRedrivable"));

  // A Fail state fails again when redriven; an aborted execution runs again.
  std::string broken = StartOk(CreateMachine("Broken", kFail), "broken");
  ASSERT_EQ(AwaitEnd(broken).status(), v1::EXECUTION_STATUS_FAILED);
  request.set_execution_arn(broken);
  ASSERT_TRUE(IsOk(executions_->RedriveExecution(Ctx().get(), request, &response)));
  v1::DescribeExecutionResponse again = AwaitEnd(broken);
  EXPECT_EQ(again.status(), v1::EXECUTION_STATUS_FAILED);
  EXPECT_EQ(again.error(), "Robot.Broken");
  EXPECT_EQ(again.redrive_count(), 1);

  v1::StopExecutionRequest stop;
  stop.set_execution_arn(running);
  v1::StopExecutionResponse stopped;
  ASSERT_TRUE(IsOk(executions_->StopExecution(Ctx().get(), stop, &stopped)));
  request.set_execution_arn(running);
  ASSERT_TRUE(IsOk(executions_->RedriveExecution(Ctx().get(), request, &response)));
  EXPECT_EQ(Describe(running).status(), v1::EXECUTION_STATUS_RUNNING);
}

// ===========================================================================
// Tasks

TEST_P(ApiTest, SendTaskSuccessCompletesTheTaskOnce) {
  std::string arn = CreateMachine("Callback", kCallback);
  std::string execution = StartOk(arn, "ok");
  std::string token = AwaitTaskToken(execution);
  ASSERT_FALSE(token.empty());
  ASSERT_TRUE(IsOk(SendSuccess(token, R"({"battery":93})")));
  v1::DescribeExecutionResponse end = AwaitEnd(execution);
  EXPECT_EQ(end.status(), v1::EXECUTION_STATUS_SUCCEEDED);
  EXPECT_EQ(end.output(), R"({"battery":93})");
  std::vector<std::string> types = Types(History(execution));
  EXPECT_NE(std::find(types.begin(), types.end(), "TaskSucceeded"), types.end());

  // The first answer won; later ones are "already handled".
  EXPECT_TRUE(IsError(SendSuccess(token, "{}"), SC::FAILED_PRECONDITION, "TaskTimedOut"));
  v1::SendTaskFailureRequest failure;
  failure.set_task_token(token);
  v1::SendTaskFailureResponse failed;
  EXPECT_TRUE(IsError(tasks_->SendTaskFailure(Ctx().get(), failure, &failed),
                      SC::FAILED_PRECONDITION, "TaskTimedOut"));
  v1::SendTaskHeartbeatRequest heartbeat;
  heartbeat.set_task_token(token);
  v1::SendTaskHeartbeatResponse beat;
  EXPECT_TRUE(IsError(tasks_->SendTaskHeartbeat(Ctx().get(), heartbeat, &beat),
                      SC::FAILED_PRECONDITION, "TaskTimedOut"));
  EXPECT_EQ(AwaitEnd(execution).output(), R"({"battery":93})");
}

TEST_P(ApiTest, SendTaskFailureFailsTheTask) {
  std::string arn = CreateMachine("Callback", kCallback);
  std::string execution = StartOk(arn, "fails");
  std::string token = AwaitTaskToken(execution);
  ASSERT_FALSE(token.empty());
  v1::SendTaskFailureRequest request;
  request.set_task_token(token);
  request.set_error("Robot.Stuck");
  request.set_cause("under the sofa");
  v1::SendTaskFailureResponse response;
  ASSERT_TRUE(IsOk(tasks_->SendTaskFailure(Ctx().get(), request, &response)));
  v1::DescribeExecutionResponse end = AwaitEnd(execution);
  EXPECT_EQ(end.status(), v1::EXECUTION_STATUS_FAILED);
  EXPECT_EQ(end.error(), "Robot.Stuck");
  EXPECT_EQ(end.cause(), "under the sofa");
  std::vector<std::string> types = Types(History(execution));
  EXPECT_NE(std::find(types.begin(), types.end(), "TaskFailed"), types.end());
  EXPECT_EQ(types.back(), "ExecutionFailed");
}

// HeartbeatSeconds 3: heartbeats every half second keep the task alive well
// past 3 s; once they stop, the task times out with States.HeartbeatTimeout.
TEST_P(ApiTest, SendTaskHeartbeatKeepsTheTaskAlive) {
  std::string arn = CreateMachine("Beating", R"({"StartAt":"Wait","States":{
    "Wait":{"Type":"Task","Resource":"fleetflow:callback.waitForTaskToken","HeartbeatSeconds":3,
            "Parameters":{"token.$":"$$.Task.Token"},"End":true}}})");
  std::string execution = StartOk(arn, "alive");
  std::string token = AwaitTaskToken(execution);
  ASSERT_FALSE(token.empty());
  v1::SendTaskHeartbeatRequest heartbeat;
  heartbeat.set_task_token(token);
  v1::SendTaskHeartbeatResponse beat;
  for (int i = 0; i < 14; ++i) {  // 7 s: more than twice the heartbeat window
    ASSERT_TRUE(IsOk(tasks_->SendTaskHeartbeat(Ctx().get(), heartbeat, &beat)));
    absl::SleepFor(absl::Milliseconds(500));
  }
  v1::DescribeExecutionResponse described;
  ASSERT_TRUE(IsOk(Describe(execution, &described)));
  EXPECT_EQ(described.status(), v1::EXECUTION_STATUS_RUNNING);
  v1::DescribeExecutionResponse end = AwaitEnd(execution);  // no more heartbeats
  EXPECT_EQ(end.status(), v1::EXECUTION_STATUS_FAILED);
  EXPECT_EQ(end.error(), "States.HeartbeatTimeout");
}

TEST_P(ApiTest, TaskCallsRejectBadTokensAndOutputs) {
  std::string arn = CreateMachine("Callback", kCallback);
  std::string execution = StartOk(arn, "bad-inputs");
  std::string token = AwaitTaskToken(execution);
  ASSERT_FALSE(token.empty());

  v1::SendTaskFailureRequest failure;
  v1::SendTaskFailureResponse failed;
  v1::SendTaskHeartbeatRequest heartbeat;
  v1::SendTaskHeartbeatResponse beat;
  for (const std::string& malformed : {std::string(), std::string("not-a-token"),
                                       std::string("arn:no-hash-here"), std::string("#1#2")}) {
    SCOPED_TRACE("token '" + malformed + "'");
    EXPECT_TRUE(IsError(SendSuccess(malformed, "{}"), SC::INVALID_ARGUMENT, "InvalidToken"));
    failure.set_task_token(malformed);
    EXPECT_TRUE(IsError(tasks_->SendTaskFailure(Ctx().get(), failure, &failed),
                        SC::INVALID_ARGUMENT, "InvalidToken"));
    heartbeat.set_task_token(malformed);
    EXPECT_TRUE(IsError(tasks_->SendTaskHeartbeat(Ctx().get(), heartbeat, &beat),
                        SC::INVALID_ARGUMENT, "InvalidToken"));
  }

  EXPECT_TRUE(IsError(SendSuccess(token, "{not json"), SC::INVALID_ARGUMENT, "InvalidOutput"));
  EXPECT_TRUE(IsError(SendSuccess(token, ""), SC::INVALID_ARGUMENT, "InvalidOutput"));
  EXPECT_TRUE(IsError(SendSuccess(token, JsonStringOfSize(kPayloadLimit + 1)),
                      SC::RESOURCE_EXHAUSTED, "InvalidOutput"));
  failure.set_task_token(token);
  failure.set_error(std::string(257, 'e'));
  EXPECT_TRUE(IsError(tasks_->SendTaskFailure(Ctx().get(), failure, &failed), SC::INVALID_ARGUMENT,
                      "ValidationException"));

  // A well-formed token of an execution that does not exist.
  const std::string stranger = "arn:fleetflow:states:local:execution:Callback:nobody#1#secret";
  EXPECT_TRUE(IsError(SendSuccess(stranger, "{}"), SC::NOT_FOUND, "TaskDoesNotExist"));
  failure.set_task_token(stranger);
  failure.clear_error();
  EXPECT_TRUE(IsError(tasks_->SendTaskFailure(Ctx().get(), failure, &failed), SC::NOT_FOUND,
                      "TaskDoesNotExist"));
  heartbeat.set_task_token(stranger);
  EXPECT_TRUE(IsError(tasks_->SendTaskHeartbeat(Ctx().get(), heartbeat, &beat), SC::NOT_FOUND,
                      "TaskDoesNotExist"));

  // None of that touched the task: it still takes its answer.
  v1::DescribeExecutionResponse described;
  ASSERT_TRUE(IsOk(Describe(execution, &described)));
  EXPECT_EQ(described.status(), v1::EXECUTION_STATUS_RUNNING);
  ASSERT_TRUE(IsOk(SendSuccess(token, JsonStringOfSize(kPayloadLimit))));  // the limit is allowed
  EXPECT_EQ(AwaitEnd(execution).status(), v1::EXECUTION_STATUS_SUCCEEDED);
}

// ===========================================================================
// Activities

TEST_P(ApiTest, ActivitiesCreateDescribeListDelete) {
  v1::CreateActivityRequest create;
  create.set_name("scan");
  v1::CreateActivityResponse created, again;
  ASSERT_TRUE(IsOk(activities_->CreateActivity(Ctx().get(), create, &created)));
  EXPECT_EQ(created.activity_arn(), "arn:fleetflow:states:local:activity:scan");
  EXPECT_TRUE(created.has_creation_date());
  // Idempotent on the name.
  ASSERT_TRUE(IsOk(activities_->CreateActivity(Ctx().get(), create, &again)));
  EXPECT_EQ(again.activity_arn(), created.activity_arn());

  v1::DescribeActivityRequest describe;
  describe.set_activity_arn(created.activity_arn());
  v1::DescribeActivityResponse activity;
  ASSERT_TRUE(IsOk(activities_->DescribeActivity(Ctx().get(), describe, &activity)));
  EXPECT_EQ(activity.activity_arn(), created.activity_arn());
  EXPECT_EQ(activity.name(), "scan");
  EXPECT_TRUE(activity.has_creation_date());

  create.set_name("upload");
  ASSERT_TRUE(IsOk(activities_->CreateActivity(Ctx().get(), create, &again)));
  std::set<std::string> names;
  v1::ListActivitiesRequest list;
  list.set_max_results(1);
  int pages = 0;
  v1::ListActivitiesResponse listed;
  do {
    listed.Clear();
    ASSERT_TRUE(IsOk(activities_->ListActivities(Ctx().get(), list, &listed)));
    EXPECT_LE(listed.activities_size(), 1);
    for (const auto& a : listed.activities()) {
      EXPECT_TRUE(names.insert(a.name()).second) << a.name() << " listed twice";
      EXPECT_EQ(a.activity_arn(), "arn:fleetflow:states:local:activity:" + a.name());
    }
    list.set_next_token(listed.next_token());
    ASSERT_LT(++pages, 10);
  } while (!listed.next_token().empty());
  EXPECT_EQ(names, (std::set<std::string>{"scan", "upload"}));

  v1::DeleteActivityRequest del;
  del.set_activity_arn(created.activity_arn());
  v1::DeleteActivityResponse deleted;
  ASSERT_TRUE(IsOk(activities_->DeleteActivity(Ctx().get(), del, &deleted)));
  EXPECT_TRUE(IsError(activities_->DescribeActivity(Ctx().get(), describe, &activity),
                      SC::NOT_FOUND, "ActivityDoesNotExist"));
  EXPECT_TRUE(IsOk(activities_->DeleteActivity(Ctx().get(), del, &deleted)));  // again: fine
  list.Clear();
  ASSERT_TRUE(IsOk(activities_->ListActivities(Ctx().get(), list, &listed)));
  ASSERT_EQ(listed.activities_size(), 1);
  EXPECT_EQ(listed.activities(0).name(), "upload");

  for (const std::string& bad : {std::string(), std::string("a b"), std::string(81, 'a')}) {
    create.set_name(bad);
    EXPECT_TRUE(IsError(activities_->CreateActivity(Ctx().get(), create, &created),
                        SC::INVALID_ARGUMENT, "InvalidName"))
        << bad;
  }
}

TEST_P(ApiTest, GetActivityTaskHandsTheTaskToAWorker) {
  v1::CreateActivityRequest create;
  create.set_name("scan");
  v1::CreateActivityResponse activity;
  ASSERT_TRUE(IsOk(activities_->CreateActivity(Ctx().get(), create, &activity)));
  std::string arn = CreateMachine("Scanner", ActivityMachine(activity.activity_arn()));
  std::string execution = StartOk(arn, "job", R"({"room":3})");

  v1::GetActivityTaskRequest poll;
  poll.set_activity_arn(activity.activity_arn());
  poll.set_worker_name("worker-1");
  v1::GetActivityTaskResponse task;
  ASSERT_TRUE(IsOk(activities_->GetActivityTask(Ctx().get(), poll, &task)));
  ASSERT_FALSE(task.task_token().empty());
  EXPECT_EQ(task.input(), R"({"room":3})");

  ASSERT_TRUE(IsOk(SendSuccess(task.task_token(), R"({"scanned":3})")));
  v1::DescribeExecutionResponse end = AwaitEnd(execution);
  EXPECT_EQ(end.status(), v1::EXECUTION_STATUS_SUCCEEDED) << end.error() << ": " << end.cause();
  EXPECT_EQ(end.output(), R"({"scanned":3})");

  poll.set_activity_arn("arn:fleetflow:states:local:activity:unknown");
  EXPECT_TRUE(IsError(activities_->GetActivityTask(Ctx().get(), poll, &task), SC::NOT_FOUND,
                      "ActivityDoesNotExist"));
}

TEST_P(ApiTest, ManyWaitingPollsEachGetOneTaskAndAnAbandonedPollTakesNone) {
  v1::CreateActivityRequest create;
  create.set_name("scan");
  v1::CreateActivityResponse activity;
  ASSERT_TRUE(IsOk(activities_->CreateActivity(Ctx().get(), create, &activity)));
  std::string arn = CreateMachine("Scanner", ActivityMachine(activity.activity_arn()));
  v1::GetActivityTaskRequest poll;
  poll.set_activity_arn(activity.activity_arn());

  // A worker that gives up on its poll: nothing comes, and the poll is gone.
  grpc::ClientContext short_context;
  short_context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(200));
  v1::GetActivityTaskResponse none;
  EXPECT_EQ(activities_->GetActivityTask(&short_context, poll, &none).error_code(),
            SC::DEADLINE_EXCEEDED);

  // 200 workers wait at once (more than any thread pool of the server), then
  // 200 tasks come: each worker gets exactly one, and no task is lost to the
  // poll that gave up.
  constexpr int kWorkers = 200;
  struct Call {
    std::unique_ptr<grpc::ClientContext> context = Ctx();
    v1::GetActivityTaskResponse response;
    std::promise<grpc::Status> done;
  };
  std::vector<Call> calls(kWorkers);
  for (int i = 0; i < kWorkers; ++i) {
    Call& call = calls[i];
    activities_->async()->GetActivityTask(call.context.get(), &poll, &call.response,
                                          [&call](grpc::Status s) { call.done.set_value(s); });
  }
  for (int i = 0; i < kWorkers; ++i) StartOk(arn, "job-" + std::to_string(i), "{}");
  std::set<std::string> tokens;
  for (Call& call : calls) {
    grpc::Status s = call.done.get_future().get();
    ASSERT_TRUE(IsOk(s));
    ASSERT_FALSE(call.response.task_token().empty());
    tokens.insert(call.response.task_token());
  }
  EXPECT_EQ(tokens.size(), static_cast<size_t>(kWorkers));
}

TEST_P(ApiTest, PollActivityTasksStreamsTasksWithinTheWorkersCredit) {
  v1::CreateActivityRequest create;
  create.set_name("scan");
  v1::CreateActivityResponse activity;
  ASSERT_TRUE(IsOk(activities_->CreateActivity(Ctx().get(), create, &activity)));
  std::string arn = CreateMachine("Scanner", ActivityMachine(activity.activity_arn()));

  auto context = Ctx();
  auto stream = activities_->PollActivityTasks(context.get());
  v1::WorkerMessage subscribe;
  subscribe.mutable_subscribe()->set_activity_arn(activity.activity_arn());
  subscribe.mutable_subscribe()->set_worker_name("streamer");
  subscribe.mutable_subscribe()->set_max_in_flight(1);
  ASSERT_TRUE(stream->Write(subscribe));

  std::set<std::string> executions = {StartOk(arn, "job-1", R"({"room":1})"),
                                      StartOk(arn, "job-2", R"({"room":2})")};
  std::set<std::string> served;
  for (int i = 0; i < 2; ++i) {
    v1::ActivityTask task;
    if (!stream->Read(&task)) {
      ADD_FAILURE() << "the stream ended before task " << i;
      break;
    }
    EXPECT_FALSE(task.task_token().empty());
    EXPECT_TRUE(executions.count(task.execution_arn())) << task.execution_arn();
    EXPECT_EQ(task.idempotency_key(), task.execution_arn() + "/Scan/1");
    EXPECT_EQ(task.activity_arn(), activity.activity_arn());
    EXPECT_EQ(task.state_name(), "Scan");
    EXPECT_EQ(task.attempt(), 0);
    EXPECT_EQ(task.input(), "{\"room\":" + LastPart(task.execution_arn()).substr(4) + "}");
    EXPECT_TRUE(served.insert(task.execution_arn()).second) << "served twice";
    if (i == 0) {
      // The credit is spent: the other task waits, un-leased, until more comes.
      absl::SleepFor(absl::Milliseconds(1500));
      for (const std::string& other : executions) {
        if (other == task.execution_arn()) continue;
        std::vector<std::string> types = Types(History(other));
        EXPECT_EQ(std::find(types.begin(), types.end(), "TaskStarted"), types.end())
            << "a task went out beyond the worker's credit";
      }
    }
    EXPECT_TRUE(IsOk(SendSuccess(task.task_token(), R"({"scanned":true})")));
    // Answered: room for one more.
    v1::WorkerMessage credit;
    credit.mutable_credit()->set_count(1);
    EXPECT_TRUE(stream->Write(credit));
  }
  EXPECT_EQ(served, executions);
  for (const std::string& execution : executions) {
    v1::DescribeExecutionResponse end = AwaitEnd(execution);
    EXPECT_EQ(end.status(), v1::EXECUTION_STATUS_SUCCEEDED) << execution;
    EXPECT_EQ(end.output(), R"({"scanned":true})");
  }

  // The worker closes its side; the server ends the stream.
  ASSERT_TRUE(stream->WritesDone());
  v1::ActivityTask none;
  EXPECT_FALSE(stream->Read(&none));
  EXPECT_TRUE(IsOk(stream->Finish()));
}

// ===========================================================================
// Health

// Debian's gRPC ships no generated grpc.health.v1 stub, so the check goes
// through the generic stub with the two messages encoded by hand:
// HealthCheckRequest{service = 1: string}, HealthCheckResponse{status = 1: enum}.
TEST_P(ApiTest, PollActivityTasksEndsAtOnceForAnUnknownActivity) {
  auto context = Ctx();
  auto stream = activities_->PollActivityTasks(context.get());
  v1::WorkerMessage subscribe;
  subscribe.mutable_subscribe()->set_activity_arn("arn:fleetflow:states:local:activity:nobody");
  subscribe.mutable_subscribe()->set_worker_name("lost");
  ASSERT_TRUE(stream->Write(subscribe));
  v1::ActivityTask task;
  EXPECT_FALSE(stream->Read(&task));
  EXPECT_TRUE(IsError(stream->Finish(), SC::NOT_FOUND, "ActivityDoesNotExist"));
}

TEST_P(ApiTest, HealthCheckIsServing) {
  grpc::GenericStub stub(channel_);
  auto check = [&](const std::string& request_bytes, std::string* response_bytes) {
    grpc::Slice slice(request_bytes);
    grpc::ByteBuffer request(&slice, 1), response;
    std::promise<grpc::Status> done;
    auto context = Ctx();
    stub.UnaryCall(context.get(), "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request,
                   &response, [&](grpc::Status s) { done.set_value(std::move(s)); });
    grpc::Status status = done.get_future().get();
    if (status.ok()) {
      grpc::Slice out;
      EXPECT_TRUE(response.DumpToSingleSlice(&out).ok());
      *response_bytes = std::string(reinterpret_cast<const char*>(out.begin()), out.size());
    }
    return status;
  };
  std::string response;
  ASSERT_TRUE(IsOk(check("", &response)));          // the server as a whole
  EXPECT_EQ(response, std::string("\x08\x01", 2));  // status: SERVING (1)

  // A service the server never heard of.
  EXPECT_EQ(check(std::string("\x0a\x04nope", 6), &response).error_code(), SC::NOT_FOUND);
}

INSTANTIATE_TEST_SUITE_P(Stores, ApiTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace fleetflow::server::apitest
