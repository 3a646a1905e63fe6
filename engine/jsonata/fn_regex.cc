// $match, $contains, $replace and $split: each takes a string or a matcher
// (a regex literal, or any function that behaves like one).
#include <cmath>

#include "engine/jsonata/functions.h"
#include "engine/jsonata/regex.h"
#include "engine/jsonata/utf8.h"

namespace fleetflow::jsonata::internal {
namespace {

struct Found {
  size_t start = 0;  // byte offsets into the subject
  size_t end = 0;
  size_t index = 0;           // JavaScript string index of the start
  std::vector<Value> groups;  // strings, or undefined for groups that did not match
};

// Successive matches of a matcher over one subject, with JSONata's rule that
// an empty match after the first is an error (D1004) rather than a loop.
class Matches {
 public:
  Matches(CallContext& call, Value matcher, std::string_view text)
      : call_(call), matcher_(matcher), subject_(text), done_(!matcher.is_function()) {}

  // Each call is one of the reference's awaited matcher calls.
  bool Next(Found& out) {
    call_.ev.clock().Advance(1);
    if (done_) return false;
    const FunctionData* f = matcher_.function();
    if (f->kind == FunctionKind::kRegex) {
      // The first goes through the closure the reference wraps arguments in.
      if (!started_) call_.ev.clock().Advance(3);
      if (started_ && last_end_ >= subject_.cps.size()) return Finish();
      RegexMatch m;
      std::function<void()> tick = [this] { call_.ev.CheckDeadline(); };
      if (!f->regex->Search(subject_.cps, last_end_, &m, tick)) return Finish();
      if (started_ && m.start == m.end) Throw("D1004", call_.position, call_.name);
      started_ = true;
      last_end_ = m.end;
      out.start = subject_.offsets[m.start];
      out.end = subject_.offsets[m.end];
      out.index = subject_.Utf16Index(m.start);
      out.groups.clear();
      for (auto [from, to] : m.groups) {
        out.groups.push_back(from < 0 ? Value() : Value::String(subject_.Slice(from, to)));
      }
      return true;
    }
    return NextFromFunction(out);
  }

 private:
  bool Finish() {
    done_ = true;
    return false;
  }

  bool NextFromFunction(Found& out) {
    Value r;
    Await closure(call_.ev.clock(), 2);
    if (!started_) {
      Value arg[1] = {Value::String(subject_.text)};
      r = call_.ev.Apply(matcher_, arg, call_.context, call_.position);
    } else {
      if (next_.undefined()) return Finish();
      r = call_.ev.Apply(next_, {}, call_.context, call_.position);
    }
    started_ = true;
    if (r.undefined()) return Finish();
    Value match = r.is_object() ? ObjectGet(r, "match") : Value();
    Value start = r.is_object() ? ObjectGet(r, "start") : Value();
    Value end = r.is_object() ? ObjectGet(r, "end") : Value();
    Value groups = r.is_object() ? ObjectGet(r, "groups") : Value();
    if (!match.is_string() || !start.is_number() || !end.is_number() || !groups.is_array())
      Throw("T1010", call_.position, call_.name);
    next_ = ObjectGet(r, "next");
    out.start = ByteOffsetOfCodePoint(subject_.text, static_cast<size_t>(start.number()));
    out.end = ByteOffsetOfCodePoint(subject_.text, static_cast<size_t>(end.number()));
    out.index = static_cast<size_t>(start.number());
    out.groups.clear();
    ForEachItem(groups, [&](const Value& g) { out.groups.push_back(g); });
    return true;
  }

  CallContext& call_;
  Value matcher_;
  Subject subject_;
  bool done_;
  bool started_ = false;
  size_t last_end_ = 0;
  Value next_;
};

Value FnContains(CallContext& call, std::span<const Value> args) {
  Value s = Arg(args, 0);
  if (s.undefined()) return s;
  Value pattern = Arg(args, 1);
  if (pattern.undefined()) return pattern;
  if (pattern.is_string())
    return Value::Bool(s.str().find(pattern.str()) != std::string_view::npos);
  Matches matches(call, pattern, s.str());
  Found f;
  return Value::Bool(matches.Next(f));
}

Value FnMatch(CallContext& call, std::span<const Value> args) {
  Value s = Arg(args, 0);
  if (s.undefined()) return s;
  Value limit = Arg(args, 2);
  if (!limit.undefined() && limit.number() < 0) Throw("D3040", call.position, call.name);
  double max = limit.undefined() ? INFINITY : limit.number();
  ArrayData* out = call.ev.NewSequence();
  Matches matches(call, Arg(args, 1), s.str());
  Found f;
  while (static_cast<double>(out->items.size()) < max && matches.Next(f)) {
    ObjectData* o = call.ev.NewObject();
    o->entries.emplace_back("match", Value::String(s.str().substr(f.start, f.end - f.start)));
    o->entries.emplace_back("index", Value::Number(static_cast<double>(f.index)));
    ArrayData* groups = call.ev.NewArray();
    for (const Value& g : f.groups) groups->items.push_back(g.undefined() ? Value::String("") : g);
    o->entries.emplace_back("groups", Value::Array(groups));
    out->items.push_back(Value::Object(o));
  }
  return Value::Array(out);
}

// Expands $0, $1.. and $$ in a replacement string.
std::string Substitute(std::string_view replacement, std::string_view whole, const Found& f) {
  std::string out;
  for (size_t i = 0; i < replacement.size(); ++i) {
    char c = replacement[i];
    if (c != '$' || i + 1 >= replacement.size()) {
      out.push_back(c);
      continue;
    }
    char n = replacement[i + 1];
    if (n == '$') {
      out.push_back('$');
      ++i;
    } else if (n >= '0' && n <= '9') {
      // Take as many digits as name an existing group (at least one).
      size_t j = i + 1;
      size_t group = static_cast<size_t>(n - '0');
      ++j;
      while (j < replacement.size() && replacement[j] >= '0' && replacement[j] <= '9' &&
             group * 10 + static_cast<size_t>(replacement[j] - '0') <= f.groups.size()) {
        group = group * 10 + static_cast<size_t>(replacement[j] - '0');
        ++j;
      }
      if (group == 0) {
        out += whole;
      } else if (group <= f.groups.size()) {
        if (f.groups[group - 1].is_string()) out += f.groups[group - 1].str();
      }
      i = j - 1;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

Value FnReplace(CallContext& call, std::span<const Value> args) {
  Value s = Arg(args, 0);
  if (s.undefined()) return s;
  Value pattern = Arg(args, 1);
  Value replacement = Arg(args, 2);
  Value limit = Arg(args, 3);
  if (pattern.is_string() && pattern.str().empty()) Throw("D3010", call.position, call.name);
  if (!limit.undefined() && limit.number() < 0) Throw("D3011", call.position, call.name);
  double max = limit.undefined() ? INFINITY : limit.number();
  std::string_view text = s.str();
  std::string out;
  size_t position = 0;
  double count = 0;
  if (pattern.is_string()) {
    std::string_view p = pattern.str();
    for (size_t at = text.find(p); at != std::string_view::npos && count < max;
         at = text.find(p, position)) {
      out += text.substr(position, at - position);
      if (replacement.is_string()) {
        out += replacement.str();  // a string pattern's replacement is literal
      } else {
        Value whole[1] = {Value::String(p)};
        Await closure(call.ev.clock(), 2);
        Value r = call.ev.Apply(replacement, whole, call.context, call.position);
        if (!r.is_string()) Throw("D3012", call.position, call.name);
        out += r.str();
      }
      position = at + p.size();
      ++count;
    }
    out += text.substr(position);
    return call.ev.StringValue(out);
  }
  Matches matches(call, pattern, text);
  Found f;
  while (count < max && matches.Next(f)) {
    out += text.substr(position, f.start - position);
    std::string_view whole = text.substr(f.start, f.end - f.start);
    if (replacement.is_string()) {
      out += Substitute(replacement.str(), whole, f);
    } else {
      ObjectData* o = call.ev.NewObject();
      o->entries.emplace_back("match", Value::String(whole));
      o->entries.emplace_back("index", Value::Number(static_cast<double>(f.index)));
      ArrayData* groups = call.ev.NewArray();
      for (const Value& g : f.groups)
        groups->items.push_back(g.undefined() ? Value::String("") : g);
      o->entries.emplace_back("groups", Value::Array(groups));
      Value arg[1] = {Value::Object(o)};
      Await closure(call.ev.clock(), 2);
      Value r = call.ev.Apply(replacement, arg, call.context, call.position);
      if (!r.is_string()) Throw("D3012", call.position, call.name);
      out += r.str();
    }
    position = f.end;
    ++count;
  }
  out += text.substr(position);
  return call.ev.StringValue(out);
}

Value FnSplit(CallContext& call, std::span<const Value> args) {
  Value s = Arg(args, 0);
  if (s.undefined()) return s;
  Value sep = Arg(args, 1);
  Value limit = Arg(args, 2);
  if (!limit.undefined() && limit.number() < 0) Throw("D3020", call.position, call.name);
  double max = limit.undefined() ? INFINITY : std::floor(limit.number());
  std::string_view text = s.str();
  ArrayData* out = call.ev.NewArray();
  auto add = [&](std::string_view part) {
    if (static_cast<double>(out->items.size()) < max) out->items.push_back(Value::String(part));
  };
  if (sep.is_string()) {
    std::string_view p = sep.str();
    if (p.empty()) {
      size_t pos = 0;
      while (pos < text.size()) {
        size_t start = pos;
        DecodeUtf8(text, pos);
        add(text.substr(start, pos - start));
      }
      return Value::Array(out);
    }
    size_t position = 0;
    for (size_t at = text.find(p); at != std::string_view::npos; at = text.find(p, position)) {
      add(text.substr(position, at - position));
      position = at + p.size();
    }
    add(text.substr(position));
    return Value::Array(out);
  }
  Matches matches(call, sep, text);
  Found f;
  size_t position = 0;
  while (static_cast<double>(out->items.size()) < max && matches.Next(f)) {
    add(text.substr(position, f.start - position));
    position = f.end;
  }
  add(text.substr(position));
  return Value::Array(out);
}

}  // namespace

Value RegexMatchObject(Evaluator& ev, const Regex& re, const Value& subject, size_t from) {
  if (!subject.is_string()) return Value();
  Subject s(subject.str());
  RegexMatch m;
  if (!re.Search(s.cps, from, &m, [&ev] { ev.CheckDeadline(); })) return Value();
  ObjectData* o = ev.NewObject();
  o->entries.emplace_back("match", Value::String(s.Slice(m.start, m.end)));
  o->entries.emplace_back("start", Value::Number(static_cast<double>(m.start)));
  o->entries.emplace_back("end", Value::Number(static_cast<double>(m.end)));
  ArrayData* groups = ev.NewArray();
  for (auto [a, b] : m.groups)
    groups->items.push_back(a < 0 ? Value::String("") : Value::String(s.Slice(a, b)));
  o->entries.emplace_back("groups", Value::Array(groups));
  return Value::Object(o);
}

void AddRegexFunctions(std::vector<BuiltinSpec>& out) {
  out.insert(out.end(), {
                            {"contains", "<s-(sf):b>", FnContains},
                            {"match", "<s-f<s:o>n?:a<o>>", FnMatch},
                            {"replace", "<s-(sf)(sf)n?:s>", FnReplace},
                            {"split", "<s-(sf)n?:a<s>>", FnSplit},
                        });
}

}  // namespace fleetflow::jsonata::internal
