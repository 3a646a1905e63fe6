#include "engine/runtime/mock_config.h"

#include <charconv>

#include "engine/common/strings.h"

namespace fleetflow::runtime {

namespace {

absl::Status Bad(const std::string& pointer, const std::string& message) {
  return absl::InvalidArgumentError(StrCat("mock config ", pointer, ": ", message));
}

bool ParseInt(std::string_view s, int& out) {
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return !s.empty() && r.ec == std::errc() && r.ptr == s.data() + s.size() && out >= 0;
}

absl::StatusOr<MockedInvocation> ParseInvocation(std::string_view key, const json::Value& v,
                                                 const std::string& at) {
  MockedInvocation inv;
  size_t dash = key.find('-');
  bool ok =
      dash == std::string_view::npos
          ? ParseInt(key, inv.first) && (inv.last = inv.first, true)
          : ParseInt(key.substr(0, dash), inv.first) && ParseInt(key.substr(dash + 1), inv.last);
  if (!ok || inv.last < inv.first) {
    return Bad(at,
               "an invocation key is \"N\" or an inclusive range \"N-M\" of non-negative integers");
  }
  const json::Object* obj = v.if_object();
  if (obj == nullptr || obj->size() != 1 || !(obj->contains("Return") || obj->contains("Throw"))) {
    return Bad(at, "each invocation holds exactly one of \"Return\" or \"Throw\"");
  }
  if (const json::Value* r = obj->if_contains("Return")) {
    inv.value = *r;
    return inv;
  }
  const json::Object* t = obj->at("Throw").if_object();
  if (t == nullptr) return Bad(at + "/Throw", "Throw must be an object with Error and Cause");
  inv.is_throw = true;
  const json::Value* error = t->if_contains("Error");
  const json::Value* cause = t->if_contains("Cause");
  if (error == nullptr || !error->is_string())
    return Bad(at + "/Throw/Error", "Error must be a string");
  inv.error = std::string(error->get_string());
  if (cause != nullptr && cause->is_string()) inv.cause = std::string(cause->get_string());
  return inv;
}

}  // namespace

absl::StatusOr<MockConfig> MockConfig::Parse(const json::Value& document) {
  MockConfig config;
  const json::Object* top = document.if_object();
  if (top == nullptr)
    return Bad("", "must be a JSON object with StateMachines and MockedResponses");
  const json::Value* machines = top->if_contains("StateMachines");
  const json::Value* responses = top->if_contains("MockedResponses");
  if (machines == nullptr || !machines->is_object())
    return Bad("/StateMachines", "must be an object");
  if (responses == nullptr || !responses->is_object())
    return Bad("/MockedResponses", "must be an object");
  for (const auto& [name, value] : responses->get_object()) {
    std::string at = StrCat("/MockedResponses/", std::string_view(name));
    if (!value.is_object()) return Bad(at, "must be an object of invocation keys");
    auto& list = config.responses[std::string(name)];
    for (const auto& [key, inv] : value.get_object()) {
      auto parsed = ParseInvocation(key, inv, StrCat(at, "/", std::string_view(key)));
      if (!parsed.ok()) return parsed.status();
      list.push_back(*std::move(parsed));
    }
  }
  for (const auto& [machine, value] : machines->get_object()) {
    std::string at = StrCat("/StateMachines/", std::string_view(machine));
    const json::Value* cases =
        value.is_object() ? value.get_object().if_contains("TestCases") : nullptr;
    if (cases == nullptr || !cases->is_object()) return Bad(at, "needs \"TestCases\": an object");
    for (const auto& [test_case, states] : cases->get_object()) {
      std::string case_at = StrCat(at, "/TestCases/", std::string_view(test_case));
      if (!states.is_object()) return Bad(case_at, "must map state names to mocked response names");
      for (const auto& [state, response] : states.get_object()) {
        if (!response.is_string() || !config.responses.count(std::string(response.get_string()))) {
          return Bad(StrCat(case_at, "/", std::string_view(state)),
                     "must name an entry of MockedResponses");
        }
        config.machines[std::string(machine)][std::string(test_case)][std::string(state)] =
            std::string(response.get_string());
      }
    }
  }
  return config;
}

absl::StatusOr<std::shared_ptr<MockTaskHandler>> MockTaskHandler::Create(
    const MockConfig& config, const std::string& machine, const std::string& test_case) {
  auto m = config.machines.find(machine);
  if (m == config.machines.end()) {
    return absl::NotFoundError(StrCat("the mock config has no state machine \"", machine,
                                      "\" (use --name to pick the machine name)"));
  }
  auto c = m->second.find(test_case);
  if (c == m->second.end()) {
    return absl::NotFoundError(StrCat("the mock config has no test case \"", test_case,
                                      "\" for state machine \"", machine, "\""));
  }
  auto handler = std::make_shared<MockTaskHandler>();
  handler->config_ = config;
  for (const auto& [state, response] : c->second) {
    handler->states_[state] = &handler->config_.responses.at(response);
  }
  return handler;
}

void MockTaskHandler::Invoke(const DispatchTask& task, TaskCallback done) {
  const std::vector<MockedInvocation>* list = nullptr;
  int call = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = states_.find(task.state_name);
    if (it != states_.end()) {
      list = it->second;
      call = calls_[task.state_name]++;
    }
  }
  if (list != nullptr) {
    for (const MockedInvocation& inv : *list) {
      if (call < inv.first || call > inv.last) continue;
      if (inv.is_throw) {
        done(Failure{inv.error, inv.cause});
      } else {
        done(inv.value);
      }
      return;
    }
  }
  done(Failure{"States.Runtime", StrCat("The mocked responses of state '", task.state_name,
                                        "' have no entry for invocation ", call)});
}

}  // namespace fleetflow::runtime
