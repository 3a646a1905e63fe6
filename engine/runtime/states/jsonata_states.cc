// The state kinds whose JSONata form differs most from their JSONPath form:
// Pass, Choice, Succeed, Fail, Parallel; and what Task, Parallel and Map
// share (the result's Output and Assign, Catch). Task, Wait and Map branch
// on the query language in their own files.

#include "engine/common/strings.h"
#include "engine/runtime/jsonata_env.h"
#include "engine/runtime/step.h"

namespace fleetflow::runtime {

json::ValuePtr Step::JsonataAssignAndOutput(int frame_id, JsonataEnv& env,
                                            const def::JsonataTemplate* assign,
                                            const def::JsonataTemplate* output,
                                            const json::ValuePtr& fallback, std::string_view prefix,
                                            bool in_catch,
                                            std::optional<std::string_view> output_prefix) {
  auto fail = [&](Failure f) {
    Failure failure = StateFailure(frame(frame_id), std::move(f.error), f.cause);
    if (in_catch)
      FailFrame(frame_id, std::move(failure));
    else
      FailState(frame_id, std::move(failure));
    return json::ValuePtr();
  };
  json::Object assigned;
  if (assign != nullptr) {
    Result<json::Object> values = env.EvaluateAssign(*assign, StrCat(prefix, "Assign"));
    if (!values.ok()) return fail(std::move(values).failure());
    assigned = std::move(values).value();
  }
  json::ValuePtr out = fallback;
  if (output != nullptr) {
    Result<json::Value> v = env.Evaluate(*output, StrCat(output_prefix.value_or(prefix), "Output"));
    if (!v.ok()) return fail(std::move(v).failure());
    out = json::Share(std::move(v).value());
  }
  for (auto& kv : assigned) frame(frame_id).variables[kv.key()] = std::move(kv.value());
  return out;
}

namespace {

const def::JsonataTemplate* Ptr(const std::optional<def::JsonataTemplate>& t) {
  return t ? &*t : nullptr;
}

}  // namespace

void Step::RunJsonataPass(int frame_id) {
  const Frame& f = frame(frame_id);
  const def::State& st = StateOf(f);
  json::ValuePtr input = f.input;
  StateScope scope(*this, frame_id, *input);
  JsonataEnv env(*this, frame_id, scope);
  env.set_input(input.get());
  json::ValuePtr out = JsonataAssignAndOutput(frame_id, env, Ptr(st.jsonata->assign),
                                              Ptr(st.jsonata->output), input, "");
  if (out) Transition(frame_id, std::move(out));
}

void Step::RunJsonataSucceed(int frame_id) { RunJsonataPass(frame_id); }

void Step::RunJsonataChoice(int frame_id) {
  const Frame& f = frame(frame_id);
  const def::State& st = StateOf(f);
  const auto& spec = st.As<def::ChoiceSpec>();
  json::ValuePtr input = f.input;
  StateScope scope(*this, frame_id, *input);
  JsonataEnv env(*this, frame_id, scope);
  env.set_input(input.get());
  for (size_t i = 0; i < spec.choices.size(); ++i) {
    const def::ChoiceRule& rule = spec.choices[i];
    if (!rule.condition) continue;
    std::string prefix = StrCat("Choices[", i, "]/");
    std::string field = StrCat(prefix, "Condition");
    Result<json::Value> v = env.Evaluate(*rule.condition, field);
    if (!v.ok()) {
      return FailState(frame_id,
                       StateFailure(frame(frame_id), v.failure().error, v.failure().cause));
    }
    if (!v.value().is_bool()) {
      Failure bad = JsonataEnv::Unexpected(*rule.condition, field, "a boolean", v.value());
      return FailState(frame_id, StateFailure(frame(frame_id), bad.error, bad.cause));
    }
    if (!v.value().get_bool()) continue;
    // The matched rule's Assign replaces the state's; its Output, when it
    // has one, takes precedence over the state's.
    const def::JsonataTemplate* output = rule.output ? &*rule.output : Ptr(st.jsonata->output);
    json::ValuePtr out =
        JsonataAssignAndOutput(frame_id, env, Ptr(rule.jsonata_assign), output, input, prefix,
                               false, rule.output ? std::string_view(prefix) : "");
    if (!out) return;
    return GoTo(frame_id, rule.next, std::move(out));
  }
  if (spec.default_next < 0) {
    return FailState(frame_id,
                     StateFailure(frame(frame_id), "States.NoChoiceMatched",
                                  "No Choice Rule matched and no Default state was specified."));
  }
  json::ValuePtr out = JsonataAssignAndOutput(frame_id, env, Ptr(st.jsonata->assign),
                                              Ptr(st.jsonata->output), input, "");
  if (out) GoTo(frame_id, spec.default_next, std::move(out));
}

void Step::RunJsonataFail(int frame_id) {
  const Frame& f = frame(frame_id);
  const def::State& st = StateOf(f);
  const auto& spec = st.As<def::FailSpec>();
  json::ValuePtr input = f.input;
  StateScope scope(*this, frame_id, *input);
  JsonataEnv env(*this, frame_id, scope);
  env.set_input(input.get());
  Failure failure{spec.error.value_or(""), spec.cause.value_or("")};
  struct Field {
    const std::optional<def::JsonataTemplate>& expr;
    const char* name;
    std::string& out;
  };
  for (Field fd : {Field{st.jsonata->error, "Error", failure.error},
                   Field{st.jsonata->cause, "Cause", failure.cause}}) {
    if (!fd.expr) continue;
    Result<json::Value> v = env.Evaluate(*fd.expr, fd.name);
    if (v.ok() && !v.value().is_string())
      v = JsonataEnv::Unexpected(*fd.expr, fd.name, "a string", v.value());
    if (!v.ok())
      return FailFrame(frame_id,
                       StateFailure(frame(frame_id), v.failure().error, v.failure().cause));
    fd.out = std::string(v.value().get_string());
  }
  FailFrame(frame_id, std::move(failure));
}

void Step::RunJsonataParallel(int frame_id) {
  const Frame& f = frame(frame_id);
  const def::State& st = StateOf(f);
  json::ValuePtr input = f.input;
  if (st.jsonata->arguments) {
    StateScope scope(*this, frame_id, *f.input);
    JsonataEnv env(*this, frame_id, scope);
    env.set_input(f.input.get());
    Result<json::Value> args = env.Evaluate(*st.jsonata->arguments, "Arguments");
    if (!args.ok()) {
      return FailState(frame_id, StateFailure(f, args.failure().error, args.failure().cause));
    }
    input = json::Share(std::move(args).value());
  }
  const auto& branches = st.As<def::ParallelSpec>().branches;
  Emit(frame_id, EventType::kParallelStateStarted);
  Frame& fr = frame(frame_id);
  fr.status = FrameStatus::kWaitingChildren;
  fr.fan_out = FanOut();
  fr.fan_out.effective_input = input;
  fr.fan_out.total = branches.size();
  fr.fan_out.running = branches.size();
  fr.fan_out.results.resize(branches.size());
  for (size_t i = 0; i < branches.size(); ++i) {
    int child = NewFrame(frame_id, branches[i], input, static_cast<int64_t>(i));
    EnterState(child, machine_.graphs[static_cast<size_t>(branches[i])].start, input);
  }
}

void Step::CompleteJsonataResult(int frame_id, json::ValuePtr result) {
  const def::State& st = StateOf(frame(frame_id));
  json::ValuePtr input = frame(frame_id).input;
  StateScope scope(*this, frame_id, *input);
  JsonataEnv env(*this, frame_id, scope);
  env.set_input(input.get());
  env.set_result(result.get());
  json::ValuePtr out = JsonataAssignAndOutput(frame_id, env, Ptr(st.jsonata->assign),
                                              Ptr(st.jsonata->output), result, "");
  if (out) Transition(frame_id, std::move(out));
}

void Step::ApplyJsonataCatch(int frame_id, const def::Catcher& catcher, const Failure& failure) {
  const def::State& st = StateOf(frame(frame_id));
  size_t index = static_cast<size_t>(&catcher - st.catchers.data());
  json::Object error_output;
  error_output["Error"] = failure.error;
  error_output["Cause"] = failure.cause;
  json::ValuePtr error_value = json::Share(json::Value(std::move(error_output)));
  json::ValuePtr input = frame(frame_id).input;
  StateScope scope(*this, frame_id, *input);
  JsonataEnv env(*this, frame_id, scope);
  env.set_input(input.get());
  env.set_error_output(error_value.get());
  json::ValuePtr out =
      JsonataAssignAndOutput(frame_id, env, Ptr(catcher.jsonata_assign), Ptr(catcher.output),
                             error_value, StrCat("Catch[", index, "]/"), true);
  if (!out) return;
  s_.unwound.clear();  // handled: nothing below this state is redriven
  GoTo(frame_id, catcher.next, std::move(out));
}

Result<json::ValuePtr> Step::JsonataItemInput(int frame_id, int64_t index,
                                              const json::Value& item) {
  const def::State& st = StateOf(frame(frame_id));
  json::ValuePtr input = frame(frame_id).input;
  StateScope scope(*this, frame_id, *input);
  scope.SetMapItem(index, item);
  JsonataEnv env(*this, frame_id, scope);
  env.set_input(input.get());
  FF_TRY_ASSIGN(json::Value v, env.Evaluate(*st.jsonata->item_selector, "ItemSelector"));
  return json::Share(std::move(v));
}

}  // namespace fleetflow::runtime
