// Parser for intrinsic function calls: States.Name(arg, ...), where an arg is a
// 'string', a number, true/false/null, a path ($..., $$..., $var) or a call.

#include <cctype>
#include <charconv>

#include "engine/common/strings.h"
#include "engine/json/intrinsic.h"

namespace fleetflow::json {

namespace {

struct FunctionInfo {
  const char* name;
  Intrinsic function;
  int min_args;
  int max_args;  // -1: any
};

constexpr FunctionInfo kFunctions[] = {
    {"States.Format", Intrinsic::kFormat, 1, -1},
    {"States.StringToJson", Intrinsic::kStringToJson, 1, 1},
    {"States.JsonToString", Intrinsic::kJsonToString, 1, 1},
    {"States.Array", Intrinsic::kArray, 0, -1},
    {"States.ArrayPartition", Intrinsic::kArrayPartition, 2, 2},
    {"States.ArrayContains", Intrinsic::kArrayContains, 2, 2},
    {"States.ArrayRange", Intrinsic::kArrayRange, 3, 3},
    {"States.ArrayGetItem", Intrinsic::kArrayGetItem, 2, 2},
    {"States.ArrayLength", Intrinsic::kArrayLength, 1, 1},
    {"States.ArrayUnique", Intrinsic::kArrayUnique, 1, 1},
    {"States.Base64Encode", Intrinsic::kBase64Encode, 1, 1},
    {"States.Base64Decode", Intrinsic::kBase64Decode, 1, 1},
    {"States.Hash", Intrinsic::kHash, 2, 2},
    {"States.JsonMerge", Intrinsic::kJsonMerge, 3, 3},
    {"States.MathRandom", Intrinsic::kMathRandom, 2, 3},
    {"States.MathAdd", Intrinsic::kMathAdd, 2, 2},
    {"States.StringSplit", Intrinsic::kStringSplit, 2, 2},
    {"States.UUID", Intrinsic::kUuid, 0, 0},
};

class IntrinsicParser {
 public:
  explicit IntrinsicParser(std::string_view text) : text_(text) {}

  absl::StatusOr<IntrinsicCall> Run() {
    auto call = ParseCall();
    if (!call.ok()) return call;
    SkipSpaces();
    if (pos_ != text_.size()) return Error("unexpected text after the closing ')'");
    return call;
  }

 private:
  absl::StatusOr<IntrinsicCall> ParseCall() {
    if (++depth_ > 10) return Error("intrinsic functions nest at most 10 deep");
    SkipSpaces();
    size_t start = pos_;
    while (pos_ < text_.size() &&
           (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '.')) {
      ++pos_;
    }
    std::string name(text_.substr(start, pos_ - start));
    const FunctionInfo* info = nullptr;
    for (const FunctionInfo& f : kFunctions) {
      if (name == f.name) info = &f;
    }
    if (info == nullptr) {
      pos_ = start;
      return Error(StrCat("unknown intrinsic function '", name, "'"));
    }
    SkipSpaces();
    if (Peek() != '(') return Error(StrCat("expected '(' after ", name));
    ++pos_;
    IntrinsicCall call{info->function, name, {}};
    SkipSpaces();
    if (Peek() == ')') {
      ++pos_;
    } else {
      for (;;) {
        auto arg = ParseArg();
        if (!arg.ok()) return arg.status();
        call.args.push_back(*std::move(arg));
        SkipSpaces();
        if (Peek() == ',') {
          ++pos_;
          continue;
        }
        if (Peek() == ')') {
          ++pos_;
          break;
        }
        return Error(StrCat("expected ',' or ')' in the arguments of ", name));
      }
    }
    int n = static_cast<int>(call.args.size());
    if (n < info->min_args || (info->max_args >= 0 && n > info->max_args)) {
      std::string want = info->max_args < 0 ? StrCat("at least ", info->min_args)
                         : info->min_args == info->max_args
                             ? StrCat(info->min_args)
                             : StrCat(info->min_args, " or ", info->max_args);
      bool singular = info->max_args == 1 || (info->max_args < 0 && info->min_args == 1);
      return absl::InvalidArgumentError(StrCat(name, " takes ", want, " argument",
                                               singular ? "" : "s", ", not ", n, ", in '", text_,
                                               "'"));
    }
    if (call.function == Intrinsic::kJsonToString &&
        call.args[0].kind != IntrinsicArg::Kind::kPath) {
      return Error("the argument of States.JsonToString must be a path");
    }
    --depth_;
    return call;
  }

  absl::StatusOr<IntrinsicArg> ParseArg() {
    SkipSpaces();
    IntrinsicArg arg;
    char c = Peek();
    if (c == '\'') return ParseString();
    if (c == '$') {
      size_t start = pos_;
      char quote = 0;
      int depth = 0;
      for (; pos_ < text_.size(); ++pos_) {
        char ch = text_[pos_];
        if (quote) {
          if (ch == quote) quote = 0;
          continue;
        }
        if (ch == '"') quote = ch;
        if (ch == '[' || ch == '(') ++depth;
        if (ch == ']' || ch == ')') {
          if (depth == 0) break;
          --depth;
        }
        if (depth == 0 && (ch == ',' || ch == ' ')) break;
      }
      auto path = Path::Parse(text_.substr(start, pos_ - start));
      if (!path.ok()) return path.status();
      arg.kind = IntrinsicArg::Kind::kPath;
      arg.path = std::make_shared<const Path>(*std::move(path));
      return arg;
    }
    if (text_.substr(pos_, 7) == "States.") {
      auto call = ParseCall();
      if (!call.ok()) return call.status();
      arg.kind = IntrinsicArg::Kind::kCall;
      arg.call = std::make_shared<const IntrinsicCall>(*std::move(call));
      return arg;
    }
    for (auto [word, value] : {std::pair<std::string_view, Value>{"true", Value(true)},
                               {"false", Value(false)},
                               {"null", Value(nullptr)}}) {
      if (text_.substr(pos_, word.size()) == word) {
        pos_ += word.size();
        arg.literal = value;
        return arg;
      }
    }
    return ParseNumber();
  }

  absl::StatusOr<IntrinsicArg> ParseString() {
    size_t start = pos_++;
    IntrinsicArg arg;
    std::string value;
    while (pos_ < text_.size() && text_[pos_] != '\'') {
      char ch = text_[pos_];
      if (ch == '\\') {
        char next = pos_ + 1 < text_.size() ? text_[pos_ + 1] : '\0';
        if (next != '\'' && next != '{' && next != '}' && next != '\\') {
          return Error("a backslash in a string escapes only ', {, } or \\");
        }
        arg.raw.push_back(ch);
        arg.raw.push_back(next);
        value.push_back(next);
        pos_ += 2;
        continue;
      }
      arg.raw.push_back(ch);
      value.push_back(ch);
      ++pos_;
    }
    if (pos_ >= text_.size()) {
      pos_ = start;
      return Error("unterminated string literal");
    }
    ++pos_;
    arg.literal = Value(value);
    return arg;
  }

  absl::StatusOr<IntrinsicArg> ParseNumber() {
    size_t start = pos_;
    while (pos_ < text_.size() &&
           (std::isdigit(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '-' ||
            text_[pos_] == '.' || text_[pos_] == 'e' || text_[pos_] == 'E' || text_[pos_] == '+')) {
      ++pos_;
    }
    std::string_view num = text_.substr(start, pos_ - start);
    IntrinsicArg arg;
    int64_t i = 0;
    auto ri = std::from_chars(num.data(), num.data() + num.size(), i);
    if (!num.empty() && ri.ec == std::errc() && ri.ptr == num.data() + num.size()) {
      arg.literal = i;
      return arg;
    }
    double d = 0;
    auto rd = std::from_chars(num.data(), num.data() + num.size(), d);
    if (!num.empty() && rd.ec == std::errc() && rd.ptr == num.data() + num.size()) {
      arg.literal = d;
      return arg;
    }
    pos_ = start;
    return Error("expected an argument: a 'string', a number, true, false, null, a path or a call");
  }

  void SkipSpaces() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  char Peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  absl::Status Error(std::string_view what) const {
    return absl::InvalidArgumentError(StrCat("invalid intrinsic function call '", text_,
                                             "': ", what, " (at character ", pos_ + 1, ")"));
  }

  std::string_view text_;
  size_t pos_ = 0;
  int depth_ = 0;
};

}  // namespace

bool LooksLikeIntrinsic(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  return text.substr(i, 7) == "States." && text.find('(') != std::string_view::npos;
}

absl::StatusOr<IntrinsicCall> ParseIntrinsic(std::string_view text) {
  return IntrinsicParser(text).Run();
}

}  // namespace fleetflow::json
