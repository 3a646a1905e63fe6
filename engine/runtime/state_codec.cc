// The JSON layout of a persisted ExecutionState. Unset shared values are left
// out; a dead frame slot is just its generation, so that frame ids stay
// indexes and a reused slot still gets a fresh generation.

#include "engine/runtime/state_codec.h"

#include "engine/common/strings.h"
#include "engine/json/writer.h"

namespace fleetflow::runtime {
namespace {

// Changes only when a reader of the old format would misread the new one (a
// field that changes meaning or becomes required). Fields are added as
// optional, with their old behaviour as the default when absent
// ("redrive_tokens" after "redrive_token", "unwound"), so that states
// written before them still load and no rows need rewriting.
constexpr int64_t kFormat = 1;

using json::Array;
using json::Object;
using json::Value;

int64_t Micros(absl::Time t) { return absl::ToUnixMicros(t); }

void PutShared(json::Writer& w, std::string_view key, const json::ValuePtr& v) {
  if (v) w.Key(key).Json(*v);
}

void PutInts(json::Writer& w, std::string_view key, const auto& ints) {
  w.Key(key).BeginArray();
  for (auto i : ints) w.Int(i);
  w.EndArray();
}

void PutFailure(json::Writer& w, const Failure& failure) {
  w.Key("failure").BeginArray();
  w.String(failure.error);
  w.String(failure.cause);
  w.EndArray();
}

void EncodeFanOut(json::Writer& w, const FanOut& f) {
  w.BeginObject();
  PutShared(w, "items", f.items);
  w.Key("prepared").Bool(f.items_prepared);
  PutShared(w, "input", f.effective_input);
  w.Key("total").UInt(f.total);
  w.Key("next").UInt(f.next_to_start);
  w.Key("running").UInt(f.running);
  w.Key("finished").UInt(f.finished);
  w.Key("failed").UInt(f.failed);
  w.Key("max").UInt(f.max_concurrency);
  if (f.tolerated_count) w.Key("tolerated_count").Double(*f.tolerated_count);
  if (f.tolerated_percentage) w.Key("tolerated_percentage").Double(*f.tolerated_percentage);
  w.Key("results").BeginArray();
  for (const Value& result : f.results) w.Json(result);
  w.EndArray();
  if (f.failure) PutFailure(w, *f.failure);
  w.EndObject();
}

// `kept`: a frame of ExecutionState::unwound, dead but kept whole.
// A frame's input is often the execution's input itself (the first state):
// then it is written once, as "input_is_execution_input".
void EncodeFrame(json::Writer& w, const Frame& f, const json::ValuePtr& execution_input,
                 bool kept = false) {
  if (!f.alive && !kept) return w.UInt(f.generation);
  w.BeginObject();
  if (kept) w.Key("id").Int(f.id);
  w.Key("generation").UInt(f.generation);
  w.Key("parent").Int(f.parent);
  w.Key("child").Int(f.child_index);
  w.Key("graph").Int(f.graph);
  w.Key("state").Int(f.state);
  w.Key("status").Int(static_cast<int>(f.status));
  if (f.input && f.input == execution_input) {
    w.Key("input_is_execution_input").Bool(true);
  } else {
    PutShared(w, "input", f.input);
  }
  if (!f.variables.empty()) w.Key("variables").Json(f.variables);
  w.Key("entered_event").Int(f.entered_event_id);
  w.Key("last_event").Int(f.last_event_id);
  w.Key("entered_us").Int(Micros(f.entered_time));
  w.Key("retries").Int(f.retry_count);
  if (!f.retrier_attempts.empty()) PutInts(w, "retriers", f.retrier_attempts);
  if (!f.task_token.empty()) w.Key("token").String(f.task_token);
  if (f.task_started) w.Key("task_started").Bool(true);
  if (f.timer_id) w.Key("timer").Int(f.timer_id);
  if (f.heartbeat_timer_id) w.Key("heartbeat_timer").Int(f.heartbeat_timer_id);
  if (f.heartbeat_seconds > 0) w.Key("heartbeat_s").Double(f.heartbeat_seconds);
  if (f.timer_kind != Frame::TimerKind::kNone) {
    w.Key("timer_kind").Int(static_cast<int>(f.timer_kind));
  }
  PutShared(w, "wait_output", f.wait_output);
  if (f.status == FrameStatus::kWaitingChildren || f.fan_out.total > 0 || f.fan_out.items) {
    w.Key("fan_out");
    EncodeFanOut(w, f.fan_out);
  }
  w.EndObject();
}

// Reading: a malformed state is a bug or a corrupted row, never user input,
// so the first missing field ends the decode with kDataLoss.
class Reader {
 public:
  explicit Reader(const Object& o) : o_(o) {}

  int64_t Int(std::string_view key, int64_t fallback = 0) {
    const Value* v = o_.if_contains(key);
    if (!v) return fallback;
    if (v->is_int64()) return v->get_int64();
    if (v->is_uint64()) return static_cast<int64_t>(v->get_uint64());
    ok_ = false;
    return fallback;
  }
  double Double(std::string_view key) {
    const Value* v = o_.if_contains(key);
    return v && v->is_number() ? v->to_number<double>() : 0;
  }
  bool Bool(std::string_view key) {
    const Value* v = o_.if_contains(key);
    return v && v->is_bool() && v->get_bool();
  }
  std::string Str(std::string_view key) {
    const Value* v = o_.if_contains(key);
    if (!v) return {};
    if (!v->is_string()) {
      ok_ = false;
      return {};
    }
    return std::string(v->get_string());
  }
  json::ValuePtr Shared(std::string_view key) {
    const Value* v = o_.if_contains(key);
    return v ? json::Share(*v) : nullptr;
  }
  const Value* Find(std::string_view key) { return o_.if_contains(key); }
  bool ok() const { return ok_; }

 private:
  const Object& o_;
  bool ok_ = true;
};

FanOut DecodeFanOut(const Object& o) {
  Reader r(o);
  FanOut f;
  f.items = r.Shared("items");
  f.items_prepared = r.Bool("prepared");
  f.effective_input = r.Shared("input");
  f.total = r.Int("total");
  f.next_to_start = r.Int("next");
  f.running = r.Int("running");
  f.finished = r.Int("finished");
  f.failed = r.Int("failed");
  f.max_concurrency = r.Int("max");
  if (r.Find("tolerated_count")) f.tolerated_count = r.Double("tolerated_count");
  if (r.Find("tolerated_percentage")) f.tolerated_percentage = r.Double("tolerated_percentage");
  if (const Value* results = r.Find("results"); results && results->is_array()) {
    f.results.assign(results->get_array().begin(), results->get_array().end());
  }
  if (const Value* failure = r.Find("failure"); failure && failure->is_array()) {
    const Array& a = failure->get_array();
    if (a.size() == 2 && a[0].is_string() && a[1].is_string()) {
      f.failure = Failure{std::string(a[0].get_string()), std::string(a[1].get_string())};
    }
  }
  return f;
}

bool DecodeFrame(const Object& o, const json::ValuePtr& execution_input, Frame& f) {
  Reader r(o);
  f.alive = true;
  f.generation = static_cast<uint32_t>(r.Int("generation"));
  f.parent = static_cast<int>(r.Int("parent", -1));
  f.child_index = r.Int("child");
  f.graph = static_cast<int>(r.Int("graph"));
  f.state = static_cast<int>(r.Int("state"));
  f.status = static_cast<FrameStatus>(r.Int("status"));
  f.input = r.Bool("input_is_execution_input") ? execution_input : r.Shared("input");
  if (const Value* vars = r.Find("variables"); vars && vars->is_object()) {
    f.variables = vars->get_object();
  }
  f.entered_event_id = r.Int("entered_event");
  f.last_event_id = r.Int("last_event");
  f.entered_time = absl::FromUnixMicros(r.Int("entered_us"));
  f.retry_count = static_cast<int>(r.Int("retries"));
  if (const Value* retriers = r.Find("retriers"); retriers && retriers->is_array()) {
    for (const Value& v : retriers->get_array()) {
      f.retrier_attempts.push_back(v.is_int64() ? static_cast<int>(v.get_int64()) : 0);
    }
  }
  f.task_token = r.Str("token");
  f.task_started = r.Bool("task_started");
  f.timer_id = r.Int("timer");
  f.heartbeat_timer_id = r.Int("heartbeat_timer");
  f.heartbeat_seconds = r.Double("heartbeat_s");
  f.timer_kind = static_cast<Frame::TimerKind>(r.Int("timer_kind"));
  f.wait_output = r.Shared("wait_output");
  if (const Value* fan_out = r.Find("fan_out"); fan_out && fan_out->is_object()) {
    f.fan_out = DecodeFanOut(fan_out->get_object());
  }
  return r.ok();
}

std::string ExecutionIdOf(const ExecutionState& s) {
  return StrCat("arn:fleetflow:states:local:execution:", s.machine_name, ":", s.name);
}

std::string MachineIdOf(const ExecutionState& s) {
  return StrCat("arn:fleetflow:states:local:stateMachine:", s.machine_name);
}

absl::Status Corrupt(std::string_view what) {
  return absl::DataLossError(StrCat("execution state is unreadable: ", what));
}

}  // namespace

std::string EncodeState(const ExecutionState& s) {
  std::string out;
  out.reserve(512);
  json::Writer w(out);
  w.BeginObject();
  w.Key("format").Int(kFormat);
  // The ARNs follow from the names (Interpreter::Start); written only if not.
  w.Key("name").String(s.name);
  w.Key("machine_name").String(s.machine_name);
  if (s.execution_id != ExecutionIdOf(s)) w.Key("execution_id").String(s.execution_id);
  if (s.machine_id != MachineIdOf(s)) w.Key("machine_id").String(s.machine_id);
  PutShared(w, "input", s.input);
  w.Key("start_us").Int(Micros(s.start_time));
  w.Key("status").Int(static_cast<int>(s.status));
  PutShared(w, "output", s.output);
  if (!s.failure.error.empty() || !s.failure.cause.empty()) PutFailure(w, s.failure);
  w.Key("last_event").Int(s.last_event_id);
  w.Key("random").UInt(s.random_state);
  w.Key("token_salt").UInt(s.token_salt);
  w.Key("next_timer").Int(s.next_timer_id);
  w.Key("next_task").Int(s.next_task_seq);
  w.Key("execution_timer").Int(s.execution_timer_id);
  w.Key("transitions").UInt(s.transitions);
  w.Key("frames").BeginArray();
  for (const Frame& f : s.frames) EncodeFrame(w, f, s.input);
  w.EndArray();
  if (!s.unwound.empty()) {
    w.Key("unwound").BeginArray();
    for (const Frame& f : s.unwound) EncodeFrame(w, f, s.input, /*kept=*/true);
    w.EndArray();
  }
  if (s.redrive_count > 0) {
    w.Key("redrives").Int(s.redrive_count);
    w.Key("redrive_us").Int(Micros(s.redrive_time));
    if (!s.redrive_tokens.empty()) {
      w.Key("redrive_tokens").BeginArray();
      for (const auto& t : s.redrive_tokens) {
        w.BeginArray();
        w.String(t.token);
        w.Int(Micros(t.at));
        w.EndArray();
      }
      w.EndArray();
    }
  }
  PutInts(w, "free", s.free_frames);
  w.Key("ready").BeginArray();
  for (const auto& entry : s.ready) {
    w.BeginArray();
    w.Int(entry.frame);
    w.UInt(entry.generation);
    w.EndArray();
  }
  w.EndArray();
  w.Key("timers").BeginArray();
  for (const auto& [id, frame] : s.timers) {
    w.BeginArray();
    w.Int(id);
    w.Int(frame);
    w.EndArray();
  }
  w.EndArray();
  w.Key("tasks").BeginObject();
  for (const auto& [token, frame] : s.tasks) w.QuotedKey(token).Int(frame);
  w.EndObject();
  w.EndObject();
  return out;
}

absl::StatusOr<ExecutionState> DecodeState(std::string_view text) {
  auto parsed = json::Parse(text);
  if (!parsed.ok()) return Corrupt(std::string(parsed.status().message()));
  if (!parsed->is_object()) return Corrupt("not an object");
  const Object& o = parsed->get_object();
  Reader r(o);
  if (r.Int("format") != kFormat) return Corrupt("unknown format");
  ExecutionState s;
  s.name = r.Str("name");
  s.machine_name = r.Str("machine_name");
  s.execution_id = o.contains("execution_id") ? r.Str("execution_id") : ExecutionIdOf(s);
  s.machine_id = o.contains("machine_id") ? r.Str("machine_id") : MachineIdOf(s);
  s.input = r.Shared("input");
  s.start_time = absl::FromUnixMicros(r.Int("start_us"));
  s.status = static_cast<ExecutionStatus>(r.Int("status"));
  s.output = r.Shared("output");
  if (const Value* failure = r.Find("failure"); failure && failure->is_array()) {
    const Array& a = failure->get_array();
    if (a.size() != 2 || !a[0].is_string() || !a[1].is_string()) return Corrupt("failure");
    s.failure = {std::string(a[0].get_string()), std::string(a[1].get_string())};
  }
  s.last_event_id = r.Int("last_event");
  if (const Value* random = r.Find("random"); random && random->is_number()) {
    s.random_state = random->is_uint64() ? random->get_uint64()
                                         : static_cast<uint64_t>(random->to_number<int64_t>());
  }
  if (const Value* salt = r.Find("token_salt"); salt && salt->is_number()) {
    s.token_salt =
        salt->is_uint64() ? salt->get_uint64() : static_cast<uint64_t>(salt->to_number<int64_t>());
  }
  s.next_timer_id = r.Int("next_timer", 1);
  s.next_task_seq = r.Int("next_task", 1);
  s.execution_timer_id = r.Int("execution_timer");
  s.transitions = static_cast<uint64_t>(r.Int("transitions"));
  if (!r.ok()) return Corrupt("top-level fields");

  const Value* frames = r.Find("frames");
  if (!frames || !frames->is_array()) return Corrupt("frames");
  for (const Value& v : frames->get_array()) {
    Frame& f = s.frames.emplace_back();
    f.id = static_cast<int>(s.frames.size()) - 1;
    if (v.is_number()) {
      f.generation = static_cast<uint32_t>(v.to_number<int64_t>());
      continue;
    }
    if (!v.is_object() || !DecodeFrame(v.get_object(), s.input, f)) {
      return Corrupt(StrCat("frame ", f.id));
    }
  }
  if (const Value* unwound = r.Find("unwound"); unwound && unwound->is_array()) {
    for (const Value& v : unwound->get_array()) {
      Frame& f = s.unwound.emplace_back();
      if (!v.is_object() || !DecodeFrame(v.get_object(), s.input, f)) {
        return Corrupt("unwound frame");
      }
      f.id = static_cast<int>(Reader(v.get_object()).Int("id", -1));
      f.alive = false;
    }
  }
  s.redrive_count = static_cast<int32_t>(r.Int("redrives"));
  if (s.redrive_count > 0) s.redrive_time = absl::FromUnixMicros(r.Int("redrive_us"));
  if (const Value* tokens = r.Find("redrive_tokens"); tokens && tokens->is_array()) {
    for (const Value& t : tokens->get_array()) {
      const Array* pair = t.if_array();
      if (pair == nullptr || pair->size() != 2 || !(*pair)[0].is_string() ||
          !(*pair)[1].is_int64()) {
        return Corrupt("redrive token");
      }
      s.redrive_tokens.push_back(
          {std::string((*pair)[0].get_string()), absl::FromUnixMicros((*pair)[1].get_int64())});
    }
  } else if (std::string token = r.Str("redrive_token"); !token.empty()) {
    s.redrive_tokens.push_back({std::move(token), s.redrive_time});  // written by older builds
  }
  if (const Value* free = r.Find("free"); free && free->is_array()) {
    for (const Value& v : free->get_array()) {
      if (!v.is_int64() || v.get_int64() < 0 ||
          v.get_int64() >= static_cast<int64_t>(s.frames.size())) {
        return Corrupt("free");
      }
      s.free_frames.push_back(static_cast<int>(v.get_int64()));
    }
  }
  auto pair_of = [](const Value& v, int64_t& a, int64_t& b) {
    if (!v.is_array() || v.get_array().size() != 2) return false;
    const Array& p = v.get_array();
    if (!p[0].is_number() || !p[1].is_number()) return false;
    a = p[0].to_number<int64_t>();
    b = p[1].to_number<int64_t>();
    return true;
  };
  if (const Value* ready = r.Find("ready"); ready && ready->is_array()) {
    for (const Value& v : ready->get_array()) {
      int64_t frame = 0, generation = 0;
      if (!pair_of(v, frame, generation)) return Corrupt("ready");
      s.ready.push_back({static_cast<int>(frame), static_cast<uint32_t>(generation)});
    }
  }
  if (const Value* timers = r.Find("timers"); timers && timers->is_array()) {
    for (const Value& v : timers->get_array()) {
      int64_t id = 0, frame = 0;
      if (!pair_of(v, id, frame)) return Corrupt("timers");
      s.timers[id] = static_cast<int>(frame);
    }
  }
  if (const Value* tasks = r.Find("tasks"); tasks && tasks->is_object()) {
    for (const auto& [token, frame] : tasks->get_object()) {
      if (!frame.is_int64()) return Corrupt("tasks");
      s.tasks[std::string(token)] = static_cast<int>(frame.get_int64());
    }
  }
  return s;
}

}  // namespace fleetflow::runtime
