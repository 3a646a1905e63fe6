// The lexer works line by line outside brackets (indentation matters there)
// and token by token inside them (line ends are whitespace there).

#include "engine/definition/dsl/lexer.h"

#include <charconv>
#include <cmath>

#include "engine/definition/dsl/jsonata_text.h"

namespace fleetflow::definition::dsl {

namespace {

bool IsIdentStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool IsIdentChar(char c) { return IsIdentStart(c) || (c >= '0' && c <= '9'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// A suggestion for a mistyped duration unit ("mins" -> "m").
std::string UnitFor(std::string_view unit) {
  static constexpr std::pair<std::string_view, std::string_view> kUnits[] = {
      {"sec", "s"},  {"secs", "s"}, {"second", "s"}, {"seconds", "s"}, {"S", "s"},
      {"min", "m"},  {"mins", "m"}, {"minute", "m"}, {"minutes", "m"}, {"hr", "h"},
      {"hrs", "h"},  {"hour", "h"}, {"hours", "h"},  {"H", "h"},       {"day", "d"},
      {"days", "d"}, {"D", "d"},    {"M", "m"},      {"mn", "m"},      {"sc", "s"}};
  for (const auto& [from, to] : kUnits) {
    if (from == unit) return std::string(to);
  }
  return "";
}

// The shortest exact spelling of `seconds`: 5400 -> "90m".
std::string DurationText(long long seconds) {
  if (seconds != 0 && seconds % 86400 == 0) return std::to_string(seconds / 86400) + "d";
  if (seconds != 0 && seconds % 3600 == 0) return std::to_string(seconds / 3600) + "h";
  if (seconds != 0 && seconds % 60 == 0) return std::to_string(seconds / 60) + "m";
  return std::to_string(seconds) + "s";
}

class Lexer {
 public:
  explicit Lexer(std::string_view src) : src_(src) {}

  LexResult Run() {
    if (src_.substr(0, 3) == "\xEF\xBB\xBF") {
      pos_ = 3;
      line_start_ = 3;
    }
    while (pos_ < src_.size() && !stop_) LexLine();
    Finish();
    return std::move(out_);
  }

 private:
  // --- positions ---
  // Columns count code points; cached so that a long line stays linear.
  int Col(size_t at) const {
    if (cache_line_start_ != line_start_ || at < cache_pos_) {
      cache_line_start_ = line_start_;
      cache_pos_ = line_start_;
      cache_col_ = 1;
    }
    cache_col_ += CodePoints(src_.substr(cache_pos_, at - cache_pos_));
    cache_pos_ = at;
    return cache_col_;
  }
  SourceSpan Span(size_t begin, size_t end) const {
    size_t stop = std::min(end, LineEnd(begin));
    return {line_, Col(begin), std::max(1, CodePoints(src_.substr(begin, stop - begin)))};
  }
  size_t LineEnd(size_t from) const {
    size_t nl = src_.find('\n', from);
    return nl == std::string_view::npos ? src_.size() : nl;
  }
  char At(size_t i) const { return i < src_.size() ? src_[i] : '\0'; }
  bool AtLineEnd(size_t i) const { return i >= src_.size() || src_[i] == '\n'; }
  void NewLine() {
    ++line_;
    ++pos_;
    line_start_ = pos_;
    line_has_token_ = false;
  }

  // A '#' comment among tokens: after them (trailing) or alone on a line
  // inside brackets.
  void Comment() {
    size_t b = pos_;
    while (!AtLineEnd(pos_)) ++pos_;
    std::string_view text = src_.substr(b, pos_ - b);
    while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
    out_.comments.push_back({line_, std::string(text), line_has_token_, !brackets_.empty()});
  }

  void Error(SourceSpan span, std::string message, std::string hint) {
    if (out_.errors.size() < 50)
      out_.errors.push_back({"", span, std::move(message), std::move(hint), false});
  }
  Token& Emit(Tok kind, size_t begin, size_t end) {
    Token t;
    t.kind = kind;
    t.text = std::string(src_.substr(begin, end - begin));
    t.span = Span(begin, end);
    out_.tokens.push_back(std::move(t));
    return out_.tokens.back();
  }
  void EmitAt(Tok kind, SourceSpan span) {
    Token t;
    t.kind = kind;
    t.span = span;
    out_.tokens.push_back(std::move(t));
  }

  // --- lines ---
  void LexLine() {
    size_t i = pos_;
    int width = 0;
    size_t tab = std::string_view::npos;
    while (i < src_.size() && (src_[i] == ' ' || src_[i] == '\t')) {
      if (src_[i] == '\t' && tab == std::string_view::npos) tab = i;
      ++width;
      ++i;
    }
    size_t end = LineEnd(i);
    std::string_view rest = src_.substr(i, end - i);
    while (!rest.empty() && IsSpace(rest.back())) rest.remove_suffix(1);
    if (rest.empty()) {
      for (Token& d : pending_docs_) d.detached = true;
      pos_ = end;
      if (pos_ < src_.size()) NewLine();
      return;
    }
    if (rest[0] == '#') {
      if (rest.size() >= 2 && rest[1] == '#' && (rest.size() == 2 || rest[2] != '#')) {
        Token doc;
        doc.kind = Tok::kDoc;
        std::string_view text = rest.substr(2);
        if (!text.empty() && text[0] == ' ') text.remove_prefix(1);
        doc.text = std::string(text);
        doc.span = Span(i, i + 2);
        doc.span.length = 2;
        pending_docs_.push_back(std::move(doc));
      } else {
        out_.comments.push_back({line_, std::string(rest), false, false});
      }
      pos_ = end;
      if (pos_ < src_.size()) NewLine();
      return;
    }
    if (tab != std::string_view::npos) {
      Error(Span(tab, tab + 1), "tab in indentation",
            "indent with spaces; fleetflow fmt uses 2 per level");
    }
    Indentation(width, i);
    for (Token& d : pending_docs_) out_.tokens.push_back(std::move(d));
    pending_docs_.clear();
    pos_ = i;
    LexTokens();
    last_end_col_ = std::max(last_end_col_, 1);
    EmitAt(Tok::kNewline, {last_line_, last_end_col_, 0});
    if (pos_ < src_.size()) NewLine();
  }

  void Indentation(int width, size_t first) {
    SourceSpan at = Span(first, first + 1);
    if (width > widths_.back()) {
      widths_.push_back(width);
      EmitAt(Tok::kIndent, at);
      return;
    }
    if (width == widths_.back()) return;
    bool matches = false;
    for (int w : widths_) matches = matches || w == width;
    if (!matches) {
      std::string cols;
      for (size_t k = 0; k < widths_.size(); ++k) {
        if (k > 0) cols += k + 1 == widths_.size() ? " or " : ", ";
        cols += std::to_string(widths_[k] + 1);
      }
      Error(at, "indentation does not match any enclosing block",
            "indent to column " + cols + ", like an enclosing line");
      return;
    }
    while (widths_.back() > width) {
      widths_.pop_back();
      EmitAt(Tok::kDedent, at);
    }
  }

  void Finish() {
    for (Token& d : pending_docs_) {
      d.detached = true;
      out_.tokens.push_back(std::move(d));
    }
    pending_docs_.clear();
    if (!brackets_.empty() && !stop_) {
      const auto& [c, span] = brackets_.back();
      Error(span, std::string("'") + c + "' is not closed",
            std::string("close it with '") +
                (c == '('   ? ')'
                 : c == '[' ? ']'
                            : '}') +
                "'");
    }
    SourceSpan end{line_, 1, 0};
    while (widths_.size() > 1) {
      widths_.pop_back();
      EmitAt(Tok::kDedent, end);
    }
    EmitAt(Tok::kEnd, end);
  }

  // --- tokens of one logical line (several physical lines inside brackets) ---
  void LexTokens() {
    while (true) {
      while (pos_ < src_.size() && IsSpace(src_[pos_])) ++pos_;
      if (pos_ < src_.size() && src_[pos_] == '#') Comment();
      if (AtLineEnd(pos_)) {
        if (brackets_.empty() || pos_ >= src_.size()) return;
        NewLine();
        continue;
      }
      size_t begin = pos_;
      LexToken();
      if (pos_ == begin) ++pos_;  // never stall
      line_has_token_ = true;
      last_line_ = line_;
      last_end_col_ = Col(std::min(pos_, LineEnd(line_start_)));
    }
  }

  void LexToken() {
    char c = src_[pos_];
    size_t b = pos_;
    if (IsIdentStart(c)) return LexWord();
    if (IsDigit(c) || (c == '-' && IsDigit(At(pos_ + 1)))) return LexNumber();
    if (c == '"') return LexString();
    if (c == '$') {
      pos_ = ScanPath(pos_);
      Emit(Tok::kPath, b, pos_);
      return;
    }
    auto two = [&](char next) { return At(pos_ + 1) == next; };
    auto punct = [&](Tok kind, size_t n) {
      pos_ += n;
      Emit(kind, b, pos_);
    };
    switch (c) {
      case '-':
        if (two('>')) return punct(Tok::kArrow, 2);
        break;
      case '=':
        if (two('=')) return punct(Tok::kEq, 2);
        ++pos_;
        return Error(Span(b, pos_), "'=' is not an operator", "compare with '=='");
      case '!':
        if (two('=')) return punct(Tok::kNe, 2);
        ++pos_;
        return Error(Span(b, pos_), "'!' is not an operator", "write 'not' or '!='");
      case '<':
        return two('=') ? punct(Tok::kLe, 2) : punct(Tok::kLt, 1);
      case '>':
        return two('=') ? punct(Tok::kGe, 2) : punct(Tok::kGt, 1);
      case ':':
        return punct(Tok::kColon, 1);
      case ',':
        return punct(Tok::kComma, 1);
      case '{':
        if (two('%')) return LexJsonata();
        [[fallthrough]];
      case '(':
      case '[':
        brackets_.push_back({c, Span(b, b + 1)});
        return punct(c == '{' ? Tok::kLBrace : c == '(' ? Tok::kLParen : Tok::kLBracket, 1);
      case '}':
      case ')':
      case ']':
        if (!brackets_.empty()) brackets_.pop_back();
        return punct(c == '}' ? Tok::kRBrace : c == ')' ? Tok::kRParen : Tok::kRBracket, 1);
      case '\'':
        ++pos_;
        while (!AtLineEnd(pos_) && src_[pos_] != '\'') ++pos_;
        if (!AtLineEnd(pos_)) ++pos_;
        return Error(Span(b, pos_), "''' is only allowed inside an intrinsic call",
                     "strings are written in double quotes");
      default:
        break;
    }
    ++pos_;
    while (pos_ < src_.size() && (static_cast<unsigned char>(src_[pos_]) & 0xC0) == 0x80) ++pos_;
    Error(Span(b, pos_), "unexpected character '" + std::string(src_.substr(b, pos_ - b)) + "'",
          "names are letters, digits and '_'; text goes in double quotes");
  }

  size_t ScanIdent(size_t i) const {
    while (IsIdentChar(At(i))) ++i;
    while (At(i) == '-' && IsIdentChar(At(i + 1))) {
      ++i;
      while (IsIdentChar(At(i))) ++i;
    }
    return i;
  }

  void LexWord() {
    size_t b = pos_;
    size_t i = ScanIdent(pos_);
    int parts = 1;
    while (At(i) == '.' && IsIdentStart(At(i + 1))) {
      i = ScanIdent(i + 1);
      ++parts;
    }
    std::string_view word = src_.substr(b, i - b);
    if (parts == 2 && word.substr(0, 7) == "States." && At(i) == '(') {
      size_t end = ScanCall(i);
      if (end == std::string_view::npos) {
        pos_ = LineEnd(i);
        return Error(Span(b, i), "intrinsic call '" + std::string(word) + "(' is not closed by ')'",
                     "an intrinsic call is written on one line, as in ASL");
      }
      pos_ = end;
      Emit(Tok::kIntrinsic, b, pos_);
      return;
    }
    if (At(i) == ':' && !AtLineEnd(i + 1) && !IsSpace(At(i + 1))) {
      i += 1;
      while (!AtLineEnd(i) && !IsSpace(At(i)) &&
             std::string_view("\"'#,()[]{}").find(At(i)) == std::string_view::npos)
        ++i;
      pos_ = i;
      Emit(Tok::kUri, b, pos_);
      return;
    }
    pos_ = i;
    Emit(parts > 1 ? Tok::kDotted : Tok::kIdent, b, pos_);
  }

  // From '(' to past the matching ')' on the same line; npos when unclosed.
  size_t ScanCall(size_t i) const {
    int depth = 0;
    while (!AtLineEnd(i)) {
      char c = src_[i];
      if (c == '\'') {
        ++i;
        while (!AtLineEnd(i) && src_[i] != '\'') i += src_[i] == '\\' ? 2 : 1;
        if (AtLineEnd(i)) return std::string_view::npos;
      } else if (c == '(') {
        ++depth;
      } else if (c == ')') {
        if (--depth == 0) return i + 1;
      }
      ++i;
    }
    return std::string_view::npos;
  }

  // A path from '$': stops outside brackets at whitespace or a delimiter.
  size_t ScanPath(size_t i) const {
    int depth = 0;
    ++i;
    while (!AtLineEnd(i)) {
      char c = src_[i];
      if (depth == 0 &&
          (IsSpace(c) || std::string_view(",)]}=<>!#\"").find(c) != std::string_view::npos))
        break;
      if (c == '[' || c == '(') {
        ++depth;
      } else if (c == ']' || c == ')') {
        --depth;
      } else if ((c == '\'' || c == '"') && depth > 0) {
        char quote = c;
        ++i;
        while (!AtLineEnd(i) && src_[i] != quote) i += src_[i] == '\\' ? 2 : 1;
        if (AtLineEnd(i)) return std::min(i, LineEnd(i));
      }
      ++i;
    }
    return std::min(i, LineEnd(i));
  }

  void LexNumber() {
    size_t b = pos_;
    size_t i = pos_;
    if (src_[i] == '-') ++i;
    bool whole = true;
    if (src_[i] == '0') {
      ++i;
    } else {
      while (IsDigit(At(i))) ++i;
    }
    if (At(i) == '.' && IsDigit(At(i + 1))) {
      whole = false;
      ++i;
      while (IsDigit(At(i))) ++i;
    }
    if ((At(i) == 'e' || At(i) == 'E') &&
        (IsDigit(At(i + 1)) || ((At(i + 1) == '+' || At(i + 1) == '-') && IsDigit(At(i + 2))))) {
      whole = false;
      i += 2;
      while (IsDigit(At(i))) ++i;
    }
    size_t number_end = i;
    if (At(i) == '%') {
      pos_ = i + 1;
      Emit(Tok::kPercent, b, pos_);
      return;
    }
    if (!IsIdentStart(At(i)) && !IsDigit(At(i))) {
      pos_ = i;
      Emit(Tok::kNumber, b, pos_);
      return;
    }
    while (IsIdentChar(At(i))) ++i;
    pos_ = i;
    Duration(b, number_end, i, whole);
  }

  void Duration(size_t b, size_t number_end, size_t end, bool whole) {
    std::string text(src_.substr(b, end - b));
    std::string number(src_.substr(b, number_end - b));
    std::string unit(src_.substr(number_end, end - number_end));
    SourceSpan span = Span(b, end);
    double value = 0;
    std::from_chars(number.data(), number.data() + number.size(), value);
    long long mult = unit == "s"   ? 1
                     : unit == "m" ? 60
                     : unit == "h" ? 3600
                     : unit == "d" ? 86400
                                   : 0;
    if (unit == "ms") {
      return Error(span, "milliseconds are not supported: '" + text + "'",
                   "ASL counts whole seconds; the shortest wait is 0s, the shortest timeout 1s");
    }
    if (mult == 0) {
      bool compound = unit.find_first_of("0123456789") != std::string::npos;
      std::string suggestion = UnitFor(unit);
      std::string hint = "units are s, m, h and d";
      if (compound) {
        hint = "one unit per duration, such as 90m";
      } else if (unit == "M") {
        hint = "units are lowercase: did you mean '" + number + "m'? ('M' is not months)";
      } else if (!suggestion.empty()) {
        hint = "did you mean '" + number + suggestion + "'? units are s, m, h and d";
      }
      return Error(span, "unknown duration unit '" + unit + "' in '" + text + "'", hint);
    }
    if (value < 0) {
      return Error(span, "a duration cannot be negative: '" + text + "'",
                   "write a positive duration");
    }
    if (!whole) {
      double seconds = value * static_cast<double>(mult);
      std::string hint = "write it in a smaller unit";
      if (std::floor(seconds) == seconds && seconds < 1e15)
        hint = "write '" + DurationText(static_cast<long long>(seconds)) + "'";
      return Error(span, "a duration is a whole number: '" + text + "'", hint);
    }
    if (value > 1e12) {
      return Error(span, "duration '" + text + "' is too long", "ASL's limit is 99999999s");
    }
    Token& t = Emit(Tok::kDuration, b, end);
    t.seconds = value * static_cast<double>(mult);
  }

  // `{% ... %}`: verbatim, over as many lines as it takes (jsonata_text.h).
  void LexJsonata() {
    size_t b = pos_;
    SourceSpan span = Span(b, b + 2);
    JsonataScan scan = ScanJsonata(src_, b);
    if (!scan.ok) {
      // The scan ran to the end of the file: so does the error, as an
      // unclosed comment would in C (and each later '{%' would scan again).
      pos_ = LineEnd(b);
      stop_ = true;
      if (scan.open_at == b) {
        return Error(span, "'{%' is not closed by '%}'",
                     "a JSONata expression is written {% ... %} and may span lines");
      }
      std::string_view text = src_.substr(b, scan.open_at - b);
      SourceSpan at = PositionIn(text, span, text.size(), 1);
      return Error(at, scan.open + " in the JSONata expression is not closed",
                   "close it; a '%}' inside it does not end the expression");
    }
    Token t;
    t.kind = Tok::kJsonata;
    t.text = std::string(src_.substr(b, scan.end - b));
    t.span = span;
    size_t newline = t.text.rfind('\n');
    t.span.length = newline == std::string::npos ? CodePoints(t.text) : 2;
    out_.tokens.push_back(std::move(t));
    for (size_t i = b; i < scan.end; ++i) {
      if (src_[i] == '\n') {
        ++line_;
        line_start_ = i + 1;
      }
    }
    pos_ = scan.end;
  }

  void LexString() {
    size_t b = pos_;
    Token t;
    t.kind = Tok::kString;
    std::string literal;
    size_t i = pos_ + 1;
    auto flush = [&] {
      if (!literal.empty()) t.parts.push_back({false, literal, {}});
      literal.clear();
    };
    while (true) {
      if (AtLineEnd(i)) {
        pos_ = i;
        return Error(Span(b, b + 1), "unterminated string",
                     "close it with '\"' on the same line; write \\n for a line break");
      }
      char c = src_[i];
      if (c == '"') break;
      if (c == '\\') {
        if (!Escape(i, literal)) {
          pos_ = LineEnd(i);
          return;
        }
        continue;
      }
      if (c == '$' && At(i + 1) == '{') {
        flush();
        if (!Interpolation(i, t)) {
          pos_ = LineEnd(i);
          return;
        }
        continue;
      }
      literal += c;
      ++i;
    }
    pos_ = i + 1;
    t.interpolated = false;
    for (const StringPart& p : t.parts) t.interpolated = t.interpolated || p.expr;
    if (!t.interpolated) {
      for (const StringPart& p : t.parts) t.text += p.text;
      t.text += literal;
      t.parts.clear();
    } else {
      flush();
    }
    t.span = Span(b, pos_);
    out_.tokens.push_back(std::move(t));
  }

  bool Escape(size_t& i, std::string& out) {
    char e = At(i + 1);
    size_t b = i;
    switch (e) {
      case '"':
        out += '"';
        break;
      case '\\':
        out += '\\';
        break;
      case '/':
        out += '/';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case '$':
        out += '$';
        break;
      case 'u': {
        unsigned cp = 0;
        if (!Hex4(i + 2, cp)) {
          Error(Span(b, i + 2), "invalid escape: '\\u' needs 4 hex digits", "write \\u00e9");
          return false;
        }
        i += 6;
        if (cp >= 0xD800 && cp < 0xDC00) {
          unsigned low = 0;
          if (At(i) != '\\' || At(i + 1) != 'u' || !Hex4(i + 2, low) || low < 0xDC00 ||
              low > 0xDFFF) {
            Error(Span(b, i), "unpaired surrogate in '\\u' escape",
                  "a character above U+FFFF is two escapes, \\uD83D\\uDE00");
            return false;
          }
          i += 6;
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          Error(Span(b, i), "unpaired surrogate in '\\u' escape",
                "a character above U+FFFF is two escapes, \\uD83D\\uDE00");
          return false;
        }
        AppendUtf8(out, cp);
        return true;
      }
      default: {
        size_t end = AtLineEnd(i + 1) ? i + 1 : i + 2;
        Error(Span(b, end), "unknown escape '" + std::string(src_.substr(b, end - b)) + "'",
              "write \\\\ for a backslash; escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t "
              "\\uXXXX \\$");
        return false;
      }
    }
    i += 2;
    return true;
  }

  bool Hex4(size_t i, unsigned& out) const {
    out = 0;
    for (size_t k = 0; k < 4; ++k) {
      char c = At(i + k);
      unsigned d = IsDigit(c)               ? unsigned(c - '0')
                   : (c >= 'a' && c <= 'f') ? unsigned(c - 'a' + 10)
                   : (c >= 'A' && c <= 'F') ? unsigned(c - 'A' + 10)
                                            : 16u;
      if (d == 16) return false;
      out = out * 16 + d;
    }
    return true;
  }

  static void AppendUtf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  // `${ PATH-or-INTRINSIC }` at i; appends an expression part.
  bool Interpolation(size_t& i, Token& t) {
    size_t b = i;
    SourceSpan open = Span(b, b + 2);
    size_t k = i + 2;
    while (At(k) == ' ') ++k;
    size_t e = k, end = std::string_view::npos;
    if (At(k) == '$') {
      end = ScanPath(k);
    } else if (src_.substr(k, 7) == "States.") {
      size_t w = ScanIdent(k + 7);
      if (At(w) == '(') end = ScanCall(w);
    }
    if (end == std::string_view::npos || end == e) {
      Error(open, "'${' must hold one path or intrinsic call",
            "an interpolation holds one path or intrinsic call: \"${$.robot}\"; write \\$ for a "
            "literal '$'");
      return false;
    }
    size_t close = end;
    while (At(close) == ' ') ++close;
    if (At(close) != '}') {
      Error(open, "'${' is not closed by '}'",
            "an interpolation holds one path or intrinsic call: \"${$.robot}\"");
      return false;
    }
    t.parts.push_back({true, std::string(src_.substr(e, end - e)), Span(e, end)});
    i = close + 1;
    return true;
  }

  std::string_view src_;
  mutable size_t cache_line_start_ = std::string_view::npos, cache_pos_ = 0;
  mutable int cache_col_ = 1;
  size_t pos_ = 0;
  size_t line_start_ = 0;
  int line_ = 1;
  bool line_has_token_ = false;
  bool stop_ = false;  // after a '{%' that is not closed
  int last_line_ = 1;
  int last_end_col_ = 1;
  std::vector<int> widths_{0};
  std::vector<std::pair<char, SourceSpan>> brackets_;
  std::vector<Token> pending_docs_;
  LexResult out_;
};

}  // namespace

LexResult Lex(std::string_view source) { return Lexer(source).Run(); }

const char* TokName(Tok kind) {
  switch (kind) {
    case Tok::kIdent:
      return "a name";
    case Tok::kDotted:
      return "a dotted name";
    case Tok::kUri:
      return "a resource";
    case Tok::kString:
      return "a string";
    case Tok::kNumber:
      return "a number";
    case Tok::kDuration:
      return "a duration";
    case Tok::kPercent:
      return "a percentage";
    case Tok::kPath:
      return "a path";
    case Tok::kIntrinsic:
      return "an intrinsic call";
    case Tok::kJsonata:
      return "a JSONata expression";
    case Tok::kDoc:
      return "a '##' comment";
    case Tok::kArrow:
      return "'->'";
    case Tok::kEq:
      return "'=='";
    case Tok::kNe:
      return "'!='";
    case Tok::kLe:
      return "'<='";
    case Tok::kGe:
      return "'>='";
    case Tok::kLt:
      return "'<'";
    case Tok::kGt:
      return "'>'";
    case Tok::kColon:
      return "':'";
    case Tok::kComma:
      return "','";
    case Tok::kLParen:
      return "'('";
    case Tok::kRParen:
      return "')'";
    case Tok::kLBracket:
      return "'['";
    case Tok::kRBracket:
      return "']'";
    case Tok::kLBrace:
      return "'{'";
    case Tok::kRBrace:
      return "'}'";
    case Tok::kNewline:
      return "the end of the line";
    case Tok::kIndent:
      return "an indented line";
    case Tok::kDedent:
      return "the end of the block";
    case Tok::kEnd:
      return "the end of the file";
  }
  return "?";
}

}  // namespace fleetflow::definition::dsl
