#include "engine/jsonata/regex.h"

#include <algorithm>

#include "engine/jsonata/errors.h"
#include "engine/jsonata/unicode_case.h"
#include "engine/jsonata/utf8.h"

namespace fleetflow::jsonata::internal {

namespace {

enum class Op : uint8_t {
  kChar,
  kAny,
  kClass,
  kSplit,  // try x first, then y
  kJmp,
  kSave,      // capture slot x = pos
  kMark,      // register x = pos (loop progress check)
  kProgress,  // fail if pos == register x
  kLineStart,
  kLineEnd,
  kWordBoundary,
  kNotWordBoundary,
  kBackref,
  kLook,  // lookahead sub-program [pc+1, x), negated if y
  kLookEnd,
  kMatch,
};

struct Range {
  uint32_t lo, hi;
};

struct CharClass {
  std::vector<Range> ranges;
  bool negated = false;
};

bool IsWordChar(uint32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
bool IsLineTerminator(uint32_t c) { return c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029; }

// JavaScript's Canonicalize for a case-insensitive regex without the u flag:
// the uppercase of a UTF-16 unit, unless that is several characters or turns
// a non-ASCII character into an ASCII one.
uint32_t Canonicalize(uint32_t c) {
  if (c > 0xFFFF) return c;
  uint32_t u = SimpleUppercase(c);
  return c >= 128 && u < 128 ? c : u;
}

}  // namespace

struct Regex::Inst {
  Op op;
  uint32_t c = 0;
  int x = 0;
  int y = 0;
};

struct Regex::Program {
  std::vector<Inst> code;
  std::vector<CharClass> classes;
  int groups = 0;  // capturing groups, excluding group 0
  int registers = 0;
  bool ignore_case = false;
  bool multiline = false;
  bool dot_all = false;
};

namespace {

// Parsed regex tree, emitted into the program afterwards.
struct RNode {
  enum Type { kChar, kAny, kClass, kGroup, kAlt, kConcat, kRepeat, kAssert, kBackref, kLook };
  Type type;
  uint32_t c = 0;
  int index = -1;        // class index, group number, assert op, backref number
  int min = 0, max = 0;  // repeat; max -1 = unbounded
  bool greedy = true;
  bool negated = false;
  std::vector<std::unique_ptr<RNode>> kids;
};

class RegexParser {
 public:
  RegexParser(std::string_view pattern, Regex::Program& prog, int position)
      : prog_(prog), position_(position) {
    size_t pos = 0;
    while (pos < pattern.size()) cps_.push_back(DecodeUtf8(pattern, pos));
  }

  std::unique_ptr<RNode> Parse() {
    auto n = Disjunction();
    if (i_ < cps_.size()) Fail();
    return n;
  }

 private:
  [[noreturn]] void Fail() { Throw("S0303", position_, "", "invalid pattern"); }
  bool AtEnd() const { return i_ >= cps_.size(); }
  uint32_t Peek() const { return AtEnd() ? 0 : cps_[i_]; }
  bool Eat(uint32_t c) {
    if (!AtEnd() && cps_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }

  std::unique_ptr<RNode> Make(RNode::Type t) {
    auto n = std::make_unique<RNode>();
    n->type = t;
    return n;
  }

  std::unique_ptr<RNode> Disjunction() {
    auto first = Alternative();
    if (Peek() != '|') return first;
    auto alt = Make(RNode::kAlt);
    alt->kids.push_back(std::move(first));
    while (Eat('|')) alt->kids.push_back(Alternative());
    return alt;
  }

  std::unique_ptr<RNode> Alternative() {
    auto seq = Make(RNode::kConcat);
    while (!AtEnd() && Peek() != '|' && Peek() != ')') {
      auto atom = Term();
      seq->kids.push_back(std::move(atom));
    }
    return seq;
  }

  bool ReadInt(int& out) {
    size_t start = i_;
    long v = 0;
    while (!AtEnd() && Peek() >= '0' && Peek() <= '9') {
      v = v * 10 + (Peek() - '0');
      if (v > 100000) Fail();
      ++i_;
    }
    out = static_cast<int>(v);
    return i_ > start;
  }

  std::unique_ptr<RNode> Term() {
    uint32_t c = Peek();
    if (c == '^' || c == '$') {
      ++i_;
      auto n = Make(RNode::kAssert);
      n->index = static_cast<int>(c == '^' ? Op::kLineStart : Op::kLineEnd);
      return n;
    }
    if (c == '\\' && i_ + 1 < cps_.size() && (cps_[i_ + 1] == 'b' || cps_[i_ + 1] == 'B')) {
      auto n = Make(RNode::kAssert);
      n->index = static_cast<int>(cps_[i_ + 1] == 'b' ? Op::kWordBoundary : Op::kNotWordBoundary);
      i_ += 2;
      return n;
    }
    auto atom = Atom();
    // Quantifier.
    int min = -1, max = -1;
    size_t save = i_;
    if (Eat('*')) {
      min = 0;
    } else if (Eat('+')) {
      min = 1;
    } else if (Eat('?')) {
      min = 0;
      max = 1;
    } else if (Peek() == '{') {
      ++i_;
      int lo = 0, hi = -1;
      if (ReadInt(lo)) {
        if (Eat(',')) {
          if (!ReadInt(hi)) hi = -1;
        } else {
          hi = lo;
        }
        if (Eat('}')) {
          min = lo;
          max = hi;
        } else {
          i_ = save;  // a literal '{'
        }
      } else {
        i_ = save;
      }
    }
    if (min < 0) return atom;
    if (max >= 0 && max < min) Fail();
    if (atom->type == RNode::kAssert) Fail();
    auto rep = Make(RNode::kRepeat);
    rep->min = min;
    rep->max = max;
    rep->greedy = !Eat('?');
    rep->kids.push_back(std::move(atom));
    return rep;
  }

  std::unique_ptr<RNode> Atom() {
    uint32_t c = Peek();
    if (c == '(') {
      ++i_;
      std::unique_ptr<RNode> n;
      if (Eat('?')) {
        if (Eat(':')) {
          n = Make(RNode::kConcat);
          n->kids.push_back(Disjunction());
        } else if (Peek() == '=' || Peek() == '!') {
          n = Make(RNode::kLook);
          n->negated = Peek() == '!';
          ++i_;
          n->kids.push_back(Disjunction());
        } else if (Eat('<')) {
          while (!AtEnd() && Peek() != '>') ++i_;  // named group: name ignored
          if (!Eat('>')) Fail();
          n = Make(RNode::kGroup);
          n->index = ++prog_.groups;
          n->kids.push_back(Disjunction());
        } else {
          Fail();
        }
      } else {
        n = Make(RNode::kGroup);
        n->index = ++prog_.groups;
        n->kids.push_back(Disjunction());
      }
      if (!Eat(')')) Fail();
      return n;
    }
    if (c == '.') {
      ++i_;
      return Make(RNode::kAny);
    }
    if (c == '[') return Class();
    if (c == '*' || c == '+' || c == '?' || c == ')') Fail();
    if (c == '\\') return Escape();
    ++i_;
    auto n = Make(RNode::kChar);
    n->c = c;
    return n;
  }

  // Adds the ranges of a class escape (\d \w \s and negations) or returns false.
  bool ClassEscape(uint32_t e, CharClass& cls, bool& negated_set) {
    negated_set = false;
    switch (e) {
      case 'd':
        cls.ranges.push_back({'0', '9'});
        return true;
      case 'w':
        cls.ranges.insert(cls.ranges.end(), {{'a', 'z'}, {'A', 'Z'}, {'0', '9'}, {'_', '_'}});
        return true;
      case 's':
        for (uint32_t s : {0x20u, 0x09u, 0x0Au, 0x0Bu, 0x0Cu, 0x0Du, 0xA0u, 0x1680u, 0x2028u,
                           0x2029u, 0x202Fu, 0x205Fu, 0x3000u, 0xFEFFu})
          cls.ranges.push_back({s, s});
        cls.ranges.push_back({0x2000, 0x200A});
        return true;
      case 'D':
      case 'W':
      case 'S': {
        negated_set = true;
        return ClassEscape(e + 32, cls, negated_set) || true;
      }
      default:
        return false;
    }
  }

  uint32_t EscapedChar() {
    // After the backslash.
    if (AtEnd()) Fail();
    uint32_t e = cps_[i_++];
    auto hex = [&](int digits) {
      uint32_t v = 0;
      for (int k = 0; k < digits; ++k) {
        if (AtEnd()) Fail();
        uint32_t h = cps_[i_++];
        int d = (h >= '0' && h <= '9')   ? h - '0'
                : (h >= 'a' && h <= 'f') ? h - 'a' + 10
                : (h >= 'A' && h <= 'F') ? h - 'A' + 10
                                         : -1;
        if (d < 0) Fail();
        v = v * 16 + d;
      }
      return v;
    };
    switch (e) {
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'v':
        return '\v';
      case 'f':
        return '\f';
      case '0':
        return 0;
      case 'x':
        return hex(2);
      case 'u':
        return hex(4);
      case 'c': {
        if (AtEnd()) Fail();
        return cps_[i_++] % 32;
      }
      default:
        return e;
    }
  }

  std::unique_ptr<RNode> Escape() {
    ++i_;  // backslash
    if (AtEnd()) Fail();
    uint32_t e = Peek();
    if (e >= '1' && e <= '9') {
      int n = 0;
      ReadInt(n);
      auto b = Make(RNode::kBackref);
      b->index = n;
      return b;
    }
    CharClass cls;
    bool negated = false;
    if (ClassEscape(e, cls, negated)) {
      ++i_;
      cls.negated = negated;
      auto n = Make(RNode::kClass);
      n->index = static_cast<int>(prog_.classes.size());
      prog_.classes.push_back(std::move(cls));
      return n;
    }
    auto n = Make(RNode::kChar);
    n->c = EscapedChar();
    return n;
  }

  std::unique_ptr<RNode> Class() {
    ++i_;  // [
    CharClass cls;
    if (Eat('^')) cls.negated = true;
    while (!AtEnd() && Peek() != ']') {
      uint32_t lo;
      if (Peek() == '\\') {
        ++i_;
        if (AtEnd()) Fail();
        bool neg = false;
        CharClass sub;
        if (ClassEscape(Peek(), sub, neg)) {
          ++i_;
          if (neg) {
            // Complement of the sub-class, as ranges.
            std::vector<Range> r = sub.ranges;
            std::sort(r.begin(), r.end(), [](Range a, Range b) { return a.lo < b.lo; });
            uint32_t next = 0;
            for (Range x : r) {
              if (x.lo > next) cls.ranges.push_back({next, x.lo - 1});
              next = std::max(next, x.hi + 1);
            }
            cls.ranges.push_back({next, 0x10FFFF});
          } else {
            cls.ranges.insert(cls.ranges.end(), sub.ranges.begin(), sub.ranges.end());
          }
          continue;
        }
        lo = Peek() == 'b' ? (++i_, 8u) : EscapedChar();
      } else {
        lo = cps_[i_++];
      }
      uint32_t hi = lo;
      if (Peek() == '-' && i_ + 1 < cps_.size() && cps_[i_ + 1] != ']') {
        ++i_;
        if (Peek() == '\\') {
          ++i_;
          hi = EscapedChar();
        } else {
          hi = cps_[i_++];
        }
        if (hi < lo) Fail();
      }
      cls.ranges.push_back({lo, hi});
    }
    if (!Eat(']')) Fail();
    auto n = Make(RNode::kClass);
    n->index = static_cast<int>(prog_.classes.size());
    prog_.classes.push_back(std::move(cls));
    return n;
  }

  Regex::Program& prog_;
  int position_;
  std::vector<uint32_t> cps_;
  size_t i_ = 0;
};

class Emitter {
 public:
  explicit Emitter(Regex::Program& prog) : prog_(prog) {}

  int Emit(Op op, uint32_t c = 0, int x = 0, int y = 0) {
    if (prog_.code.size() > 200000) Throw("S0303", -1, "", "pattern too large");
    prog_.code.push_back(Regex::Inst{op, c, x, y});
    return static_cast<int>(prog_.code.size()) - 1;
  }
  int Here() const { return static_cast<int>(prog_.code.size()); }

  void Node(const RNode& n) {
    switch (n.type) {
      case RNode::kChar:
        Emit(Op::kChar, n.c);
        break;
      case RNode::kAny:
        Emit(Op::kAny);
        break;
      case RNode::kClass:
        Emit(Op::kClass, 0, n.index);
        break;
      case RNode::kAssert:
        Emit(static_cast<Op>(n.index));
        break;
      case RNode::kBackref:
        Emit(Op::kBackref, 0, n.index);
        break;
      case RNode::kConcat:
        for (const auto& k : n.kids) Node(*k);
        break;
      case RNode::kGroup:
        Emit(Op::kSave, 0, 2 * n.index);
        Node(*n.kids[0]);
        Emit(Op::kSave, 0, 2 * n.index + 1);
        break;
      case RNode::kLook: {
        int look = Emit(Op::kLook, 0, 0, n.negated ? 1 : 0);
        Node(*n.kids[0]);
        Emit(Op::kLookEnd);
        prog_.code[look].x = Here();
        break;
      }
      case RNode::kAlt: {
        std::vector<int> jumps;
        for (size_t i = 0; i < n.kids.size(); ++i) {
          if (i + 1 < n.kids.size()) {
            int split = Emit(Op::kSplit);
            prog_.code[split].x = Here();
            Node(*n.kids[i]);
            jumps.push_back(Emit(Op::kJmp));
            prog_.code[split].y = Here();
          } else {
            Node(*n.kids[i]);
          }
        }
        for (int j : jumps) prog_.code[j].x = Here();
        break;
      }
      case RNode::kRepeat:
        Repeat(n);
        break;
    }
  }

 private:
  void Split(int at, int body, int out, bool greedy) {
    prog_.code[at].x = greedy ? body : out;
    prog_.code[at].y = greedy ? out : body;
  }

  void Repeat(const RNode& n) {
    const RNode& body = *n.kids[0];
    if (n.min > 1000 || n.max > 1000) Throw("S0303", -1, "", "repeat count too large");
    for (int i = 0; i < n.min; ++i) Node(body);
    if (n.max < 0) {
      int reg = prog_.registers++;
      int loop = Emit(Op::kSplit);
      int start = Here();
      Emit(Op::kMark, 0, reg);
      Node(body);
      Emit(Op::kProgress, 0, reg);
      Emit(Op::kJmp, 0, loop);
      Split(loop, start, Here(), n.greedy);
      return;
    }
    std::vector<int> splits;
    for (int i = n.min; i < n.max; ++i) {
      int split = Emit(Op::kSplit);
      splits.push_back(split);
      prog_.code[split].x = Here();
      Node(body);
    }
    int out = Here();
    for (int s : splits) Split(s, s + 1, out, n.greedy);
  }

  Regex::Program& prog_;
};

struct Thread {
  int pc;
  size_t pos;
  size_t saved_from;  // index into the undo log
};

}  // namespace

Regex::~Regex() = default;

size_t Regex::group_count() const { return static_cast<size_t>(program_->groups); }

std::shared_ptr<const Regex> Regex::Compile(std::string_view pattern, std::string_view flags,
                                            int position) {
  std::shared_ptr<Regex> re(new Regex());
  re->source_ = std::string(pattern);
  re->program_ = std::make_unique<Program>();
  Program& prog = *re->program_;
  prog.ignore_case = flags.find('i') != std::string_view::npos;
  prog.multiline = flags.find('m') != std::string_view::npos;
  prog.dot_all = flags.find('s') != std::string_view::npos;
  RegexParser parser(pattern, prog, position);
  auto tree = parser.Parse();
  Emitter emitter(prog);
  emitter.Node(*tree);
  emitter.Emit(Op::kMatch);
  return re;
}

std::shared_ptr<const Regex> CompileRegex(std::string_view pattern, std::string_view flags,
                                          int position) {
  return Regex::Compile(pattern, flags, position);
}

namespace {

class Vm {
 public:
  Vm(const Regex::Program& prog, const std::vector<uint32_t>& s, const std::function<void()>& tick)
      : prog_(prog), s_(s), tick_(tick) {}

  // Runs from `pc` at `pos` until kMatch (or kLookEnd when `look`); slots
  // hold captures then registers. Returns the end position or -1.
  long Run(int pc, size_t pos, std::vector<long>& slots, bool look) {
    struct Undo {
      int slot;
      long old;
    };
    std::vector<Thread> stack;
    std::vector<Undo> undo;
    auto set = [&](int slot, long v) {
      undo.push_back({slot, slots[slot]});
      slots[slot] = v;
    };
    auto fail = [&]() -> bool {
      if (stack.empty()) return false;
      Thread t = stack.back();
      stack.pop_back();
      while (undo.size() > t.saved_from) {
        slots[undo.back().slot] = undo.back().old;
        undo.pop_back();
      }
      pc = t.pc;
      pos = t.pos;
      return true;
    };
    for (;;) {
      if (++steps_ % 4096 == 0 && tick_) tick_();
      const Regex::Inst& in = prog_.code[pc];
      bool ok = true;
      switch (in.op) {
        case Op::kChar:
          ok = pos < s_.size() && Same(s_[pos], in.c);
          if (ok) ++pos, ++pc;
          break;
        case Op::kAny:
          ok = pos < s_.size() && (prog_.dot_all || !IsLineTerminator(s_[pos]));
          if (ok) ++pos, ++pc;
          break;
        case Op::kClass:
          ok = pos < s_.size() && InClass(prog_.classes[in.x], s_[pos]);
          if (ok) ++pos, ++pc;
          break;
        case Op::kSplit:
          stack.push_back(Thread{in.y, pos, undo.size()});
          pc = in.x;
          break;
        case Op::kJmp:
          pc = in.x;
          break;
        case Op::kSave:
          set(in.x, static_cast<long>(pos));
          ++pc;
          break;
        case Op::kMark:
          set(2 * (prog_.groups + 1) + in.x, static_cast<long>(pos));
          ++pc;
          break;
        case Op::kProgress:
          ok = slots[2 * (prog_.groups + 1) + in.x] != static_cast<long>(pos);
          ++pc;
          break;
        case Op::kLineStart:
          ok = pos == 0 || (prog_.multiline && IsLineTerminator(s_[pos - 1]));
          ++pc;
          break;
        case Op::kLineEnd:
          ok = pos == s_.size() || (prog_.multiline && IsLineTerminator(s_[pos]));
          ++pc;
          break;
        case Op::kWordBoundary:
        case Op::kNotWordBoundary: {
          bool before = pos > 0 && IsWordChar(s_[pos - 1]);
          bool after = pos < s_.size() && IsWordChar(s_[pos]);
          ok = (before != after) == (in.op == Op::kWordBoundary);
          ++pc;
          break;
        }
        case Op::kBackref: {
          long from = in.x <= prog_.groups ? slots[2 * in.x] : -1;
          long to = in.x <= prog_.groups ? slots[2 * in.x + 1] : -1;
          if (from >= 0 && to >= from) {
            size_t len = static_cast<size_t>(to - from);
            ok = pos + len <= s_.size();
            for (size_t k = 0; ok && k < len; ++k) ok = Same(s_[pos + k], s_[from + k]);
            if (ok) pos += len;
          }
          ++pc;
          break;
        }
        case Op::kLook: {
          std::vector<long> copy = slots;
          long r = Run(pc + 1, pos, copy, true);
          bool matched = r >= 0;
          ok = matched != (in.y == 1);
          if (ok && matched) {
            for (size_t k = 0; k < slots.size(); ++k)
              if (copy[k] != slots[k]) set(static_cast<int>(k), copy[k]);
          }
          pc = in.x;
          break;
        }
        case Op::kLookEnd:
          if (look) return static_cast<long>(pos);
          ++pc;
          break;
        case Op::kMatch:
          return static_cast<long>(pos);
      }
      if (!ok && !fail()) return -1;
    }
  }

 private:
  bool Same(uint32_t a, uint32_t b) const {
    return a == b || (prog_.ignore_case && Canonicalize(a) == Canonicalize(b));
  }
  bool InClass(const CharClass& cls, uint32_t c) const {
    bool in = false;
    for (const Range& r : cls.ranges) {
      if (c >= r.lo && c <= r.hi) {
        in = true;
        break;
      }
    }
    if (!in && prog_.ignore_case) {
      uint32_t u = Canonicalize(c);
      uint32_t l = SimpleLowercase(u);
      if (Canonicalize(l) != u) l = u;
      for (const Range& r : cls.ranges) {
        if ((u >= r.lo && u <= r.hi) || (l >= r.lo && l <= r.hi)) {
          in = true;
          break;
        }
      }
    }
    return in != cls.negated;
  }

  const Regex::Program& prog_;
  const std::vector<uint32_t>& s_;
  const std::function<void()>& tick_;
  uint64_t steps_ = 0;
};

}  // namespace

bool Regex::Search(const std::vector<uint32_t>& subject, size_t from, RegexMatch* match,
                   const std::function<void()>& tick) const {
  const Program& prog = *program_;
  size_t nslots = 2 * (prog.groups + 1) + prog.registers;
  Vm vm(prog, subject, tick);
  for (size_t start = from; start <= subject.size(); ++start) {
    std::vector<long> slots(nslots, -1);
    long end = vm.Run(0, start, slots, false);
    if (end < 0) continue;
    match->start = start;
    match->end = static_cast<size_t>(end);
    match->groups.clear();
    for (int g = 1; g <= prog.groups; ++g)
      match->groups.emplace_back(slots[2 * g], slots[2 * g + 1]);
    return true;
  }
  return false;
}

Subject::Subject(std::string_view t) : text(t) {
  size_t pos = 0;
  while (pos < t.size()) {
    offsets.push_back(pos);
    cps.push_back(DecodeUtf8(t, pos));
  }
  offsets.push_back(t.size());
}

size_t Subject::Utf16Index(size_t cp_index) const {
  size_t units = 0;
  for (size_t i = 0; i < cp_index && i < cps.size(); ++i) units += cps[i] >= 0x10000 ? 2 : 1;
  return units;
}

}  // namespace fleetflow::jsonata::internal
