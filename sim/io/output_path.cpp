#include "sim/io/output_path.h"

#include <signal.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "arch/spec/input_error.h"

namespace npusim {
namespace fs = std::filesystem;

namespace {

const char* file_type_noun(mode_t mode) {
  if (S_ISLNK(mode)) return "a symbolic link";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device node";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISREG(mode)) return "a regular file";
  return "not a regular file";
}

// The reason the nearest existing ancestor of path cannot hold new entries, or "".
std::string ancestor_problem(const fs::path& path) {
  fs::path ancestor = fs::absolute(path).lexically_normal().parent_path();
  while (!ancestor.empty()) {
    struct stat info {};
    if (::stat(ancestor.c_str(), &info) == 0) {
      if (!S_ISDIR(info.st_mode)) return "'" + ancestor.string() + "' is not a directory";
      return "";
    }
    if (errno != ENOENT) return "cannot inspect '" + ancestor.string() + "': " + std::strerror(errno);
    if (ancestor == ancestor.parent_path()) break;
    ancestor = ancestor.parent_path();
  }
  return "";
}

bool process_alive(long pid) {
  if (pid <= 0) return false;
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

}  // namespace

std::string output_path_problem(const std::string& path, OutputKind kind) {
  if (path.empty()) return "expected a path, got an empty string";
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) {
    if (errno != ENOENT) return "cannot inspect '" + path + "': " + std::strerror(errno);
    return ancestor_problem(path);
  }
  const bool wanted = kind == OutputKind::kFile ? S_ISREG(info.st_mode) : S_ISDIR(info.st_mode);
  if (wanted) return "";
  const char* expected = kind == OutputKind::kFile ? "a regular file or a new path" : "a directory or a new path";
  return "'" + path + "' is " + file_type_noun(info.st_mode) + "; expected " + expected +
         " (npusim does not write through links or special files)";
}

void check_output_path(const std::string& path, const char* flag, OutputKind kind) {
  const std::string problem = output_path_problem(path, kind);
  if (!problem.empty()) throw InputError("<cli>", flag, problem);
}

void remove_stale_temporaries(const std::string& folder, const std::string& prefix) {
  std::error_code error;
  for (fs::directory_iterator it(folder.empty() ? "." : folder, error), end; !error && it != end; it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string pid_text = name.substr(prefix.size());
    if (pid_text.find_first_not_of("0123456789") != std::string::npos || pid_text.size() > 9) continue;
    std::error_code ignored;
    if (!process_alive(std::stol(pid_text))) fs::remove_all(it->path(), ignored);
  }
}

}  // namespace npusim
