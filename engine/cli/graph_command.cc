// `fleetflow graph`: a drawing of a machine as DOT, SVG (through Graphviz's
// `dot`) or Mermaid, optionally with the path of one execution (docs/graph.md).

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "engine/cli/commands.h"
#include "engine/cli/machine_commands.h"
#include "engine/common/strings.h"
#include "engine/definition/export/graph_export.h"
#include "engine/definition/loader.h"

namespace fleetflow::cli {

namespace {

namespace gx = definition::graph_export;

// Runs `dot -Tsvg` on `dot_text`; the SVG, or nullopt after a message.
std::optional<std::string> RenderSvg(const std::string& dot_text) {
  char in_name[] = "/tmp/fleetflow-graph-XXXXXX";
  int in_fd = mkstemp(in_name);
  if (in_fd < 0) {
    std::cerr << "graph: cannot create a temporary file: " << std::strerror(errno) << "\n";
    return std::nullopt;
  }
  std::string out_name = StrCat(in_name, ".svg");
  std::string err_name = StrCat(in_name, ".err");
  bool written =
      write(in_fd, dot_text.data(), dot_text.size()) == static_cast<ssize_t>(dot_text.size());
  close(in_fd);
  auto cleanup = [&] {
    unlink(in_name);
    unlink(out_name.c_str());
    unlink(err_name.c_str());
  };
  if (!written) {
    std::cerr << "graph: cannot write " << in_name << "\n";
    cleanup();
    return std::nullopt;
  }
  pid_t pid = fork();
  if (pid < 0) {
    std::cerr << "graph: cannot start dot: " << std::strerror(errno) << "\n";
    cleanup();
    return std::nullopt;
  }
  if (pid == 0) {
    FILE* err = std::freopen(err_name.c_str(), "w", stderr);
    (void)err;
    std::string out_arg = StrCat("-o", out_name);
    execlp("dot", "dot", "-Tsvg", out_arg.c_str(), in_name, static_cast<char*>(nullptr));
    _exit(errno == ENOENT ? 127 : 126);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  if (code == 127) {
    std::cerr << "graph: Graphviz's 'dot' command was not found on PATH; install Graphviz "
                 "(apt-get install graphviz, or deploy/local/install-deps), or use --format dot "
                 "or --format mermaid\n";
    cleanup();
    return std::nullopt;
  }
  std::optional<std::string> svg;
  if (code != 0) {
    std::cerr << "graph: dot failed (exit " << code << ")";
    if (auto err = ReadFile(err_name); err && !err->empty()) std::cerr << ":\n" << *err;
    std::cerr << "\n";
  } else {
    svg = ReadFile(out_name);
  }
  cleanup();
  return svg;
}

}  // namespace

int Graph(const GraphOptions& options) {
  std::optional<std::string> text = ReadDefinition(options.file, std::cerr);
  if (!text) return 2;
  definition::LoadResult loaded = definition::LoadAsl(*text);
  if (!loaded.ok()) {
    for (const definition::Diagnostic& d : loaded.errors) {
      std::cerr << options.file << ": " << (d.location.empty() ? "/" : d.location) << ": "
                << d.message << "\n";
    }
    return 2;
  }
  std::optional<json::Value> asl;
  if (text->find_first_not_of(" \t\r\n") != std::string::npos &&
      (*text)[text->find_first_not_of(" \t\r\n")] == '{') {
    if (auto doc = json::Parse(*text); doc.ok()) asl = *std::move(doc);
  } else if (auto doc = definition::ParseYaml(*text); doc.ok()) {
    asl = *std::move(doc);
  }

  gx::DrawOptions draw;
  if (asl) draw.asl = &*asl;
  std::string name = std::filesystem::path(options.file).filename().string();
  name = name.substr(0, name.find('.'));
  draw.title = name;
  std::optional<gx::PathOverlay> overlay;
  if (options.history_file) {
    std::optional<std::string> history = ReadFile(*options.history_file);
    if (!history) return 2;
    auto read = gx::ReadHistory(*history, *loaded.machine);
    if (!read.ok()) {
      std::cerr << *options.history_file << ": " << read.status().message() << "\n";
      return 2;
    }
    overlay = *std::move(read);
    draw.overlay = &*overlay;
    draw.title = StrCat(name, ": ", overlay->status);
    if (!overlay->error.empty()) {
      std::string cause =
          overlay->cause.size() > 90 ? overlay->cause.substr(0, 89) + "…" : overlay->cause;
      draw.title += StrCat(" with ", overlay->error, cause.empty() ? "" : ": ", cause);
    }
  }

  std::string out;
  if (options.format == "mermaid") {
    out = gx::ToMermaid(*loaded.machine, draw);
  } else {
    out = gx::ToDot(*loaded.machine, draw);
    if (options.format == "svg") {
      std::optional<std::string> svg = RenderSvg(out);
      if (!svg) return 3;
      out = *std::move(svg);
    }
  }
  if (!options.output_file) {
    std::cout << out;
    return 0;
  }
  std::ofstream file(*options.output_file, std::ios::binary);
  file << out;
  file.close();
  if (!file) {
    std::cerr << *options.output_file << ": cannot write the file\n";
    return 2;
  }
  return 0;
}

}  // namespace fleetflow::cli
