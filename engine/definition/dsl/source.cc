#include "engine/definition/dsl/source.h"

#include <cstdio>

namespace fleetflow::definition::dsl {

SourceSpan SourceMap::Find(std::string_view pointer) const {
  while (true) {
    auto it = entries_.find(pointer);
    if (it != entries_.end()) return it->second;
    if (pointer.empty()) return SourceSpan{};
    size_t slash = pointer.rfind('/');
    pointer = slash == std::string_view::npos ? std::string_view() : pointer.substr(0, slash);
  }
}

void SourceMap::Rename(const std::string& from, const std::string& to) {
  auto it = entries_.lower_bound(from);
  std::vector<std::pair<std::string, SourceSpan>> moved;
  while (it != entries_.end() && it->first.compare(0, from.size(), from) == 0) {
    if (it->first.size() == from.size() || it->first[from.size()] == '/') {
      moved.emplace_back(to + it->first.substr(from.size()), it->second);
      it = entries_.erase(it);
    } else {
      ++it;
    }
  }
  for (auto& [pointer, span] : moved) entries_.emplace(std::move(pointer), span);
}

int CodePoints(std::string_view text) {
  int n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

std::string_view SourceLine(std::string_view source, int line) {
  size_t start = 0;
  for (int l = 1; l < line; ++l) {
    size_t nl = source.find('\n', start);
    if (nl == std::string_view::npos) return {};
    start = nl + 1;
  }
  size_t end = source.find('\n', start);
  std::string_view text =
      source.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  return text;
}

std::string RenderDiagnostic(const SourceDiagnostic& d, std::string_view source) {
  std::string out = d.file + ":" + std::to_string(d.span.line) + ":" + std::to_string(d.span.col) +
                    (d.warning ? ": warning: " : ": error: ") + d.message + "\n";
  std::string_view line = SourceLine(source, d.span.line);
  if (d.span.line == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);  // BOM
  char number[16];
  std::snprintf(number, sizeof number, "%5d", d.span.line);
  out += number;
  out += " | ";
  for (char c : line) out += c == '\t' ? ' ' : c;
  out += "\n      | ";
  out.append(static_cast<size_t>(std::max(0, d.span.col - 1)), ' ');
  out += '^';
  if (d.span.length > 1) out.append(static_cast<size_t>(d.span.length - 1), '~');
  out += "\n";
  if (!d.hint.empty()) out += "hint: " + d.hint + "\n";
  return out;
}

}  // namespace fleetflow::definition::dsl
