// `fleetflow worker --activity NAME -- COMMAND...`: a demo activity worker.
// For each task it runs COMMAND with the task's input on stdin; a zero exit
// with JSON on stdout completes the task with that JSON, anything else fails
// it. SIGINT/SIGTERM stop it after the task in hand.

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include "engine/cli/client.h"
#include "engine/cli/commands.h"
#include "engine/json/json.h"
#include "fleetflow/v1/tasks.grpc.pb.h"

namespace fleetflow::cli {
namespace {

namespace v1 = ::fleetflow::v1;

std::atomic<bool> g_stop{false};
std::mutex g_call_mu;
grpc::ClientContext* g_call = nullptr;  // the poll in progress, cancelled on a signal

struct CommandResult {
  int exit_code = -1;
  std::string out, err;
};

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Files, not pipes: no deadlock whatever the command writes, and no threads.
CommandResult RunCommand(const std::vector<std::string>& argv, const std::string& input) {
  char dir_template[] = "/tmp/fleetflow-worker-XXXXXX";
  if (mkdtemp(dir_template) == nullptr) {
    return {-1, "", "cannot create a temporary directory for the command's input and output"};
  }
  std::string dir = dir_template;
  std::string in_path = dir + "/in", out_path = dir + "/out", err_path = dir + "/err";
  std::ofstream(in_path, std::ios::binary) << input;
  CommandResult result;
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    // The worker blocks SIGTERM/SIGINT for its signal thread; the command
    // must get them as usual.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    int in = open(in_path.c_str(), O_RDONLY);
    int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    execvp(args[0], args.data());
    std::perror(args[0]);
    _exit(127);
  }
  int status = 0;
  if (pid > 0 && waitpid(pid, &status, 0) == pid) {
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  result.out = Slurp(out_path);
  result.err = Slurp(err_path);
  std::remove(in_path.c_str());
  std::remove(out_path.c_str());
  std::remove(err_path.c_str());
  rmdir(dir.c_str());
  return result;
}

// The last `n` bytes at most, starting on a whole UTF-8 character, with any
// byte that is not valid text replaced: the cause must be a valid proto string.
std::string Tail(const std::string& text, size_t n) {
  size_t start = text.size() <= n ? 0 : text.size() - n;
  while (start < text.size() && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) ++start;
  std::string out;
  for (size_t i = start; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    size_t len = c < 0x80           ? 1
                 : (c >> 5) == 0x6  ? 2
                 : (c >> 4) == 0xE  ? 3
                 : (c >> 3) == 0x1E ? 4
                                    : 0;
    bool whole = len > 0 && i + len <= text.size();
    for (size_t k = 1; whole && k < len; ++k) {
      whole = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    }
    if (whole) {
      out.append(text, i, len);
      i += len;
    } else {
      out += '?';
      ++i;
    }
  }
  return out;
}

}  // namespace

int Work(const WorkerOptions& options) {
  auto channel = Connect(ServerAddress(options.server));
  if (!channel) return kExitNoServer;
  // A thread takes the signals: it stops the loop and cancels the poll in
  // progress, so the worker stops at once, not when the long poll ends.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::thread([signals] {
    int signal = 0;
    sigwait(&signals, &signal);
    g_stop = true;
    std::lock_guard lock(g_call_mu);
    if (g_call) g_call->TryCancel();
  }).detach();

  v1::Activities::Stub activities(channel);
  v1::Tasks::Stub tasks(channel);
  v1::CreateActivityRequest create;
  create.set_name(options.activity);
  v1::CreateActivityResponse activity;
  {
    grpc::ClientContext context;
    grpc::Status status = activities.CreateActivity(&context, create, &activity);
    if (!status.ok()) return PrintError(status);
  }
  std::string worker =
      options.worker_name.empty() ? "worker-" + std::to_string(getpid()) : options.worker_name;
  std::cerr << "worker " << worker << ": polling " << activity.activity_arn() << std::endl;
  int done = 0;
  while (!g_stop) {
    grpc::ClientContext context;
    // Short polls, so that a signal stops the worker within seconds.
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(70));
    v1::GetActivityTaskRequest poll;
    poll.set_activity_arn(activity.activity_arn());
    poll.set_worker_name(worker);
    v1::GetActivityTaskResponse task;
    {
      std::lock_guard lock(g_call_mu);
      if (g_stop) break;
      g_call = &context;
    }
    grpc::Status status = activities.GetActivityTask(&context, poll, &task);
    {
      std::lock_guard lock(g_call_mu);
      g_call = nullptr;
    }
    if (!status.ok()) {
      if (g_stop) break;
      if (status.error_code() != grpc::StatusCode::UNAVAILABLE &&
          status.error_code() != grpc::StatusCode::DEADLINE_EXCEEDED) {
        return PrintError(status);
      }
      // The server restarts (a deploy) or is away: wait and poll again.
      std::cerr << "worker " << worker << ": " << status.error_message() << "; retrying"
                << std::endl;
      std::this_thread::sleep_for(std::chrono::seconds(1));
      continue;
    }
    if (task.task_token().empty()) continue;
    CommandResult result = RunCommand(options.command, task.input());
    grpc::ClientContext answer_context;
    grpc::Status answered;
    auto output = json::Parse(result.out);
    constexpr size_t kMaxOutput = size_t{256} * 1024;  // the server refuses more
    if (result.exit_code == 0 && output.ok() && result.out.size() > kMaxOutput) {
      result.exit_code = -2;  // reported below as a failure the execution can catch
    }
    if (result.exit_code == 0 && output.ok()) {
      v1::SendTaskSuccessRequest success;
      success.set_task_token(task.task_token());
      success.set_output(result.out);
      v1::SendTaskSuccessResponse ignored;
      answered = tasks.SendTaskSuccess(&answer_context, success, &ignored);
    } else {
      v1::SendTaskFailureRequest failure;
      failure.set_task_token(task.task_token());
      if (result.exit_code == -2) {
        failure.set_error("Worker.OutputTooLarge");
        failure.set_cause("the command's output is " + std::to_string(result.out.size()) +
                          " bytes, over the 262144 a task result may have");
      } else {
        failure.set_error(result.exit_code == 0 ? "Worker.InvalidOutput" : "Worker.CommandFailed");
        failure.set_cause(result.exit_code == 0
                              ? "the command's stdout is not JSON: " + Tail(result.out, 1000)
                              : "exit " + std::to_string(result.exit_code) + ": " +
                                    Tail(result.err, 4000));
      }
      v1::SendTaskFailureResponse ignored;
      answered = tasks.SendTaskFailure(&answer_context, failure, &ignored);
    }
    ++done;
    std::cerr << "worker " << worker << ": task " << done << " "
              << (result.exit_code == 0 && output.ok() ? "succeeded" : "failed")
              << (answered.ok() ? "" : " (answer not accepted: " + answered.error_message() + ")")
              << std::endl;
  }
  std::cerr << "worker " << worker << ": stopped after " << done << " tasks" << std::endl;
  return kExitOk;
}

}  // namespace fleetflow::cli
