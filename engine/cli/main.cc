// The `fleetflow` command line.

#include <CLI/CLI.hpp>
#include <iostream>

#include "engine/cli/commands.h"
#include "engine/cli/machine_commands.h"
#include "engine/definition/dsl/flow.h"

int main(int argc, char** argv) {
  CLI::App app{"fleetflow: a durable Step Functions engine for robot fleets"};
  app.require_subcommand(1);

  fleetflow::cli::RunOptions run;
  CLI::App* run_cmd =
      app.add_subcommand("run", "Run one execution in this process and print its output");
  run_cmd
      ->add_option("--definition,-d", run.definition_file, "ASL file (JSON or YAML) or .flow file")
      ->required();
  auto* input = run_cmd->add_option("--input", run.input_json, "The execution input, as JSON");
  run_cmd->add_option("--input-file", run.input_file, "Read the input from this file")
      ->excludes(input);
  auto* mocks =
      run_cmd->add_option("--mocks", run.mocks_file, "Step Functions Local mock config file");
  auto* test_case =
      run_cmd->add_option("--test-case", run.test_case, "Test case in the mock config");
  mocks->needs(test_case);
  test_case->needs(mocks);
  run_cmd->add_option("--name", run.machine_name, "State machine name (default: the file name)");
  run_cmd->add_option("--execution-name", run.execution_name, "Execution name (default: random)");
  run_cmd->add_option("--seed", run.seed, "Seed for MathRandom, UUID and retry jitter");
  run_cmd
      ->add_option("--max-events", run.max_events,
                   "Fail the execution after this many history events (default 25000, as AWS)")
      ->check(CLI::PositiveNumber);
  run_cmd->add_flag("--virtual-time", run.virtual_time,
                    "Skip every wait instantly on a virtual clock");
  run_cmd->add_flag("--roundtrip-state", run.roundtrip_state,
                    "Encode and decode the execution state after every step, as the server "
                    "does (a check of the state codec)");
  run_cmd->add_flag("--history", run.history, "Print the history events as JSON lines to stderr");

  fleetflow::cli::ValidateOptions validate;
  CLI::App* validate_cmd =
      app.add_subcommand("validate", "Check a definition and print every error");
  validate_cmd
      ->add_option("file", validate.definition_file, "ASL file (JSON or YAML) or .flow file")
      ->required();

  fleetflow::cli::ServeOptions serve;
  CLI::App* serve_cmd = app.add_subcommand(
      "server", "Serve the gRPC API over a durable store (stops cleanly on SIGTERM)");
  serve_cmd->add_option(
      "--store", serve.store,
      "sqlite:PATH (default sqlite:fleetflow.db) or postgresql://USER@HOST:PORT/DB");
  serve_cmd->add_option("--listen", serve.listen, "HOST:PORT (default 127.0.0.1:7707)");
  serve_cmd
      ->add_option("--activity-lease", serve.activity_lease_seconds,
                   "Seconds a worker keeps an activity task without a heartbeat (default 300)")
      ->check(CLI::PositiveNumber);

  fleetflow::cli::WorkerOptions worker;
  CLI::App* worker_cmd = app.add_subcommand(
      "worker", "Run COMMAND for each task of an activity (input on stdin, JSON output on stdout)");
  worker_cmd->add_option("--server", worker.server,
                         "Server HOST:PORT (default: $FLEETFLOW_SERVER, else 127.0.0.1:7707)");
  worker_cmd->add_option("--activity", worker.activity, "Activity name")->required();
  worker_cmd->add_option("--name", worker.worker_name, "Worker name (default: worker-PID)");
  worker_cmd->add_option("command", worker.command, "-- COMMAND ARGS...")->required();

  fleetflow::cli::FmtOptions fmt;
  CLI::App* fmt_cmd = app.add_subcommand("fmt", "Rewrite a .flow file in canonical form");
  fmt_cmd->add_option("file", fmt.file, ".flow file")->required();
  fmt_cmd->add_flag("--check", fmt.check, "Only report (exit 1) when the file is not canonical");

  fleetflow::cli::ExportOptions export_options;
  CLI::App* export_cmd = app.add_subcommand("export", "Print a definition as ASL JSON");
  export_cmd->add_flag("--asl", export_options.asl, "ASL JSON (the only format so far)");
  export_cmd->add_option("file", export_options.file, ".flow or ASL file")->required();

  fleetflow::cli::ImportOptions import_options;
  CLI::App* import_cmd =
      app.add_subcommand("import", "Print an ASL definition (JSON or YAML) as .flow text");
  import_cmd->add_option("file", import_options.file, "ASL file")->required();

  fleetflow::cli::TestOptions test;
  CLI::App* test_cmd = app.add_subcommand(
      "test", "Run machines against their test files (NAME.test.json: mocks and expectations)");
  test_cmd
      ->add_option("paths", test.paths,
                   "Directories (searched for *.test.json), test files or machine files")
      ->required();
  test_cmd->add_option("--history-dir", test.history_dir,
                       "Write each case's history there as MACHINE.CASE.json");

  fleetflow::cli::GraphOptions graph;
  CLI::App* graph_cmd =
      app.add_subcommand("graph", "Draw a machine (DOT, SVG through Graphviz, or Mermaid)");
  graph_cmd->add_option("file", graph.file, ".flow or ASL file")->required();
  graph_cmd->add_option("--format,-f", graph.format, "dot (default), svg or mermaid")
      ->check(CLI::IsMember({"dot", "svg", "mermaid"}));
  graph_cmd->add_option("--execution-history", graph.history_file,
                        "Highlight the path of this execution (history as printed by run "
                        "--history, history, or GetExecutionHistory)");
  graph_cmd->add_option("--output,-o", graph.output_file, "Write to this file (default: stdout)");

  // Where the verbs that read .flow files look for imported machines
  // (docs/dsl.md section 5); one directory per flag, repeatable.
  std::vector<std::string> import_path;
  for (CLI::App* cmd : {run_cmd, validate_cmd, fmt_cmd, export_cmd, test_cmd, graph_cmd}) {
    cmd->add_option("--import-path", import_path,
                    "Also look for imported machines in DIR (repeatable; searched after the "
                    "file's own and parent directories, before $FLEETFLOW_PATH)")
        ->type_name("DIR")
        ->allow_extra_args(false);
  }

  int exit_code = 2;
  fleetflow::cli::AddClientCommands(app, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  fleetflow::definition::dsl::SetDefaultImportPath(import_path);
  if (*run_cmd) return fleetflow::cli::Run(run);
  if (*validate_cmd) return fleetflow::cli::Validate(validate);
  if (*serve_cmd) return fleetflow::cli::Serve(serve);
  if (*worker_cmd) return fleetflow::cli::Work(worker);
  if (*fmt_cmd) return fleetflow::cli::Fmt(fmt);
  if (*export_cmd) return fleetflow::cli::Export(export_options);
  if (*import_cmd) return fleetflow::cli::Import(import_options);
  if (*test_cmd) return fleetflow::cli::Test(test);
  if (*graph_cmd) return fleetflow::cli::Graph(graph);
  return exit_code;  // set by the client verb's callback
}
