#include "engine/jsonata/unicode_case.h"

#include <algorithm>
#include <vector>

#include "engine/jsonata/utf8.h"

namespace fleetflow::jsonata::internal {
namespace {

constexpr uint32_t kCapitalSigma = 0x03A3;
constexpr uint32_t kFinalSigma = 0x03C2;

struct Table {
  const CaseRun* runs;
  size_t run_count;
  const CaseExpansion* expansions;
  size_t expansion_count;
};

const Table kUpper{kUpperRuns, kUpperRunCount, kUpperExpansions, kUpperExpansionCount};
const Table kLower{kLowerRuns, kLowerRunCount, kLowerExpansions, kLowerExpansionCount};

// The single-code-point mapping of `cp` (cp itself when there is none).
uint32_t MapSingle(const Table& t, uint32_t cp) {
  const CaseRun* end = t.runs + t.run_count;
  const CaseRun* run =
      std::upper_bound(t.runs, end, cp, [](uint32_t c, const CaseRun& r) { return c < r.start; });
  if (run == t.runs) return cp;
  --run;
  uint32_t offset = cp - run->start;
  if (offset % run->stride != 0 || offset / run->stride >= run->count) return cp;
  return static_cast<uint32_t>(static_cast<int64_t>(cp) + run->delta);
}

const CaseExpansion* FindExpansion(const Table& t, uint32_t cp) {
  const CaseExpansion* end = t.expansions + t.expansion_count;
  const CaseExpansion* e = std::lower_bound(
      t.expansions, end, cp, [](const CaseExpansion& x, uint32_t c) { return x.from < c; });
  return e != end && e->from == cp ? e : nullptr;
}

void AppendMapped(const Table& t, uint32_t cp, bool upper, std::string& out) {
  if (cp < 128) {
    if (upper && cp >= 'a' && cp <= 'z') cp -= 32;
    if (!upper && cp >= 'A' && cp <= 'Z') cp += 32;
    out.push_back(static_cast<char>(cp));
    return;
  }
  if (const CaseExpansion* e = FindExpansion(t, cp)) {
    for (uint32_t to : e->to)
      if (to != 0) AppendUtf8(out, to);
    return;
  }
  AppendUtf8(out, MapSingle(t, cp));
}

// Approximations of Unicode's Cased and Case_Ignorable properties, enough
// for the final-sigma rule: a letter is cased when it has a case mapping;
// apostrophes, periods, colons, modifier letters and combining marks are
// skipped over.
bool IsCased(uint32_t cp) {
  if (cp < 128) return (cp | 32) >= 'a' && (cp | 32) <= 'z';
  return MapSingle(kUpper, cp) != cp || MapSingle(kLower, cp) != cp ||
         FindExpansion(kUpper, cp) != nullptr;
}

bool IsCaseIgnorable(uint32_t cp) {
  switch (cp) {
    case 0x27:
    case 0x2E:
    case 0x3A:
    case 0x5E:
    case 0x60:
    case 0xA8:
    case 0xAD:
    case 0xAF:
    case 0xB4:
    case 0xB7:
    case 0xB8:
    case 0x2018:
    case 0x2019:
    case 0x2024:
      return true;
    default:
      return cp >= 0x02B0 && cp <= 0x036F;
  }
}

// Σ at `i` is word-final: a cased letter before it and none after it, case
// ignorable characters in between not counting.
bool IsFinalSigma(const std::vector<uint32_t>& cps, size_t i) {
  size_t before = i;
  while (before > 0 && IsCaseIgnorable(cps[before - 1])) --before;
  if (before == 0 || !IsCased(cps[before - 1])) return false;
  size_t after = i + 1;
  while (after < cps.size() && IsCaseIgnorable(cps[after])) ++after;
  return after == cps.size() || !IsCased(cps[after]);
}

}  // namespace

uint32_t SimpleUppercase(uint32_t cp) {
  if (cp < 128) return cp >= 'a' && cp <= 'z' ? cp - 32 : cp;
  return MapSingle(kUpper, cp);
}

uint32_t SimpleLowercase(uint32_t cp) {
  if (cp < 128) return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
  return MapSingle(kLower, cp);
}

std::string ToUpperCase(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t pos = 0; pos < text.size();) AppendMapped(kUpper, DecodeUtf8(text, pos), true, out);
  return out;
}

std::string ToLowerCase(std::string_view text) {
  std::vector<uint32_t> cps;
  for (size_t pos = 0; pos < text.size();) cps.push_back(DecodeUtf8(text, pos));
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < cps.size(); ++i) {
    if (cps[i] == kCapitalSigma && IsFinalSigma(cps, i)) {
      AppendUtf8(out, kFinalSigma);
      continue;
    }
    AppendMapped(kLower, cps[i], false, out);
  }
  return out;
}

}  // namespace fleetflow::jsonata::internal
