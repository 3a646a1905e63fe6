#include <fstream>
#include <iostream>
#include <sstream>

#include "engine/cli/commands.h"

namespace fleetflow::cli {

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << path << ": cannot open the file\n";
    return std::nullopt;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace fleetflow::cli
