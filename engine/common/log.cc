#include "engine/common/log.h"

#include <atomic>
#include <cstdio>

#include "absl/time/clock.h"
#include "engine/common/timestamp.h"

namespace fleetflow {
namespace {

std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};

constexpr const char* kLevelNames[] = {"debug", "info", "warning", "error", "off"};

void AppendQuoted(std::string& out, std::string_view text) {
  out += '"';
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

}  // namespace

void SetLogLevel(LogLevel level) { g_level = static_cast<int>(level); }

bool LogEnabled(LogLevel level) { return static_cast<int>(level) >= g_level.load(); }

void Log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields) {
  if (!LogEnabled(level)) return;
  std::string line = "{\"ts\":";
  AppendQuoted(line, FormatTimestamp(absl::Now()));
  line += ",\"level\":";
  AppendQuoted(line, kLevelNames[static_cast<int>(level)]);
  line += ",\"msg\":";
  AppendQuoted(line, message);
  for (const auto& [key, value] : fields) {
    line += ',';
    AppendQuoted(line, key);
    line += ':';
    AppendQuoted(line, value);
  }
  line += "}\n";
  std::fwrite(line.data(), 1, line.size(), stderr);  // one write: lines do not interleave
}

}  // namespace fleetflow
