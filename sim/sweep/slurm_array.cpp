#include "sim/sweep/slurm_array.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <ostream>
#include <sstream>
#include <thread>

#include "arch/spec/input_error.h"
#include "sim/io/child_process.h"

namespace npusim {
namespace fs = std::filesystem;

namespace {

std::string shell_quote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::string trim(const std::string& text) {
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

}  // namespace

std::string sbatch_script(const SlurmScriptParams& p) {
  std::string array = fmt::format("0-{}", p.tasks - 1);
  if (p.parallelism > 0) array += fmt::format("%{}", p.parallelism);
  std::string script = "#!/bin/bash\n";
  script += fmt::format("# npusim sweep {}: {} array tasks; written by `npusim sweep --slurm`.\n", p.job_name,
                        p.tasks);
  script += "# Each task runs its shard of DIR/slurm/pending.json and appends to DIR/shards/task-I.jsonl;\n";
  script += "# `npusim sweep SPEC --out DIR --merge` (or the submitting --slurm run) merges them.\n";
  script += fmt::format("#SBATCH --job-name=npusim-sweep-{}\n", p.job_name);
  script += fmt::format("#SBATCH --array={}\n", array);
  script += fmt::format("#SBATCH --output={}/slurm/task-%a.log\n", p.out_dir);
  script += "#SBATCH --ntasks=1\n#SBATCH --cpus-per-task=1\n";
  script += fmt::format("#SBATCH --chdir={}\n", p.work_dir);
  if (!p.partition.empty()) script += fmt::format("#SBATCH --partition={}\n", p.partition);
  script += "set -eu\n";
  script += fmt::format("export NPUSIM_CONFIGS_DIR={}\n", shell_quote(p.configs_dir));
  script += fmt::format("exec {} sweep {} --out {} --shard \"${{SLURM_ARRAY_TASK_ID}}/{}\" -j 1\n",
                        shell_quote(p.executable), shell_quote(p.spec_path), shell_quote(p.out_dir), p.tasks);
  return script;
}

std::string find_on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return "";
  std::stringstream entries(path);
  std::string dir;
  while (std::getline(entries, dir, ':')) {
    if (dir.empty()) continue;
    const std::string candidate = dir + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

CommandOutput run_capturing(const std::vector<std::string>& argv) {
  CommandOutput result;
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    throw std::runtime_error(std::string("pipe failed: ") + std::strerror(errno));
  const pid_t pid = start_child(argv, {fds[1], fds[1], true});  // closes the write end here
  char buffer[4096];
  ssize_t count = 0;
  while ((count = ::read(fds[0], buffer, sizeof buffer)) != 0) {
    if (count < 0) {
      if (errno == EINTR) continue;
      break;
    }
    result.output.append(buffer, static_cast<size_t>(count));
  }
  ::close(fds[0]);
  const std::optional<int> status = wait_child(pid);
  if (!status) {
    result.exit_code = 127;  // it never ran: the code a shell gives a command it cannot start
  } else {
    result.exit_code = WIFEXITED(*status) ? WEXITSTATUS(*status) : 128 + WTERMSIG(*status);
  }
  return result;
}

std::string submit_sbatch(const std::string& script_path) {
  const CommandOutput submitted = run_capturing({"sbatch", "--parsable", script_path});
  const std::string text = trim(submitted.output);
  if (submitted.exit_code != 0) {
    const size_t newline = text.find_last_of('\n');
    throw InputError(
        script_path, "sbatch",
        "submission refused: " + (newline == std::string::npos ? text : text.substr(newline + 1)));
  }
  // --parsable prints "JOBID" or "JOBID;CLUSTER" (possibly after warnings on earlier lines).
  const size_t line_start = text.find_last_of('\n');
  std::string id = text.substr(line_start == std::string::npos ? 0 : line_start + 1);
  id = id.substr(0, id.find(';'));
  if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos) {
    throw InputError(script_path, "sbatch", "unexpected reply: " + text);
  }
  return id;
}

bool wait_for_slurm_job(const std::string& job_id, double timeout_s, double poll_interval_s,
                        std::ostream* log) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  std::string last_state;
  int failures = 0;
  for (;;) {
    const CommandOutput queue = run_capturing({"squeue", "-h", "-j", job_id, "-o", "%T"});
    if (queue.exit_code == 0) {
      failures = 0;
      const std::string states = trim(queue.output);
      if (states.empty()) return true;  // no task pending or running
      size_t pending = 0, running = 0, other = 0;
      std::stringstream lines(states);
      std::string state;
      while (std::getline(lines, state)) {
        state = trim(state);
        state == "PENDING" ? ++pending : state == "RUNNING" ? ++running : ++other;
      }
      const std::string summary =
          fmt::format("job {}: {} pending, {} running, {} other", job_id, pending, running, other);
      if (log != nullptr && summary != last_state) *log << summary << "\n" << std::flush;
      last_state = summary;
    } else if (queue.output.find("Invalid job id") != std::string::npos) {
      return true;  // finished long enough ago that slurmctld forgot it
    } else if (++failures >= 30) {
      throw InputError("squeue", job_id, "keeps failing: " + trim(queue.output));
    }
    const double waited = std::chrono::duration<double>(Clock::now() - start).count();
    if (waited >= timeout_s) return false;
    std::this_thread::sleep_for(std::chrono::duration<double>(std::min(poll_interval_s, timeout_s - waited)));
  }
}

}  // namespace npusim
