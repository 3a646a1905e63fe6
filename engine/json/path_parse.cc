// The JSONPath parser: a hand-written scanner over the path text.

#include <cctype>
#include <charconv>

#include "engine/common/strings.h"
#include "engine/json/filter.h"
#include "engine/json/path.h"

namespace fleetflow::json {

namespace {

bool IsFunctionName(std::string_view name) {
  return name == "length" || name == "min" || name == "max" || name == "avg" || name == "sum" ||
         name == "stddev" || name == "keys" || name == "first" || name == "last";
}

}  // namespace

namespace {
// Letters beyond ASCII (UTF-8 bytes >= 0x80) count as identifier characters,
// so Unicode names such as "état" work (the spec allows UAX #31 identifiers).
bool IdentStart(unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; }
bool IdentPart(unsigned char c) { return IdentStart(c) || std::isdigit(c); }
}  // namespace

bool IsVariableName(std::string_view name) {
  if (name.empty() || !IdentStart(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name) {
    if (!IdentPart(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

class PathParser {
 public:
  PathParser(std::string_view text, PathMode mode) : text_(text), mode_(mode) {}

  absl::StatusOr<Path> Run() {
    Path path;
    path.text_ = std::string(text_);
    if (text_.empty() || text_[0] != '$') return Error(0, "a path must start with '$'");
    pos_ = 1;
    if (pos_ < text_.size() && text_[pos_] == '$') {
      path.root_ = PathRoot::kContext;
      ++pos_;
    } else if (pos_ < text_.size() && IdentStart(static_cast<unsigned char>(text_[pos_]))) {
      size_t start = pos_;
      while (pos_ < text_.size() && IdentPart(static_cast<unsigned char>(text_[pos_]))) ++pos_;
      path.root_ = PathRoot::kVariable;
      path.variable_ = std::string(text_.substr(start, pos_ - start));
    }
    while (pos_ < text_.size()) {
      absl::Status s = ParseSegment(path);
      if (!s.ok()) return s;
    }
    if (!path.segments_.empty() && path.segments_.back().kind == PathSegment::Kind::kDescend) {
      return Error(pos_, "'..' must be followed by a field name, '*' or a bracket");
    }
    for (const PathSegment& seg : path.segments_) {
      if (seg.kind != PathSegment::Kind::kField && seg.kind != PathSegment::Kind::kIndex &&
          seg.kind != PathSegment::Kind::kFunction) {
        path.definite_ = false;
      }
    }
    return path;
  }

 private:
  absl::Status Error(size_t at, std::string_view what) const {
    return absl::InvalidArgumentError(
        StrCat("invalid JSONPath '", text_, "': ", what, " (at character ", at + 1, ")"));
  }

  absl::Status NotInReferencePath(size_t at, std::string_view what) const {
    return Error(at, StrCat(what,
                            " is not allowed in a reference path, which must "
                            "select a single node"));
  }

  absl::Status ParseSegment(Path& path) {
    char c = text_[pos_];
    if (c == '.') {
      if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '.') {
        if (mode_ == PathMode::kReferencePath) return NotInReferencePath(pos_, "'..'");
        pos_ += 2;
        PathSegment seg;
        seg.kind = PathSegment::Kind::kDescend;
        path.segments_.push_back(seg);
        if (pos_ < text_.size() && text_[pos_] == '[') return ParseBracket(path);
        return ParseDotName(path);
      }
      ++pos_;
      return ParseDotName(path);
    }
    if (c == '[') return ParseBracket(path);
    return Error(pos_, StrCat("expected '.' or '[' but found '", std::string(1, c), "'"));
  }

  absl::Status ParseDotName(Path& path) {
    size_t start = pos_;
    // "$.abc.['def ghi']": AWS's guide writes a bracket after a dot.
    if (pos_ < text_.size() && text_[pos_] == '[') return ParseBracket(path);
    if (pos_ < text_.size() && text_[pos_] == '*') {
      if (mode_ == PathMode::kReferencePath) return NotInReferencePath(pos_, "'*'");
      ++pos_;
      PathSegment seg;
      seg.kind = PathSegment::Kind::kWildcard;
      path.segments_.push_back(seg);
      return absl::OkStatus();
    }
    while (pos_ < text_.size() && text_[pos_] != '.' && text_[pos_] != '[' && text_[pos_] != '(' &&
           text_[pos_] != ' ') {
      ++pos_;
    }
    if (pos_ == start) return Error(start, "expected a field name after '.'");
    std::string name(text_.substr(start, pos_ - start));
    if (pos_ + 1 < text_.size() && text_[pos_] == '(' && text_[pos_ + 1] == ')') {
      if (!IsFunctionName(name)) return Error(start, StrCat("unknown function '", name, "()'"));
      if (mode_ == PathMode::kReferencePath) return NotInReferencePath(start, "a function");
      pos_ += 2;
      if (pos_ != text_.size()) return Error(pos_, "a function must end the path");
      PathSegment seg;
      seg.kind = PathSegment::Kind::kFunction;
      seg.name = std::move(name);
      path.segments_.push_back(std::move(seg));
      return absl::OkStatus();
    }
    if (pos_ < text_.size() && text_[pos_] != '.' && text_[pos_] != '[') {
      return Error(pos_, StrCat("unexpected '", std::string(1, text_[pos_]), "'"));
    }
    PathSegment seg;
    seg.name = std::move(name);
    path.segments_.push_back(std::move(seg));
    return absl::OkStatus();
  }

  void SkipSpaces() {
    while (pos_ < text_.size() && text_[pos_] == ' ') ++pos_;
  }

  absl::StatusOr<std::string> ParseQuoted() {
    char quote = text_[pos_];
    size_t start = pos_++;
    std::string out;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) ++pos_;
      out.push_back(text_[pos_++]);
    }
    if (pos_ >= text_.size()) return Error(start, "unterminated quoted name");
    ++pos_;
    return out;
  }

  absl::StatusOr<int64_t> ParseInt() {
    size_t start = pos_;
    if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
    while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    int64_t value = 0;
    auto res = std::from_chars(text_.data() + start, text_.data() + pos_, value);
    if (res.ec != std::errc() || res.ptr != text_.data() + pos_) {
      return Error(start, "expected an integer");
    }
    return value;
  }

  absl::Status ExpectClose() {
    SkipSpaces();
    if (pos_ >= text_.size() || text_[pos_] != ']') return Error(pos_, "expected ']'");
    ++pos_;
    return absl::OkStatus();
  }

  absl::Status ParseBracket(Path& path) {
    size_t open = pos_++;
    SkipSpaces();
    if (pos_ >= text_.size()) return Error(open, "unclosed '['");
    char c = text_[pos_];
    PathSegment seg;
    if (c == '*') {
      if (mode_ == PathMode::kReferencePath) return NotInReferencePath(pos_, "'[*]'");
      ++pos_;
      seg.kind = PathSegment::Kind::kWildcard;
    } else if (c == '?') {
      if (mode_ == PathMode::kReferencePath) return NotInReferencePath(pos_, "a filter");
      ++pos_;
      if (pos_ >= text_.size() || text_[pos_] != '(') return Error(pos_, "expected '(' after '?'");
      ++pos_;
      FilterDepthGuard guard;
      if (guard.too_deep()) return Error(pos_, "filters are nested too deeply");
      auto filter = ParseFilter(text_, pos_);
      if (!filter.ok()) return filter.status();
      SkipSpaces();
      if (pos_ >= text_.size() || text_[pos_] != ')')
        return Error(pos_, "expected ')' to close the filter");
      ++pos_;
      seg.kind = PathSegment::Kind::kFilter;
      seg.filter = std::make_shared<const FilterExpr>(*std::move(filter));
    } else if (c == '\'' || c == '"') {
      seg.kind = PathSegment::Kind::kField;
      for (;;) {
        auto name = ParseQuoted();
        if (!name.ok()) return name.status();
        seg.names.push_back(*std::move(name));
        SkipSpaces();
        if (pos_ < text_.size() && text_[pos_] == ',') {
          if (mode_ == PathMode::kReferencePath) return NotInReferencePath(pos_, "a union");
          ++pos_;
          SkipSpaces();
          if (pos_ >= text_.size() || (text_[pos_] != '\'' && text_[pos_] != '"')) {
            return Error(pos_, "expected a quoted name after ','");
          }
          continue;
        }
        break;
      }
      if (seg.names.size() == 1) {
        seg.name = std::move(seg.names[0]);
        seg.names.clear();
      } else {
        seg.kind = PathSegment::Kind::kFieldUnion;
      }
    } else if (c == ':' || c == '-' || std::isdigit(static_cast<unsigned char>(c))) {
      absl::Status s = ParseIndexOrSlice(seg);
      if (!s.ok()) return s;
    } else {
      return Error(pos_, "expected a quoted name, an index, '*', a slice or a filter in '[ ]'");
    }
    return ExpectCloseAndPush(path, std::move(seg));
  }

  absl::Status ExpectCloseAndPush(Path& path, PathSegment seg) {
    absl::Status s = ExpectClose();
    if (!s.ok()) return s;
    path.segments_.push_back(std::move(seg));
    return absl::OkStatus();
  }

  absl::Status ParseIndexOrSlice(PathSegment& seg) {
    std::optional<int64_t> first;
    if (text_[pos_] != ':') {
      auto i = ParseInt();
      if (!i.ok()) return i.status();
      first = *i;
    }
    SkipSpaces();
    if (pos_ < text_.size() && text_[pos_] == ':') {
      if (mode_ == PathMode::kReferencePath) return NotInReferencePath(pos_, "a slice");
      seg.kind = PathSegment::Kind::kSlice;
      seg.slice_start = first;
      ++pos_;
      if (pos_ < text_.size() && text_[pos_] != ']' && text_[pos_] != ':') {
        auto end = ParseInt();
        if (!end.ok()) return end.status();
        seg.slice_end = *end;
      }
      if (pos_ < text_.size() && text_[pos_] == ':') {
        ++pos_;
        if (pos_ < text_.size() && text_[pos_] != ']') {
          auto step = ParseInt();
          if (!step.ok()) return step.status();
          if (*step <= 0) return Error(pos_, "a slice step must be positive");
          seg.slice_step = *step;
        }
      }
      return absl::OkStatus();
    }
    seg.kind = PathSegment::Kind::kIndex;
    seg.index = *first;
    while (pos_ < text_.size() && text_[pos_] == ',') {
      if (mode_ == PathMode::kReferencePath) return NotInReferencePath(pos_, "a union");
      ++pos_;
      SkipSpaces();
      auto next = ParseInt();
      if (!next.ok()) return next.status();
      if (seg.indexes.empty()) seg.indexes.push_back(seg.index);
      seg.indexes.push_back(*next);
      SkipSpaces();
    }
    if (!seg.indexes.empty()) seg.kind = PathSegment::Kind::kIndexUnion;
    return absl::OkStatus();
  }

  std::string_view text_;
  PathMode mode_;
  size_t pos_ = 0;
};

absl::StatusOr<Path> Path::Parse(std::string_view text, PathMode mode) {
  return PathParser(text, mode).Run();
}

std::string Path::Normalized() const {
  std::string out = root_ == PathRoot::kContext ? "$$" : "$";
  if (root_ == PathRoot::kVariable) out += variable_;
  for (const PathSegment& seg : segments_) {
    switch (seg.kind) {
      case PathSegment::Kind::kField:
        StrAppend(&out, "['", seg.name, "']");
        break;
      case PathSegment::Kind::kIndex:
        StrAppend(&out, "[", seg.index, "]");
        break;
      case PathSegment::Kind::kWildcard:
        out += "[*]";
        break;
      case PathSegment::Kind::kDescend:
        out += "..";
        break;
      case PathSegment::Kind::kFunction:
        StrAppend(&out, ".", seg.name, "()");
        break;
      default:
        return text_;  // Jayway's forms for these add nothing a user needs.
    }
  }
  return out;
}

}  // namespace fleetflow::json
