// What the places that start child processes (sweep workers, fleet and stream-cost workers, bench runs,
// Slurm commands) share: starting one with its output redirected, waiting for it, reading its error.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

struct rusage;

namespace npusim {

// This executable's path (children run the same build).
std::string self_executable();

// `argv` as execv wants it: pointers into the strings (which must outlive it), then a null.
std::vector<char*> exec_argv(const std::vector<std::string>& argv);

// How a child is started. The fds become the child's stdout and stderr (-1: this process's own).
struct ChildSetup {
  int stdout_fd = -1;
  int stderr_fd = -1;
  bool search_path = false;       // execvp (a command found on PATH) instead of execv (a path)
  bool dies_with_parent = false;  // SIGKILL when this process dies, kill -9 included
};

// Forks and execs argv; a child that cannot exec exits 127. Closes setup's fds here (they were the
// child's). Returns the child's pid, or -1 with errno set when fork failed.
pid_t start_child(const std::vector<std::string>& argv, const ChildSetup& setup);

// Waits for `pid` (retrying when a signal interrupts): its wait status, or nothing when it cannot be
// waited for. `usage`, when given, receives the child's resource usage.
std::optional<int> wait_child(pid_t pid, rusage* usage = nullptr);

// Whether a wait status says the child exited with code 0.
bool exited_zero(int status);

// `path` created or truncated for a child's output, close-on-exec here: its fd, or -1 with errno set.
int open_child_output(const std::string& path);

// The last line of `text` that is not blank, its trailing blanks removed: a worker's one-line error
// ("npusim: error: ...") or the last thing it printed.
std::string last_line(const std::string& text);

}  // namespace npusim
