#include "engine/jsonata/datetime.h"

#include <cmath>
#include <cstdio>

#include "absl/time/civil_time.h"
#include "engine/jsonata/errors.h"

namespace fleetflow::jsonata::internal {

std::string FormatDateTime(double millis, std::string_view picture, std::string_view timezone,
                           int position) {
  (void)picture;
  (void)timezone;
  (void)position;
  int64_t ms = static_cast<int64_t>(std::floor(millis));
  absl::Time t = absl::FromUnixMillis(ms);
  absl::CivilSecond cs = absl::ToCivilSecond(t, absl::UTCTimeZone());
  int frac = static_cast<int>(((ms % 1000) + 1000) % 1000);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02d-%02dT%02d:%02d:%02d.%03dZ",
                static_cast<long long>(cs.year()), cs.month(), cs.day(), cs.hour(), cs.minute(),
                cs.second(), frac);
  return buf;
}

std::optional<double> ParseIsoDateTime(std::string_view text, int position) {
  (void)text;
  Throw("D3110", position, "", std::string(text));
}

std::optional<double> ParseDateTime(std::string_view text, std::string_view picture, int position) {
  (void)text;
  (void)picture;
  (void)position;
  return std::nullopt;
}

}  // namespace fleetflow::jsonata::internal
