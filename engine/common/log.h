#pragma once
// Structured logs: one JSON object per line on stderr, so that a log shipper
// (or jq) reads them as they are. Thread-safe; a line is written whole.

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"

namespace fleetflow {

enum class LogLevel { kDebug, kInfo, kWarning, kError, kOff };

void SetLogLevel(LogLevel level);
bool LogEnabled(LogLevel level);

using LogField = std::pair<std::string_view, std::string_view>;
// {"ts":"...","level":"info","msg":"...", <fields>...}
void Log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields = {});

inline void LogWarning(std::string_view message, const absl::Status& status) {
  Log(LogLevel::kWarning, message, {{"status", std::string(status.ToString())}});
}
inline void LogError(std::string_view message, const absl::Status& status) {
  Log(LogLevel::kError, message, {{"status", std::string(status.ToString())}});
}

}  // namespace fleetflow
