#include "sim/io/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "arch/spec/input_error.h"
#include "sim/io/output_path.h"

namespace npusim {
namespace fs = std::filesystem;

namespace {

std::string os_reason() { return std::strerror(errno); }

void write_all(int fd, const std::string& path, std::string_view content) {
  const char* data = content.data();
  size_t left = content.size();
  while (left > 0) {
    const ssize_t written = ::write(fd, data, left);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) throw InputError(path, "", "cannot write file: " + os_reason());
    data += written;
    left -= static_cast<size_t>(written);
  }
}

}  // namespace

void write_new_file_synced(const std::string& path, const std::string& content) {
  write_new_file_synced(path, [&content](const ChunkSink& emit) { emit(content); });
}

void write_new_file_synced(const std::string& path, const ContentWriter& writer) {
  // Chunks are gathered up to this size before each write(2).
  constexpr size_t kBufferBytes = size_t{1} << 20;
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) throw InputError(path, "", "cannot create file: " + os_reason());
  try {
    std::string buffer;
    const ChunkSink emit = [&](std::string_view chunk) {
      buffer.append(chunk);
      if (buffer.size() < kBufferBytes) return;
      write_all(fd, path, buffer);
      buffer.clear();
    };
    writer(emit);
    write_all(fd, path, buffer);
    if (::fsync(fd) != 0) throw InputError(path, "", "cannot sync file: " + os_reason());
  } catch (...) {
    ::close(fd);
    ::unlink(path.c_str());
    throw;
  }
  if (::close(fd) != 0) {
    const std::string reason = os_reason();
    ::unlink(path.c_str());
    throw InputError(path, "", "cannot close file: " + reason);
  }
}

void sync_directory(const std::string& path) {
  const int fd = ::open(path.empty() ? "." : path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

void write_file_atomically(const std::string& path, const std::string& content) {
  const std::string problem = output_path_problem(path, OutputKind::kFile);
  if (!problem.empty()) throw InputError(path, "", problem);
  const fs::path target(path);
  const std::string folder = target.has_parent_path() ? target.parent_path().string() : ".";
  std::error_code error;
  fs::create_directories(folder, error);
  if (error) throw InputError(path, "", "cannot create directory '" + folder + "': " + error.message());
  const std::string prefix = target.filename().string() + ".tmp.";
  remove_stale_temporaries(folder, prefix);
  // The pid keeps concurrent writers (sweep workers) from sharing a temp file.
  const fs::path temp = fs::path(folder) / (prefix + std::to_string(::getpid()));
  fs::remove(temp, error);
  write_new_file_synced(temp.string(), content);
  if (::rename(temp.c_str(), target.c_str()) != 0) {
    const std::string reason = os_reason();
    fs::remove(temp, error);
    throw InputError(path, "", "cannot rename temporary file into place: " + reason);
  }
  sync_directory(folder);
}

}  // namespace npusim
