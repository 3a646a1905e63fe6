#include "engine/definition/diagnostics.h"

#include <algorithm>

namespace fleetflow::definition {

namespace {

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::string ClosestName(const std::string& name, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = SIZE_MAX;
  std::string lowered = Lower(name);
  for (const std::string& c : candidates) {
    std::string lc = Lower(c);
    // A name that contains the other ("Upload" in "UploadMap") is a strong hint.
    size_t d = (lc.find(lowered) != std::string::npos || lowered.find(lc) != std::string::npos)
                   ? std::max(lc.size(), lowered.size()) - std::min(lc.size(), lowered.size())
                   : EditDistance(lowered, lc);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  size_t tolerance = std::max<size_t>(2, name.size() / 2);
  return best_distance <= tolerance ? best : "";
}

}  // namespace fleetflow::definition
