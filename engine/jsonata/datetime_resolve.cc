#include "engine/jsonata/datetime_resolve.h"

#include <vector>

#include "absl/time/civil_time.h"
#include "engine/jsonata/errors.h"

namespace fleetflow::jsonata::internal {
namespace {

// One unit of the date or time, largest first.
struct Unit {
  std::optional<int64_t> given;
  int64_t now;
  int64_t least;
};

std::optional<int64_t> Get(const std::map<char, int64_t>& v, char c) {
  auto it = v.find(c);
  return it == v.end() ? std::nullopt : std::optional<int64_t>(it->second);
}

// [H], or [h] on the half of the day [P] names (an absent [h] is 12).
std::optional<int64_t> Hour(const std::map<char, int64_t>& v) {
  if (auto h = Get(v, 'H')) return h;
  auto pm = Get(v, 'P');
  if (!pm) return std::nullopt;
  int64_t h = Get(v, 'h').value_or(12);
  return h % 12 + 12 * *pm;
}

// Given units as they are; before the first given one, now's; after it, the
// least value.
std::vector<int64_t> Complete(const std::vector<Unit>& units) {
  std::vector<int64_t> out;
  bool seen = false;
  for (const Unit& u : units) {
    seen |= u.given.has_value();
    out.push_back(u.given ? *u.given : seen ? u.least : u.now);
  }
  return out;
}

// The day of year `year`, `yday` or of `year`, `month`, `day`, if it exists.
std::optional<absl::CivilDay> Day(int64_t year, int64_t yday, int64_t month, int64_t day,
                                  bool ordinal) {
  if (ordinal) {
    absl::CivilDay jan1(year, 1, 1);
    if (yday < 1 || yday > absl::CivilDay(year + 1, 1, 1) - jan1) return std::nullopt;
    return jan1 + (yday - 1);
  }
  if (month < 1 || month > 12 || day < 1) return std::nullopt;
  absl::CivilMonth m(year, month);
  if (day > absl::CivilDay(m + 1) - absl::CivilDay(m)) return std::nullopt;
  return absl::CivilDay(year, month, day);
}

}  // namespace

void CheckComponents(std::string_view given, int position) {
  auto has = [&](char c) { return given.find(c) != std::string_view::npos; };
  bool hour = has('H') || has('P');
  bool time[] = {hour, has('m'), has('s'), has('f')};
  int first = -1, last = -1, count = 0;
  for (int i = 0; i < 4; ++i) {
    if (!time[i]) continue;
    if (first < 0) first = i;
    last = i;
    ++count;
  }
  bool date = has('Y') || has('M') || has('D') || has('d');
  bool week = has('X') || has('W') || has('x') || has('w');
  bool valid = !(has('h') && !hour) && !(has('d') && (has('M') || has('D'))) &&
               !(has('Y') && has('D') && !has('M')) && !(week && !date) &&
               (count == 0 || last - first + 1 == count) &&
               !(date && count > 0 && (!(has('D') || has('d')) || first != 0));
  if (!valid) Throw("D3136", position);
}

std::optional<double> Resolve(const std::map<char, int64_t>& v, absl::Time now) {
  int64_t offset = Get(v, 'Z').value_or(Get(v, 'z').value_or(0));
  absl::CivilSecond local = absl::ToCivilSecond(now + absl::Minutes(offset), absl::UTCTimeZone());
  std::optional<int64_t> hour = Hour(v);
  if (hour && (*hour < 0 || *hour > 23)) return std::nullopt;
  bool ordinal = v.count('d') > 0;
  std::vector<Unit> units = {{Get(v, 'Y'), local.year(), 0}};
  if (ordinal) {
    units.push_back({Get(v, 'd'), absl::GetYearDay(absl::CivilDay(local)), 1});
  } else {
    units.push_back({Get(v, 'M'), local.month(), 1});
    units.push_back({Get(v, 'D'), local.day(), 1});
  }
  units.push_back({hour, local.hour(), 0});
  units.push_back({Get(v, 'm'), local.minute(), 0});
  units.push_back({Get(v, 's'), local.second(), 0});
  units.push_back({Get(v, 'f'), 0, 0});
  std::vector<int64_t> x = Complete(units);
  size_t t = ordinal ? 2 : 3;  // where the time units start
  if (x[t + 1] > 59 || x[t + 2] > 59) return std::nullopt;
  std::optional<absl::CivilDay> day =
      ordinal ? Day(x[0], x[1], 0, 0, true) : Day(x[0], 0, x[1], x[2], false);
  if (!day) return std::nullopt;
  double days = static_cast<double>(*day - absl::CivilDay(1970, 1, 1));
  return days * 86400000.0 + ((x[t] * 60 + x[t + 1]) * 60 + x[t + 2]) * 1000.0 +
         static_cast<double>(x[t + 3]) - static_cast<double>(offset) * 60000.0;
}

}  // namespace fleetflow::jsonata::internal
