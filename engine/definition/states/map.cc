#include "engine/common/strings.h"
#include "engine/definition/load_context.h"

namespace fleetflow::definition {

namespace {

constexpr double kMaxBatchBytes = 262144;  // AWS: a batch holds at most 256 KiB

int LoadProcessor(const StateInput& in, MapSpec& spec) {
  const json::Value* processor = in.object.if_contains("ItemProcessor");
  const json::Value* iterator = in.object.if_contains("Iterator");
  if (processor != nullptr && iterator != nullptr) {
    in.Error("Iterator", "give ItemProcessor or its legacy name Iterator, not both");
    return -1;
  }
  const char* field = processor ? "ItemProcessor" : "Iterator";
  const json::Value* v = processor ? processor : iterator;
  if (v == nullptr) {
    in.Error("", "a Map state needs \"ItemProcessor\" with StartAt and States");
    return -1;
  }
  if (!v->is_object()) {
    in.Error(field, StrCat(field, " must be an object with StartAt and States"));
    return -1;
  }
  const json::Object& obj = v->get_object();
  if (const json::Value* config = obj.if_contains("ProcessorConfig")) {
    const json::Value* mode =
        config->is_object() ? config->get_object().if_contains("Mode") : nullptr;
    if (mode != nullptr && mode->is_string() && mode->get_string() == "DISTRIBUTED") {
      spec.distributed = true;
    } else if (mode != nullptr && !(mode->is_string() && mode->get_string() == "INLINE")) {
      in.diags().Add(StrCat(in.At(field), "/ProcessorConfig/Mode"),
                     "Mode must be \"INLINE\" or \"DISTRIBUTED\"");
    }
  }
  return in.ctx.LoadGraph(obj, in.At(field), in.graph, in.index, {"ProcessorConfig"});
}

// The state's ItemBatcher object, or nullptr when it has none or it is
// misplaced or malformed (reported). Shared by both query languages.
const json::Object* ItemBatcherObject(const StateInput& in, const MapSpec& spec) {
  const json::Value* v = in.object.if_contains("ItemBatcher");
  if (v == nullptr) return nullptr;
  if (!spec.distributed) {
    in.Error("ItemBatcher", "ItemBatcher needs ItemProcessor.ProcessorConfig.Mode \"DISTRIBUTED\"");
    return nullptr;
  }
  if (!v->is_object()) {
    in.Error("ItemBatcher", "ItemBatcher must be an object");
    return nullptr;
  }
  return &v->get_object();
}

void LoadItemBatcher(const StateInput& in, MapSpec& spec) {
  const json::Object* batcher_object = ItemBatcherObject(in, spec);
  if (batcher_object == nullptr) return;
  StateInput sub{*batcher_object, in.At("ItemBatcher"), in.names, in.graph, in.index, in.ctx};
  for (const auto& kv : *batcher_object) {
    std::string_view key = kv.key();
    if (key != "MaxItemsPerBatch" && key != "MaxItemsPerBatchPath" &&
        key != "MaxInputBytesPerBatch" && key != "MaxInputBytesPerBatchPath" &&
        key != "BatchInput") {
      sub.Error(key, StrCat("field \"", key, "\" is not allowed in ItemBatcher"));
    }
  }
  ItemBatcherSpec batcher;
  batcher.max_items_per_batch =
      LoadNumberSource(sub, "MaxItemsPerBatch", "MaxItemsPerBatchPath", true, 1);
  batcher.max_input_bytes_per_batch = LoadNumberSource(
      sub, "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath", true, 1, kMaxBatchBytes);
  if (!batcher.max_items_per_batch.present() && !batcher.max_input_bytes_per_batch.present()) {
    sub.Error("", "ItemBatcher needs MaxItemsPerBatch or MaxInputBytesPerBatch (or their ...Path)");
  }
  batcher.batch_input = LoadTemplate(sub, "BatchInput");
  spec.batcher = std::move(batcher);
}

// A JSONata Map's ItemBatcher: MaxItemsPerBatch and MaxInputBytesPerBatch
// as integers or expressions, BatchInput as an object or an expression (or
// with expressions inside); the ...Path fields are JSONPath only.
void LoadJsonataItemBatcher(const StateInput& in, MapSpec& spec, JsonataFields& f) {
  const json::Object* batcher_object = ItemBatcherObject(in, spec);
  if (batcher_object == nullptr) return;
  StateInput sub{*batcher_object, in.At("ItemBatcher"), in.names, in.graph, in.index, in.ctx, true};
  bool sized = false;
  for (const auto& kv : *batcher_object) {
    std::string_view key = kv.key();
    if (key == "MaxItemsPerBatchPath" || key == "MaxInputBytesPerBatchPath") {
      sub.Error(key, JsonPathOnlyMessage(key));
      sized = true;
    } else if (key == "MaxItemsPerBatch" || key == "MaxInputBytesPerBatch") {
      sized = true;
    } else if (key != "BatchInput") {
      sub.Error(key, StrCat("field \"", key, "\" is not allowed in ItemBatcher"));
    }
  }
  if (!sized) sub.Error("", "ItemBatcher needs MaxItemsPerBatch or MaxInputBytesPerBatch");
  ItemBatcherSpec batcher;
  LoadJsonataNumber(sub, "MaxItemsPerBatch", true, 1, kMaxCount, batcher.max_items_per_batch,
                    f.max_items_per_batch);
  LoadJsonataNumber(sub, "MaxInputBytesPerBatch", true, 1, kMaxBatchBytes,
                    batcher.max_input_bytes_per_batch, f.max_input_bytes_per_batch);
  if (const json::Value* input = sub.object.if_contains("BatchInput")) {
    if (!input->is_object() && !(input->is_string() && IsJsonataString(input->get_string()))) {
      sub.Error("BatchInput",
                "BatchInput must be a JSON object or a JSONata expression \"{% ... %}\"");
    } else {
      f.batch_input = LoadJsonataTemplate(sub, *input, sub.At("BatchInput"));
    }
  }
  spec.batcher = std::move(batcher);
}

// A JSONata Map: Items, ItemSelector, the counts as numbers or expressions,
// ItemBatcher, Output and Assign.
void LoadJsonataMap(const StateInput& in, State& state) {
  LoadTransition(in, state);
  auto f = std::make_shared<JsonataFields>();
  LoadJsonataOutputAndAssign(in, *f);
  LoadRetryAndCatch(in, state);
  MapSpec spec;
  if (const json::Value* items = in.object.if_contains("Items")) {
    if (!items->is_array() && !(items->is_string() && IsJsonataString(items->get_string()))) {
      in.Error("Items", "Items must be a JSON array or a JSONata expression \"{% ... %}\"");
    } else {
      f->items = LoadJsonataTemplate(in, *items, in.At("Items"));
    }
  }
  if (const json::Value* sel = in.object.if_contains("ItemSelector")) {
    f->item_selector = LoadJsonataTemplate(in, *sel, in.At("ItemSelector"));
  }
  LoadJsonataNumber(in, "MaxConcurrency", true, 0, kMaxCount, spec.max_concurrency,
                    f->max_concurrency);
  LoadJsonataNumber(in, "ToleratedFailureCount", true, 0, kMaxCount, spec.tolerated_failure_count,
                    f->tolerated_failure_count);
  LoadJsonataNumber(in, "ToleratedFailurePercentage", false, 0, 100,
                    spec.tolerated_failure_percentage, f->tolerated_failure_percentage);
  if (const json::Value* label = in.object.if_contains("Label")) {
    if (label->is_string())
      spec.label = std::string(label->get_string());
    else
      in.Error("Label", "Label must be a string");
  }
  spec.processor = LoadProcessor(in, spec);
  LoadJsonataItemBatcher(in, spec, *f);
  state.jsonata = std::move(f);
  state.spec = std::move(spec);
}

}  // namespace

void LoadMap(const StateInput& in, State& state) {
  CheckAllowedFields(in, "Map",
                     {"Next",
                      "End",
                      "InputPath",
                      "OutputPath",
                      "ResultPath",
                      "Parameters",
                      "ItemSelector",
                      "ResultSelector",
                      "Retry",
                      "Catch",
                      "ItemProcessor",
                      "Iterator",
                      "ItemsPath",
                      "MaxConcurrency",
                      "MaxConcurrencyPath",
                      "ToleratedFailureCount",
                      "ToleratedFailureCountPath",
                      "ToleratedFailurePercentage",
                      "ToleratedFailurePercentagePath",
                      "Label",
                      "Assign",
                      "ItemBatcher",
                      "ItemReader",
                      "ResultWriter",
                      "Items",
                      "Output"});
  for (const char* unsupported : {"ItemReader", "ResultWriter"}) {
    if (in.object.contains(unsupported)) {
      in.Error(unsupported, StrCat(unsupported, " (distributed Map) is not supported yet"));
    }
  }
  if (in.jsonata) {
    LoadJsonataMap(in, state);
    return;
  }
  LoadTransition(in, state);
  LoadInputOutputPaths(in, state);
  state.result_path = LoadResultPath(in, in.At("ResultPath"), in.object.if_contains("ResultPath"));
  state.result_selector = LoadTemplate(in, "ResultSelector");
  state.assign = LoadAssign(in, in.object.if_contains("Assign"), in.At("Assign"));
  LoadRetryAndCatch(in, state);
  MapSpec spec;
  if (in.object.contains("ItemSelector") && in.object.contains("Parameters")) {
    in.Error("Parameters", "give ItemSelector or its legacy name Parameters, not both");
  } else {
    spec.item_selector =
        LoadTemplate(in, in.object.contains("ItemSelector") ? "ItemSelector" : "Parameters");
  }
  spec.items_path = LoadReferencePath(in, "ItemsPath");
  spec.max_concurrency = LoadNumberSource(in, "MaxConcurrency", "MaxConcurrencyPath", true, 0);
  spec.tolerated_failure_count =
      LoadNumberSource(in, "ToleratedFailureCount", "ToleratedFailureCountPath", true, 0);
  spec.tolerated_failure_percentage = LoadNumberSource(
      in, "ToleratedFailurePercentage", "ToleratedFailurePercentagePath", false, 0, 100);
  if (const json::Value* label = in.object.if_contains("Label")) {
    if (label->is_string())
      spec.label = std::string(label->get_string());
    else
      in.Error("Label", "Label must be a string");
  }
  spec.processor = LoadProcessor(in, spec);
  LoadItemBatcher(in, spec);
  state.spec = std::move(spec);
}

}  // namespace fleetflow::definition
