// fmt, export and import: the DSL's verbs (docs/dsl.md sections 5 and 6).

#include <fstream>
#include <iostream>

#include "engine/cli/commands.h"
#include "engine/definition/dsl/flow.h"
#include "engine/definition/loader.h"

namespace fleetflow::cli {

namespace {

namespace dsl = definition::dsl;

// An ASL file's document, validated; nullopt after printing its errors.
std::optional<json::Value> LoadAslFile(const std::string& path) {
  std::optional<std::string> text = ReadFile(path);
  if (!text) return std::nullopt;
  size_t first = text->find_first_not_of(" \t\r\n");
  auto doc = first != std::string::npos && (*text)[first] == '{' ? json::Parse(*text)
                                                                 : definition::ParseYaml(*text);
  if (!doc.ok()) {
    std::cerr << path << ": " << doc.status().message() << "\n";
    return std::nullopt;
  }
  definition::LoadResult loaded = definition::LoadAslDocument(*doc);
  if (!loaded.ok()) {
    for (const definition::Diagnostic& d : loaded.errors) {
      std::cerr << path << ": " << (d.location.empty() ? "/" : d.location) << ": " << d.message
                << "\n";
    }
    return std::nullopt;
  }
  return *std::move(doc);
}

}  // namespace

int Fmt(const FmtOptions& options) {
  dsl::FlowResult flow = dsl::LoadFlowFile(options.file);
  std::cerr << flow.Render();
  if (!flow.ok()) return 2;
  absl::StatusOr<std::string> text = dsl::FormatFlow(flow);
  if (!text.ok()) {
    std::cerr << options.file << ": " << text.status().message() << "\n";
    return 2;
  }
  if (*text == flow.source) return 0;
  if (options.check) {
    std::cerr << options.file << ": not in canonical form (run fleetflow fmt " << options.file
              << ")\n";
    return 1;
  }
  std::ofstream out(options.file, std::ios::binary | std::ios::trunc);
  out << *text;
  if (!out) {
    std::cerr << options.file << ": cannot write the file\n";
    return 2;
  }
  return 0;
}

int Export(const ExportOptions& options) {
  if (dsl::IsFlowFile(options.file)) {
    dsl::FlowResult flow = dsl::LoadFlowFile(options.file);
    std::cerr << flow.Render();
    if (!flow.ok()) return 2;
    std::cout << dsl::PrettyJson(flow.asl);
    return 0;
  }
  std::optional<json::Value> doc = LoadAslFile(options.file);
  if (!doc) return 2;
  std::cout << dsl::PrettyJson(*doc);
  return 0;
}

int Import(const ImportOptions& options) {
  std::optional<json::Value> doc = LoadAslFile(options.file);
  if (!doc) return 2;
  absl::StatusOr<std::string> text = dsl::PrintFlow(*doc);
  if (!text.ok()) {
    std::cerr << options.file << ": " << text.status().message() << "\n";
    return 2;
  }
  std::cout << *text;
  return 0;
}

}  // namespace fleetflow::cli
