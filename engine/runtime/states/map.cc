// Map: items from ItemsPath (JSONata: Items), at most MaxConcurrency
// iterations alive at once, each a frame running the ItemProcessor graph;
// with ItemBatcher each iteration gets a batch of items.

#include <algorithm>

#include "engine/common/strings.h"
#include "engine/runtime/data_flow.h"
#include "engine/runtime/jsonata_env.h"
#include "engine/runtime/step.h"

namespace fleetflow::runtime {

namespace {

// A NumberSource's value; one read from the input must lie in [0, max].
Result<std::optional<double>> Number(const def::NumberSource& src, StateScope& scope,
                                     const char* field, double max = 2147483647) {
  if (src.value) return std::optional<double>(*src.value);
  if (!src.path) return std::optional<double>();
  const json::Value* root = scope.RootOf(*src.path);
  const json::Value* v = root ? src.path->Find(*root) : nullptr;
  if (v == nullptr) return Failure{"States.Runtime", NoResultsMessage(*src.path)};
  if (!json::IsNumber(*v) || json::AsDouble(*v) < 0 || json::AsDouble(*v) > max) {
    return Failure{"States.Runtime", StrCat("The ", field, " parameter must be a number from 0 to ",
                                            static_cast<int64_t>(max), ": ", src.path->text(),
                                            " == ", json::Serialize(*v))};
  }
  return std::optional<double>(json::AsDouble(*v));
}

// Groups `items` (each already through ItemSelector) into batches of at most
// `max_items` items and `max_bytes` bytes of items (a larger item is a batch
// of its own): {"Items": [...], "BatchInput": ...}.
json::ValuePtr GroupBatches(json::Array items, std::optional<double> max_items,
                            std::optional<double> max_bytes,
                            const std::optional<json::Value>& batch_input) {
  size_t limit_items = max_items ? static_cast<size_t>(*max_items) : SIZE_MAX;
  size_t limit_bytes = max_bytes ? static_cast<size_t>(*max_bytes) : SIZE_MAX;
  json::Array batches;
  json::Array current;
  size_t current_bytes = 0;
  auto close = [&] {
    json::Object batch{{"Items", std::move(current)}};
    if (batch_input) batch["BatchInput"] = *batch_input;
    batches.emplace_back(std::move(batch));
    current = json::Array();
    current_bytes = 0;
  };
  for (json::Value& item : items) {
    size_t bytes = json::SerializedSize(item);
    if (!current.empty() && (current.size() >= limit_items || current_bytes + bytes > limit_bytes))
      close();
    current.push_back(std::move(item));
    current_bytes += bytes;
  }
  if (!current.empty()) close();
  return json::Share(json::Value(std::move(batches)));
}

// ItemSelector on every item, then groups of MaxItemsPerBatch items (and at
// most MaxInputBytesPerBatch bytes) as {"Items": [...], "BatchInput": ...}.
Result<json::ValuePtr> Batch(const def::MapSpec& spec, const json::Array& items, StateScope& scope,
                             const json::Value& effective_input) {
  const def::ItemBatcherSpec& b = *spec.batcher;
  FF_TRY_ASSIGN(auto max_items, Number(b.max_items_per_batch, scope, "MaxItemsPerBatchPath"));
  FF_TRY_ASSIGN(auto max_bytes,
                Number(b.max_input_bytes_per_batch, scope, "MaxInputBytesPerBatchPath"));
  std::optional<json::Value> batch_input;
  if (b.batch_input) {
    FF_TRY_ASSIGN(json::Value v, b.batch_input->Evaluate(scope));
    batch_input = std::move(v);
  }
  json::Array selected;
  selected.reserve(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    json::Value item = items[i];
    if (spec.item_selector) {
      scope.set_input(effective_input);
      scope.SetMapItem(static_cast<int64_t>(i), items[i]);
      FF_TRY_ASSIGN(item, spec.item_selector->Evaluate(scope));
    }
    selected.push_back(std::move(item));
  }
  return GroupBatches(std::move(selected), max_items, max_bytes, batch_input);
}

// A JSONata Map's number field: a literal or an expression yielding a number
// in [min, max] (an integer unless `fraction`).
Result<std::optional<double>> JsonataCount(JsonataEnv& env, const def::NumberSource& src,
                                           const std::optional<def::JsonataTemplate>& expr,
                                           const char* field, double max, bool fraction,
                                           double min = 0) {
  if (!expr) return src.value;
  FF_TRY_ASSIGN(json::Value v, env.Evaluate(*expr, field));
  if (!json::IsNumber(v) || (!fraction && !json::IsIntegral(v)) || json::AsDouble(v) < min ||
      json::AsDouble(v) > max) {
    return JsonataEnv::Unexpected(*expr, field,
                                  StrCat(fraction ? "a number" : "an integer", " from ", min,
                                         " to ", static_cast<int64_t>(max)),
                                  v);
  }
  return std::optional<double>(json::AsDouble(v));
}

// A JSONata Map's ItemBatcher: the limits and BatchInput evaluated once
// (fields named "ItemBatcher/..." in causes), ItemSelector on every item,
// then the batches.
Result<json::ValuePtr> JsonataBatch(Step& step, int frame_id, JsonataEnv& env, const def::State& st,
                                    const json::Array& items) {
  const def::ItemBatcherSpec& b = *st.As<def::MapSpec>().batcher;
  const def::JsonataFields& js = *st.jsonata;
  FF_TRY_ASSIGN(auto max_items, JsonataCount(env, b.max_items_per_batch, js.max_items_per_batch,
                                             "ItemBatcher/MaxItemsPerBatch", 2147483647, false, 1));
  FF_TRY_ASSIGN(auto max_bytes,
                JsonataCount(env, b.max_input_bytes_per_batch, js.max_input_bytes_per_batch,
                             "ItemBatcher/MaxInputBytesPerBatch", 262144, false, 1));
  std::optional<json::Value> batch_input;
  if (js.batch_input) {
    FF_TRY_ASSIGN(json::Value v, env.Evaluate(*js.batch_input, "ItemBatcher/BatchInput"));
    batch_input = std::move(v);
  }
  json::Array selected;
  selected.reserve(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    if (!js.item_selector) {
      selected.push_back(items[i]);
      continue;
    }
    FF_TRY_ASSIGN(json::ValuePtr item,
                  step.JsonataItemInput(frame_id, static_cast<int64_t>(i), items[i]));
    selected.push_back(*item);
  }
  return GroupBatches(std::move(selected), max_items, max_bytes, batch_input);
}

}  // namespace

void Step::RunJsonataMap(int frame_id) {
  const Frame& f = frame(frame_id);
  const def::State& st = StateOf(f);
  const def::JsonataFields& js = *st.jsonata;
  json::ValuePtr input = f.input;
  StateScope scope(*this, frame_id, *input);
  JsonataEnv env(*this, frame_id, scope);
  env.set_input(input.get());
  json::ValuePtr items = input;
  if (js.items) {
    Result<json::Value> v = env.Evaluate(*js.items, "Items");
    if (v.ok() && !v.value().is_array())
      v = JsonataEnv::Unexpected(*js.items, "Items", "an array", v.value());
    if (!v.ok()) return FailState(frame_id, StateFailure(f, v.failure().error, v.failure().cause));
    items = json::Share(std::move(v).value());
  } else if (!items->is_array()) {
    return FailState(frame_id, StateFailure(f, kQueryEvaluationError,
                                            StrCat("The Map state's input must be an array when "
                                                   "Items is not given, not ",
                                                   json::KindName(*items))));
  }
  const auto& spec = st.As<def::MapSpec>();
  auto concurrency = JsonataCount(env, spec.max_concurrency, js.max_concurrency, "MaxConcurrency",
                                  2147483647, false);
  auto count = JsonataCount(env, spec.tolerated_failure_count, js.tolerated_failure_count,
                            "ToleratedFailureCount", 2147483647, false);
  auto percentage =
      JsonataCount(env, spec.tolerated_failure_percentage, js.tolerated_failure_percentage,
                   "ToleratedFailurePercentage", 100, true);
  for (auto* r : {&concurrency, &count, &percentage}) {
    if (!r->ok())
      return FailState(frame_id, StateFailure(f, r->failure().error, r->failure().cause));
  }
  if (spec.batcher) {
    auto batches = JsonataBatch(*this, frame_id, env, st, items->get_array());
    if (!batches.ok())
      return FailState(frame_id, StateFailure(f, batches.failure().error, batches.failure().cause));
    items = batches.value();
  }
  BeginMap(frame_id, std::move(items), input, concurrency.value(), count.value(),
           percentage.value(), spec.batcher.has_value());
}

void Step::RunMap(int frame_id) {
  const Frame& f = frame(frame_id);
  const def::State& st = StateOf(f);
  if (st.is_jsonata()) return RunJsonataMap(frame_id);
  const auto& spec = st.As<def::MapSpec>();
  StateScope scope(*this, frame_id, *f.input);
  Result<json::ValuePtr> input = ApplyFilterPath(st.input_path, f.input, scope);
  if (!input.ok())
    return FailState(frame_id, StateFailure(f, input.failure().error, input.failure().cause));
  scope.set_input(*input.value());
  json::ValuePtr items = input.value();
  if (spec.items_path) {
    const json::Value* root = scope.RootOf(*spec.items_path);
    const json::Value* found = root ? spec.items_path->Find(*root) : nullptr;
    if (found == nullptr) {
      return FailState(frame_id,
                       StateFailure(f, "States.Runtime", NoResultsMessage(*spec.items_path)));
    }
    items = json::Share(*found);
  }
  if (!items->is_array()) {
    return FailState(frame_id, StateFailure(f, "States.Runtime",
                                            StrCat("Invalid path '",
                                                   spec.items_path ? spec.items_path->text() : "$",
                                                   "': the ItemsPath must select an array, not ",
                                                   json::KindName(*items))));
  }
  auto concurrency = Number(spec.max_concurrency, scope, "MaxConcurrencyPath");
  auto count = Number(spec.tolerated_failure_count, scope, "ToleratedFailureCountPath");
  auto percentage =
      Number(spec.tolerated_failure_percentage, scope, "ToleratedFailurePercentagePath", 100);
  for (auto* r : {&concurrency, &count, &percentage}) {
    if (!r->ok())
      return FailState(frame_id, StateFailure(f, r->failure().error, r->failure().cause));
  }
  if (spec.batcher) {
    auto batches = Batch(spec, items->get_array(), scope, *input.value());
    if (!batches.ok())
      return FailState(frame_id, StateFailure(f, batches.failure().error, batches.failure().cause));
    items = batches.value();
  }
  BeginMap(frame_id, std::move(items), input.value(), concurrency.value(), count.value(),
           percentage.value(), spec.batcher.has_value());
}

void Step::BeginMap(int frame_id, json::ValuePtr items, json::ValuePtr effective_input,
                    std::optional<double> concurrency, std::optional<double> tolerated_count,
                    std::optional<double> percentage, bool items_prepared) {
  const auto& spec = StateOf(frame(frame_id)).As<def::MapSpec>();
  if (spec.distributed && !tolerated_count && !percentage) tolerated_count = 0;  // AWS's default
  size_t total = items->get_array().size();
  if (HistoryEvent* e = Emit(frame_id, EventType::kMapStateStarted))
    e->index = static_cast<int64_t>(total);
  Frame& fr = frame(frame_id);
  fr.status = FrameStatus::kWaitingChildren;
  fr.fan_out = FanOut();
  fr.fan_out.items = std::move(items);
  fr.fan_out.effective_input = std::move(effective_input);
  fr.fan_out.total = total;
  size_t limit = static_cast<size_t>(concurrency.value_or(0));
  fr.fan_out.max_concurrency = limit == 0 ? options_.inline_map_concurrency : limit;
  fr.fan_out.items_prepared = items_prepared;
  fr.fan_out.tolerated_count = tolerated_count;
  fr.fan_out.tolerated_percentage = percentage;
  fr.fan_out.results.resize(total);
  if (total == 0) return FinishFanOut(frame_id);
  StartMapIterations(frame_id);
}

void Step::StartMapIterations(int frame_id) {
  const def::State& st = StateOf(frame(frame_id));
  const auto& spec = st.As<def::MapSpec>();
  const int start = machine_.graphs[static_cast<size_t>(spec.processor)].start;
  for (;;) {
    if (s_.status != ExecutionStatus::kRunning) return;
    FanOut& fo = frame(frame_id).fan_out;
    if (fo.failure || fo.next_to_start >= fo.total || fo.running >= fo.max_concurrency) return;
    size_t index = fo.next_to_start++;
    ++fo.running;
    json::ValuePtr items = fo.items;  // keep alive across frame reallocation
    const json::Value& item = items->get_array()[index];
    json::ValuePtr input;
    if (st.is_jsonata()) {
      if (st.jsonata->item_selector && !fo.items_prepared) {
        Result<json::ValuePtr> selected =
            JsonataItemInput(frame_id, static_cast<int64_t>(index), item);
        if (!selected.ok()) {
          --frame(frame_id).fan_out.running;
          --frame(frame_id).fan_out.next_to_start;  // a redrive starts this item again
          FailFanOut(frame_id, StateFailure(frame(frame_id), selected.failure().error,
                                            selected.failure().cause));
          return;
        }
        input = std::move(selected).value();
      } else {
        input = json::Share(item);
      }
    } else if (spec.item_selector && !fo.items_prepared) {
      StateScope scope(*this, frame_id, *fo.effective_input);
      scope.SetMapItem(static_cast<int64_t>(index), item);
      Result<json::Value> selected = spec.item_selector->Evaluate(scope);
      if (!selected.ok()) {
        --frame(frame_id).fan_out.running;
        --frame(frame_id).fan_out.next_to_start;  // a redrive starts this item again
        FailFanOut(frame_id, StateFailure(frame(frame_id), selected.failure().error,
                                          selected.failure().cause));
        return;
      }
      input = json::Share(std::move(selected).value());
    } else {
      input = json::Share(item);
    }
    if (HistoryEvent* e = Emit(frame_id, EventType::kMapIterationStarted))
      e->index = static_cast<int64_t>(index);
    int child = NewFrame(frame_id, spec.processor, input, static_cast<int64_t>(index));
    EnterState(child, start, std::move(input));
  }
}

}  // namespace fleetflow::runtime
