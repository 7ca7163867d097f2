#include "sim/io/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

namespace npusim {

std::string self_executable() { return std::filesystem::read_symlink("/proc/self/exe").string(); }

std::vector<char*> exec_argv(const std::vector<std::string>& argv) {
  std::vector<char*> raw;
  for (const auto& arg : argv) raw.push_back(const_cast<char*>(arg.c_str()));
  raw.push_back(nullptr);
  return raw;
}

pid_t start_child(const std::vector<std::string>& argv, const ChildSetup& setup) {
  std::vector<char*> raw = exec_argv(argv);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (setup.dies_with_parent) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) _exit(127);  // the parent died before prctl took effect
    }
    if (setup.stdout_fd >= 0) ::dup2(setup.stdout_fd, STDOUT_FILENO);
    if (setup.stderr_fd >= 0) ::dup2(setup.stderr_fd, STDERR_FILENO);
    setup.search_path ? ::execvp(raw[0], raw.data()) : ::execv(raw[0], raw.data());
    _exit(127);
  }
  const int fork_errno = errno;
  if (setup.stdout_fd >= 0) ::close(setup.stdout_fd);
  if (setup.stderr_fd >= 0 && setup.stderr_fd != setup.stdout_fd) ::close(setup.stderr_fd);
  errno = fork_errno;
  return pid;
}

std::optional<int> wait_child(pid_t pid, rusage* usage) {
  if (pid <= 0) return std::nullopt;  // waitpid would wait for any child
  int status = 0;
  while (::wait4(pid, &status, 0, usage) < 0) {
    if (errno != EINTR) return std::nullopt;
  }
  return status;
}

bool exited_zero(int status) { return WIFEXITED(status) && WEXITSTATUS(status) == 0; }

int open_child_output(const std::string& path) {
  return ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
}

std::string last_line(const std::string& text) {
  const size_t end = text.find_last_not_of(" \n\r\t");
  if (end == std::string::npos) return "";
  const size_t newline = text.rfind('\n', end);
  const size_t start = newline == std::string::npos ? 0 : newline + 1;
  return text.substr(start, end - start + 1);
}

}  // namespace npusim
