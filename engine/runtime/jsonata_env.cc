#include "engine/runtime/jsonata_env.h"

#include <cmath>
#include <cstdio>

#include "engine/common/strings.h"
#include "engine/json/codec.h"
#include "engine/json/eval_scope.h"

namespace fleetflow::runtime {

namespace def = fleetflow::definition;
using jsonata::Evaluation;
using jsonata::NativeFunction;

namespace {

Evaluation Ok(json::Value v) {
  Evaluation e;
  e.value = std::move(v);
  return e;
}

Evaluation Undefined() { return Evaluation{}; }

Evaluation Error(std::string code, std::string message) {
  Evaluation e;
  e.error = jsonata::Error{std::move(code), -1, "", std::move(message)};
  return e;
}

Evaluation BadArgument(int index, const char* function) {
  return Error("T0410", StrCat("Argument ", index, " of function \"", function,
                               "\" does not match function signature"));
}

bool IsNum(const jsonata::Result& r) { return r && json::IsNumber(*r); }

// Non-integers are truncated towards zero, as AWS does.
double Trunc(const jsonata::Result& r) { return std::trunc(json::AsDouble(*r)); }

json::Value Number(double d) {
  if (std::abs(d) < 9007199254740992.0 && d == std::trunc(d)) return static_cast<int64_t>(d);
  return d;
}

double UnitInterval(uint64_t bits) { return static_cast<double>(bits >> 11) * 0x1.0p-53; }

std::string Uuid(uint64_t hi, uint64_t lo) {
  hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // RFC 4122 variant
  char buf[37];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>((hi >> 16) & 0xffff), static_cast<unsigned>(hi & 0xffff),
                static_cast<unsigned>(lo >> 48),
                static_cast<unsigned long long>(lo & 0xffffffffffffULL));
  return buf;
}

// $range builds at most this many numbers.
constexpr double kMaxRange = 1'000'000;

Evaluation Partition(std::span<const jsonata::Result> args) {
  if (args.empty() || !args[0]) return Undefined();
  json::Array items;
  if (args[0]->is_array())
    items = args[0]->get_array();
  else
    items.push_back(*args[0]);
  if (args.size() < 2 || !args[1]) return Undefined();
  if (!IsNum(args[1])) return BadArgument(2, "partition");
  double size = Trunc(args[1]);
  if (size <= 0 || items.empty()) return Undefined();
  json::Array out;
  size_t n = static_cast<size_t>(std::min(size, 1e9));
  for (size_t i = 0; i < items.size(); i += n) {
    json::Array chunk;
    for (size_t j = i; j < std::min(items.size(), i + n); ++j) chunk.push_back(items[j]);
    out.emplace_back(std::move(chunk));
  }
  return Ok(std::move(out));
}

Evaluation Range(std::span<const jsonata::Result> args) {
  for (size_t i = 0; i < args.size() && i < 3; ++i) {
    if (args[i] && !IsNum(args[i])) return BadArgument(static_cast<int>(i) + 1, "range");
  }
  if (args.size() < 3 || !args[0] || !args[1] || !args[2]) return Undefined();
  double start = Trunc(args[0]), end = Trunc(args[1]), step = Trunc(args[2]);
  if (step == 0 || (end > start && step < 0) || (end < start && step > 0)) return Undefined();
  double count = std::floor((end - start) / step) + 1;
  if (count > kMaxRange) {
    return Error("D2014", StrCat("The size of the sequence allocated by $range must not exceed ",
                                 static_cast<int64_t>(kMaxRange)));
  }
  if (count == 1) return Ok(Number(start));
  json::Array out;
  out.reserve(static_cast<size_t>(count));
  for (double v = start, i = 0; i < count; v += step, ++i) out.push_back(Number(v));
  return Ok(std::move(out));
}

Evaluation Hash(std::span<const jsonata::Result> args) {
  if (args.empty() || !args[0]) return Undefined();
  if (!args[0]->is_string()) return BadArgument(1, "hash");
  if (args.size() < 2 || !args[1]) return Undefined();
  if (!args[1]->is_string()) return BadArgument(2, "hash");
  auto digest = json::HexDigest(args[1]->get_string(), args[0]->get_string());
  if (!digest) {
    return Error("D3137", StrCat("The hashing algorithm '", std::string_view(args[1]->get_string()),
                                 "' is not supported; use MD5, SHA-1, SHA-256, SHA-384 or "
                                 "SHA-512"));
  }
  return Ok(json::Value(*digest));
}

Evaluation Parse(std::span<const jsonata::Result> args) {
  if (args.empty() || !args[0]) return Undefined();
  if (!args[0]->is_string()) return BadArgument(1, "parse");
  auto parsed = json::Parse(args[0]->get_string());
  if (!parsed.ok()) {
    return Error("D3140",
                 StrCat("Unable to parse the string as JSON: ", parsed.status().message()));
  }
  return Ok(*std::move(parsed));
}

}  // namespace

JsonataEnv::JsonataEnv(Step& step, int frame_id, StateScope& scope)
    : step_(step), frame_id_(frame_id), scope_(scope) {
  options_.max_depth = 1000;
  options_.timeout = absl::Seconds(5);
  options_.max_memory_bytes = size_t{64} << 20;
  options_.now = step.now();  // $now() is the step's time: replays see the same
}

void JsonataEnv::Bind(uint8_t uses) {
  if (!prepared_) {
    prepared_ = true;
    Step* step = &step_;
    bindings_.SetFunction("partition", NativeFunction{"", Partition});
    bindings_.SetFunction("range", NativeFunction{"", Range});
    bindings_.SetFunction("hash", NativeFunction{"", Hash});
    bindings_.SetFunction("parse", NativeFunction{"", Parse});
    bindings_.SetFunction(
        "random", NativeFunction{"", [step](std::span<const jsonata::Result> args) {
                                   if (args.empty() || !args[0])
                                     return Ok(UnitInterval(step->NextRandom()));
                                   if (!IsNum(args[0])) return BadArgument(1, "random");
                                   uint64_t state =
                                       static_cast<uint64_t>(static_cast<int64_t>(Trunc(args[0])));
                                   return Ok(UnitInterval(json::SplitMix64(state)));
                                 }});
    bindings_.SetFunction("uuid", NativeFunction{"", [step](std::span<const jsonata::Result>) {
                                                   uint64_t hi = step->NextRandom();
                                                   uint64_t lo = step->NextRandom();
                                                   return Ok(json::Value(Uuid(hi, lo)));
                                                 }});
    // AWS disables $eval (use $parse).
    bindings_.SetFunction("eval", NativeFunction{"", [](std::span<const jsonata::Result>) {
                                                   return Error("T1006",
                                                                "Attempted to invoke a "
                                                                "non-function");
                                                 }});
    // Workflow variables, the innermost scope's last so it wins.
    std::vector<int> chain;
    for (int id = frame_id_; id >= 0; id = step_.frame(id).parent) chain.push_back(id);
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      for (const auto& kv : step_.frame(*it).variables) {
        bindings_.SetRef(std::string(kv.key()), &kv.value());
      }
    }
  }
  auto bind = [this](std::string_view member, const json::Value* v) {
    bindings_.SetRef(def::StatesMemberVariable(member), v);
  };
  if (uses & def::kUsesInput) bind("input", input_);
  if (uses & def::kUsesResult) bind("result", result_);
  if (uses & def::kUsesErrorOutput) bind("errorOutput", error_output_);
  if (uses & def::kUsesContext) bind("context", &scope_.Context());
  if (uses & def::kUsesWhole) {
    // `$states` used as a whole: build the object (copies what it holds).
    json::Object states;
    if (input_) states["input"] = *input_;
    if (result_) states["result"] = *result_;
    if (error_output_) states["errorOutput"] = *error_output_;
    states["context"] = scope_.Context();
    whole_ = json::Value(std::move(states));
    bindings_.SetRef("states", &*whole_);
  }
}

Result<json::Value> JsonataEnv::Evaluate(const def::JsonataTemplate& t, std::string_view field) {
  if (t.is_constant()) return t.root().literal;
  Bind(t.uses());
  std::string name(field);
  return EvalNode(t.root(), name);
}

Result<json::Value> JsonataEnv::EvalNode(const def::JsonataTemplate::Node& node,
                                         std::string& field) {
  using Kind = def::JsonataTemplate::Node::Kind;
  switch (node.kind) {
    case Kind::kLiteral:
      return node.literal;
    case Kind::kExpression: {
      const def::JsonataExpression& e = *node.expression;
      // The input document is never `$` in Step Functions: no context item.
      jsonata::Evaluation r = e.compiled->Evaluate(nullptr, bindings_, options_);
      if (!r.ok()) {
        return Failure{
            kQueryEvaluationError,
            StrCat("The JSONata expression '", e.text, "' specified for the field '", field,
                   "' threw an error during evaluation. ", r.error->code, ": ", r.error->message)};
      }
      if (!r.value) {
        return Failure{kQueryEvaluationError,
                       StrCat("The JSONata expression '", e.text, "' specified for the field '",
                              field, "' returned nothing (undefined).")};
      }
      return std::move(*r.value);
    }
    case Kind::kObject: {
      json::Object out;
      out.reserve(node.fields.size());
      for (const auto& [key, child] : node.fields) {
        size_t mark = field.size();
        field += '/';
        field += key;
        Result<json::Value> v = EvalNode(child, field);
        field.resize(mark);
        if (!v.ok()) return std::move(v).failure();
        out[key] = std::move(v).value();
      }
      return json::Value(std::move(out));
    }
    case Kind::kArray: {
      json::Array out;
      out.reserve(node.items.size());
      for (size_t i = 0; i < node.items.size(); ++i) {
        size_t mark = field.size();
        field += StrCat("[", i, "]");
        Result<json::Value> v = EvalNode(node.items[i], field);
        field.resize(mark);
        if (!v.ok()) return std::move(v).failure();
        out.push_back(std::move(v).value());
      }
      return json::Value(std::move(out));
    }
  }
  return json::Value();
}

Result<json::Object> JsonataEnv::EvaluateAssign(const def::JsonataTemplate& t,
                                                std::string_view field) {
  FF_TRY_ASSIGN(json::Value values, Evaluate(t, field));
  // AWS's limits: 256 KiB per variable and per Assign.
  constexpr size_t kLimit = size_t{256} * 1024;
  size_t total = 0;
  for (const auto& kv : values.as_object()) {
    size_t size = json::SerializedSize(kv.value(), kLimit);
    total += size;
    if (size > kLimit || total > kLimit) {
      return Failure{"States.DataLimitExceeded",
                     StrCat("The value assigned to variable '", std::string_view(kv.key()),
                            "' makes the assignment exceed the 262144-byte limit")};
    }
  }
  return std::move(values.as_object());
}

Result<json::Value> JsonataEnv::EvaluateCredentials(const def::JsonataTemplate& t) {
  FF_TRY_ASSIGN(json::Value credentials, Evaluate(t, "Credentials"));
  const json::Value* role =
      credentials.is_object() ? credentials.get_object().if_contains("RoleArn") : nullptr;
  if (role != nullptr && role->is_string() && !role->get_string().empty()) return credentials;
  // The loader allows only {"RoleArn": string}: an expression gave the value.
  std::string text;
  if (t.root().kind == def::JsonataTemplate::Node::Kind::kObject) {
    for (const auto& [key, node] : t.root().fields) {
      if (key == "RoleArn" && node.expression) text = node.expression->text;
    }
  }
  return Failure{kQueryEvaluationError,
                 StrCat("The JSONata expression '", text,
                        "' specified for the field 'Credentials/RoleArn' returned an unexpected "
                        "value: expected a role ARN string, got ",
                        role ? json::Serialize(*role) : std::string("nothing"))};
}

Failure JsonataEnv::Unexpected(const def::JsonataTemplate& t, std::string_view field,
                               std::string_view expected, const json::Value& got) {
  std::string text = t.root().expression ? t.root().expression->text : json::Serialize(got);
  return Failure{kQueryEvaluationError,
                 StrCat("The JSONata expression '", text, "' specified for the field '", field,
                        "' returned an unexpected value: expected ", expected, ", got ",
                        json::Serialize(got))};
}

}  // namespace fleetflow::runtime
