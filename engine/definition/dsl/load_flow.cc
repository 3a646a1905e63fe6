// Loading a .flow file in the phases of docs/dsl.md section 7: lexical,
// syntax, semantics (names and imports; links; then ASL's own validator,
// whose JSON pointers are mapped back to DSL positions).

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "engine/definition/diagnostics.h"
#include "engine/definition/dsl/flow.h"
#include "engine/definition/dsl/lexer.h"
#include "engine/definition/dsl/parser.h"
#include "engine/definition/loader.h"

namespace fleetflow::definition::dsl {

namespace fs = std::filesystem;

namespace {

constexpr size_t kMaxDiagnostics = 50;

std::vector<std::string>& DefaultImportPath() {
  static std::vector<std::string> directories;
  return directories;
}

std::optional<std::string> ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void Sort(std::vector<SourceDiagnostic>& d) {
  std::stable_sort(d.begin(), d.end(), [](const SourceDiagnostic& a, const SourceDiagnostic& b) {
    if (a.warning != b.warning) return !a.warning;
    if (a.span.line != b.span.line) return a.span.line < b.span.line;
    return a.span.col < b.span.col;
  });
  if (d.size() > kMaxDiagnostics) d.resize(kMaxDiagnostics);
}

// Duplicate and over-long state names (phase 3a).
void CheckNames(const ParseOutput& p, std::vector<SourceDiagnostic>& out) {
  std::map<std::string, int> first;
  for (const StateRecord& s : p.states) {
    auto [it, fresh] = first.emplace(s.name, s.span.line);
    if (!fresh) {
      out.push_back({"", s.span,
                     "duplicate state name '" + s.name + "' (first at line " +
                         std::to_string(it->second) + ")",
                     "names are unique in the whole machine, branches and maps included"});
    }
    int length = CodePoints(s.name);
    if (length > 80 || length == 0) {
      out.push_back({"", s.span,
                     length == 0 ? std::string("a state name cannot be empty")
                                 : "a state name has at most 80 characters; this one has " +
                                       std::to_string(length),
                     "shorten it; put the details in a '##' comment"});
    }
  }
}

// Next, ->, else and start name a state of their own block; the last state
// of a block says how it ends (phase 3b).
void CheckLinks(const ParseOutput& p, std::vector<SourceDiagnostic>& out) {
  std::map<std::string, int> block_of;
  for (const StateRecord& s : p.states) block_of.emplace(s.name, s.block);
  for (const LinkRecord& l : p.links) {
    auto it = block_of.find(l.target);
    if (it != block_of.end() && it->second == l.block) continue;
    if (it != block_of.end()) {
      out.push_back({"", l.span,
                     "'" + l.target + "' is a state of another block (" +
                         p.blocks[static_cast<size_t>(it->second)].description + ")",
                     "a state can only go to states of its own block"});
      continue;
    }
    std::vector<std::string> candidates;
    for (const StateRecord& s : p.states) {
      if (s.block == l.block) candidates.push_back(s.name);
    }
    std::string close = ClosestName(l.target, candidates);
    out.push_back({"", l.span,
                   "unknown state '" + l.target + "'" +
                       (close.empty() ? "" : "; did you mean '" + close + "'?"),
                   "'" + l.word + "' names a state of the same block"});
  }
  for (const StateRecord& s : p.missing_end) {
    out.push_back({"", s.span,
                   "state '" + s.name + "' is the last of its block and has no 'next' or 'end'",
                   "add 'end', or 'next' and a state name"});
  }
}

// The validator speaks ASL; a few of its messages are said in DSL words.
void TranslateValidatorMessage(SourceDiagnostic& d) {
  const std::string kMiddle = "\" cannot be reached from StartAt \"";
  size_t middle = d.message.find(kMiddle);
  if (d.message.rfind("state \"", 0) == 0 && middle != std::string::npos &&
      d.message.back() == '"') {
    std::string state = d.message.substr(7, middle - 7);
    std::string start = d.message.substr(middle + kMiddle.size());
    start.pop_back();
    d.message = "state '" + state + "' cannot be reached from '" + start + "'";
    d.hint = "remove it, or let a 'next', 'when', 'else' or 'catch' go to it";
  }
}

class ImportResolver {
 public:
  ImportResolver(const FlowOptions& options, std::set<std::string>& loading)
      : options_(options), loading_(loading) {}

  void Resolve(const ParseOutput& p, FlowResult& result, std::vector<SourceDiagnostic>& out) {
    std::set<std::string> bound;
    for (const ImportRecord& imp : p.imports) {
      if (!bound.insert(imp.name).second) {
        out.push_back(
            {"", imp.span, "machine '" + imp.name + "' is imported twice", "keep one import line"});
        continue;
      }
      if (!options_.resolve_imports) continue;
      std::string error;
      std::string path = imp.path.empty() ? Find(imp.name, error) : Quoted(imp.path, error);
      if (path.empty()) {
        out.push_back({"", imp.span,
                       error.empty() ? "no machine '" + imp.name + "' to import" : error,
                       "an import names NAME.flow, NAME.asl.json or NAME.asl.yaml (or "
                       "NAME/NAME.*) next to this file, in its parent directory, or on "
                       "--import-path"});
        continue;
      }
      Load(imp, path, result, out);
    }
    for (const RunRecord& r : p.runs) {
      if (bound.count(r.machine)) continue;
      out.push_back({"", r.span, "machine '" + r.machine + "' is not imported",
                     "add 'import " + r.machine + "' at the top of the file"});
    }
    std::set<std::string> used;
    for (const RunRecord& r : p.runs) used.insert(r.machine);
    for (const ImportRecord& imp : p.imports) {
      if (used.count(imp.name)) continue;
      result.diagnostics.push_back({"", imp.span, "import '" + imp.name + "' is not used",
                                    "remove it, or call it with 'run STATE " + imp.name + "'",
                                    true});
    }
  }

 private:
  std::vector<std::string> Directories() const {
    std::vector<std::string> dirs;
    if (!options_.directory.empty()) {
      dirs.push_back(options_.directory);
      fs::path parent = fs::path(options_.directory).parent_path();
      if (!parent.empty()) dirs.push_back(parent.string());
    }
    for (const auto& d : options_.import_path) dirs.push_back(d);
    return dirs;
  }

  std::string Find(const std::string& name, std::string& error) const {
    static const char* kExtensions[] = {".flow", ".asl.json", ".asl.yaml", ".asl.yml"};
    for (const std::string& dir : Directories()) {
      std::vector<std::string> found;
      for (const std::string& sub : {std::string(), name + "/"}) {
        for (const char* ext : kExtensions) {
          fs::path candidate = fs::path(dir) / (sub + name + ext);
          std::error_code ec;
          if (fs::is_regular_file(candidate, ec)) found.push_back(candidate.string());
        }
      }
      if (found.size() > 1) {
        error =
            "machine '" + name + "' is ambiguous in " + dir + ": " + found[0] + " and " + found[1];
        return "";
      }
      if (found.size() == 1) return found[0];
    }
    return "";
  }

  std::string Quoted(const std::string& path, std::string& error) const {
    fs::path p =
        fs::path(path).is_absolute() ? fs::path(path) : fs::path(options_.directory) / path;
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) return p.string();
    error = "no file '" + path + "' to import";
    return "";
  }

  void Load(const ImportRecord& imp, const std::string& path, FlowResult& result,
            std::vector<SourceDiagnostic>& out) {
    std::string key = fs::weakly_canonical(path).string();
    ImportedMachine machine{imp.name, path, nullptr};
    if (loading_.count(key)) {  // a cycle: loaded further up
      result.imports.push_back(std::move(machine));
      return;
    }
    loading_.insert(key);
    std::string problem;
    if (IsFlowFile(path)) {
      FlowOptions nested = options_;
      std::error_code ec;
      nested.directory = fs::absolute(fs::path(path), ec).parent_path().string();
      auto text = ReadText(path);
      if (!text) {
        problem = "cannot read it";
      } else {
        FlowResult r = LoadFlow(*text, path, nested);
        if (!r.ok()) {
          problem = r.diagnostics.front().file + ":" +
                    std::to_string(r.diagnostics.front().span.line) + ": " +
                    r.diagnostics.front().message;
        }
        machine.asl = r.asl;
        for (auto& m : r.imports) result.imports.push_back(std::move(m));
      }
    } else {
      auto text = ReadText(path);
      LoadResult r = text ? LoadAsl(*text) : LoadResult{};
      if (!text) {
        problem = "cannot read it";
      } else if (!r.ok()) {
        problem = r.errors.front().location + ": " + r.errors.front().message;
      } else {
        size_t first = text->find_first_not_of(" \t\r\n");
        auto doc = first != std::string::npos && (*text)[first] == '{' ? json::Parse(*text)
                                                                       : ParseYaml(*text);
        if (doc.ok()) machine.asl = *doc;
      }
    }
    if (!problem.empty()) {
      out.push_back({"", imp.span,
                     "imported machine '" + imp.name + "' (" + path + ") is invalid: " + problem,
                     "run fleetflow validate " + path});
      return;
    }
    result.imports.push_back(std::move(machine));
  }

  const FlowOptions& options_;
  std::set<std::string>& loading_;
};

FlowResult LoadFlowImpl(std::string_view text, const std::string& file_name,
                        const FlowOptions& options, std::set<std::string>& loading) {
  FlowResult result;
  result.source = std::string(text);
  auto finish = [&](std::vector<SourceDiagnostic> errors) {
    for (auto& d : result.diagnostics) errors.push_back(std::move(d));
    result.diagnostics = std::move(errors);
    for (auto& d : result.diagnostics) d.file = file_name;
    Sort(result.diagnostics);
    if (!result.ok()) {
      result.asl = nullptr;
      result.machine = nullptr;
    }
    return std::move(result);
  };
  LexResult lexed = Lex(text);
  for (PlainComment& c : lexed.comments) {
    result.comments.push_back({c.line, std::move(c.text), c.trailing, c.in_brackets});
  }
  if (!lexed.errors.empty()) return finish(std::move(lexed.errors));
  ParseOutput parsed = Parse(lexed.tokens);
  for (LineAnchor& a : parsed.anchors) result.statements.push_back({a.line, std::move(a.anchor)});
  if (!parsed.errors.empty()) return finish(std::move(parsed.errors));
  std::vector<SourceDiagnostic> errors;
  CheckNames(parsed, errors);
  ImportResolver(options, loading).Resolve(parsed, result, errors);
  if (!errors.empty()) return finish(std::move(errors));
  CheckLinks(parsed, errors);
  if (!errors.empty()) return finish(std::move(errors));
  LoadResult loaded = LoadAslDocument(parsed.document);
  for (const Diagnostic& d : loaded.errors) {
    SourceDiagnostic diag{"", parsed.map.Find(d.location), d.message,
                          "in the exported ASL at " + (d.location.empty() ? "/" : d.location) +
                              " (fleetflow export --asl shows it)"};
    TranslateValidatorMessage(diag);
    errors.push_back(std::move(diag));
  }
  result.asl = std::move(parsed.document);
  result.machine = loaded.machine;
  return finish(std::move(errors));
}

void AppendPretty(std::string& out, const json::Value& v, int indent) {
  std::string pad(static_cast<size_t>(indent + 2), ' ');
  if (v.is_object() && !v.get_object().empty()) {
    out += "{\n";
    bool first = true;
    for (const auto& kv : v.get_object()) {
      if (!first) out += ",\n";
      first = false;
      out += pad;
      json::AppendQuoted(out, kv.key());
      out += ": ";
      AppendPretty(out, kv.value(), indent + 2);
    }
    out += "\n" + std::string(static_cast<size_t>(indent), ' ') + "}";
  } else if (v.is_array() && !v.get_array().empty()) {
    out += "[\n";
    bool first = true;
    for (const auto& item : v.get_array()) {
      if (!first) out += ",\n";
      first = false;
      out += pad;
      AppendPretty(out, item, indent + 2);
    }
    out += "\n" + std::string(static_cast<size_t>(indent), ' ') + "]";
  } else {
    json::AppendSerialized(out, v);
  }
}

}  // namespace

size_t FlowResult::error_count() const {
  size_t n = 0;
  for (const auto& d : diagnostics) n += !d.warning;
  return n;
}

std::string FlowResult::Render() const {
  std::string out;
  for (const auto& d : diagnostics) out += RenderDiagnostic(d, source);
  return out;
}

FlowResult LoadFlow(std::string_view text, const std::string& file_name,
                    const FlowOptions& options) {
  std::set<std::string> loading;
  return LoadFlowImpl(text, file_name, options, loading);
}

FlowResult LoadFlowFile(const std::string& path, FlowOptions options) {
  if (options.directory.empty()) {
    std::error_code ec;
    fs::path absolute = fs::absolute(fs::path(path), ec);
    options.directory = (ec ? fs::path(path) : absolute).parent_path().string();
    if (options.directory.empty()) options.directory = ".";
  }
  for (const std::string& dir : DefaultImportPath()) options.import_path.push_back(dir);
  if (const char* env = std::getenv("FLEETFLOW_PATH")) {
    std::string list = env;
    size_t start = 0;
    while (start <= list.size()) {
      size_t colon = list.find(':', start);
      std::string dir = list.substr(start, colon == std::string::npos ? colon : colon - start);
      if (!dir.empty()) options.import_path.push_back(dir);
      if (colon == std::string::npos) break;
      start = colon + 1;
    }
  }
  auto text = ReadText(path);
  if (!text) {
    FlowResult r;
    r.diagnostics.push_back({path, {1, 1, 0}, "cannot open the file", "", false});
    return r;
  }
  std::set<std::string> loading{fs::weakly_canonical(path).string()};
  return LoadFlowImpl(*text, path, options, loading);
}

void SetDefaultImportPath(std::vector<std::string> directories) {
  DefaultImportPath() = std::move(directories);
}

std::string PrettyJson(const json::Value& value) {
  std::string out;
  AppendPretty(out, value, 0);
  out += "\n";
  return out;
}

bool IsFlowFile(std::string_view path) {
  return path.size() >= 5 && path.substr(path.size() - 5) == ".flow";
}

}  // namespace fleetflow::definition::dsl
