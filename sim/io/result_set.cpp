#include "sim/io/result_set.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "arch/spec/input_error.h"
#include "sim/io/atomic_file.h"
#include "sim/io/output_path.h"

namespace npusim {
namespace fs = std::filesystem;

namespace {

bool is_result_file(const std::string& name, const StreamedResultFiles& files) {
  for (const auto& [file, writer] : files)
    if (file == name) return true;
  return false;
}

// Carries what dir holds besides the result files into staging: files by hard link (same inode,
// nothing copied), symlinks as symlinks, subfolders by rename (they are not part of the set; `moved`
// lists them so a failure can put them back before the staging folder is removed).
void carry_other_entries(const fs::path& dir, const fs::path& staging, const StreamedResultFiles& files,
                         std::vector<std::string>& moved) {
  std::error_code error;
  for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (is_result_file(name, files)) continue;
    const fs::path to = staging / name;
    const fs::file_status status = it->symlink_status();
    std::error_code carried;
    if (fs::is_symlink(status)) {
      fs::copy_symlink(it->path(), to, carried);
    } else if (fs::is_directory(status)) {
      fs::rename(it->path(), to, carried);
      if (!carried) moved.push_back(name);
    } else {
      fs::create_hard_link(it->path(), to, carried);
      if (carried) fs::copy_file(it->path(), to, carried);
    }
    if (carried) throw InputError(it->path().string(), "", "cannot keep this entry beside the new results: " + carried.message());
  }
  if (error) throw InputError(dir.string(), "", "cannot list folder: " + error.message());
}

// Swaps staging into dir's place; afterwards the old set (if any) is at staging.
void swap_into_place(const fs::path& staging, const fs::path& dir, bool dir_exists) {
  if (!dir_exists) {
    if (::rename(staging.c_str(), dir.c_str()) != 0)
      throw InputError(dir.string(), "", std::string("cannot move the results into place: ") + std::strerror(errno));
    return;
  }
  if (::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, dir.c_str(), RENAME_EXCHANGE) == 0) return;
  const fs::path aside = staging.string() + ".old";
  const auto fail = [&dir] {
    throw InputError(dir.string(), "", std::string("cannot move the results into place: ") + std::strerror(errno));
  };
  if (::rename(dir.c_str(), aside.c_str()) != 0) fail();
  if (::rename(staging.c_str(), dir.c_str()) != 0) {
    const int reason = errno;
    ::rename(aside.c_str(), dir.c_str());
    errno = reason;
    fail();
  }
  ::rename(aside.c_str(), staging.c_str());
}

}  // namespace

void write_result_set(const std::string& dir, const ResultFiles& files) {
  StreamedResultFiles writers;
  for (const auto& file : files)
    writers.emplace_back(file.first, [&text = file.second](const ChunkSink& emit) { emit(text); });
  write_streamed_result_set(dir, writers);
}

void write_streamed_result_set(const std::string& dir_text, const StreamedResultFiles& files) {
  const std::string problem = output_path_problem(dir_text, OutputKind::kDirectory);
  if (!problem.empty()) throw InputError(dir_text, "", problem);
  const fs::path dir = fs::absolute(dir_text).lexically_normal();
  const fs::path folder = dir.filename().empty() ? dir.parent_path() : dir;
  const fs::path parent = folder.parent_path();
  std::error_code error;
  fs::create_directories(parent, error);
  if (error) throw InputError(parent.string(), "", "cannot create directory: " + error.message());
  const std::string prefix = "." + folder.filename().string() + ".staging.";
  remove_stale_temporaries(parent.string(), prefix);
  const fs::path staging = parent / (prefix + std::to_string(::getpid()));
  fs::remove_all(staging, error);
  if (!fs::create_directory(staging, error) || error)
    throw InputError(staging.string(), "", "cannot create staging folder: " + error.message());
  std::vector<std::string> moved;
  const bool dir_exists = fs::is_directory(fs::symlink_status(folder));
  try {
    if (dir_exists) carry_other_entries(folder, staging, files, moved);
    for (const auto& [name, writer] : files) write_new_file_synced((staging / name).string(), writer);
    sync_directory(staging.string());
    swap_into_place(staging, folder, dir_exists);
    sync_directory(parent.string());
  } catch (...) {
    for (const std::string& name : moved) fs::rename(staging / name, folder / name, error);
    fs::remove_all(staging, error);
    throw;
  }
  fs::remove_all(staging, error);
}

}  // namespace npusim
