#pragma once
// A small backtracking regular-expression engine with JavaScript syntax and
// semantics (what JSONata's /.../ literals mean): classes, escapes \d \w \s
// \b, groups (capturing, (?:), (?=), (?!)), greedy and lazy quantifiers,
// backreferences, anchors, and the i, m, s flags. It runs on an explicit
// stack (no recursion per character) and counts steps so a catastrophic
// pattern hits the evaluation deadline instead of hanging. std::regex has
// neither JS's lazy/lookahead details right nor any step limit.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace fleetflow::jsonata::internal {

class Evaluator;
class Value;

struct RegexMatch {
  size_t start = 0;  // code point offsets into the subject
  size_t end = 0;
  std::vector<std::pair<long, long>> groups;  // -1 when a group did not take part
};

class Regex {
 public:
  struct Inst;
  struct Program;
  ~Regex();
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;

  // Throws S0303 for an invalid pattern.
  static std::shared_ptr<const Regex> Compile(std::string_view pattern, std::string_view flags,
                                              int position);

  // First match starting at or after code point `from`; `tick` is called
  // periodically (it throws when the evaluation is out of time).
  bool Search(const std::vector<uint32_t>& subject, size_t from, RegexMatch* match,
              const std::function<void()>& tick) const;

  size_t group_count() const;
  const std::string& source() const { return source_; }

 private:
  Regex() = default;
  std::unique_ptr<Program> program_;
  std::string source_;
};

std::shared_ptr<const Regex> CompileRegex(std::string_view pattern, std::string_view flags,
                                          int position);

// A subject prepared for matching: code points plus their byte offsets.
struct Subject {
  explicit Subject(std::string_view text);
  std::string_view text;
  std::vector<uint32_t> cps;
  std::vector<size_t> offsets;  // byte offset of each code point, plus the end
  std::string_view Slice(size_t from, size_t to) const {
    return text.substr(offsets[from], offsets[to] - offsets[from]);
  }
  size_t Utf16Index(size_t cp_index) const;
};

// The object a regex yields when called as a function: {match, start, end,
// groups}; undefined when nothing matches.
Value RegexMatchObject(Evaluator& ev, const Regex& re, const Value& subject, size_t from);

}  // namespace fleetflow::jsonata::internal
