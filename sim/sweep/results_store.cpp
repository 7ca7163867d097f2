#include "sim/sweep/results_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>

#include "arch/spec/input_error.h"
#include "sim/io/text_file.h"

namespace npusim {
namespace fs = std::filesystem;

namespace {

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void write_all(int fd, const std::string& text, const std::string& path) {
  // O_APPEND on a local file: one write() lands whole at the end; a short write (disk full) is an error
  // rather than a retry, because a second write() could interleave with another appender.
  const ssize_t written = ::write(fd, text.data(), text.size());
  if (written != static_cast<ssize_t>(text.size())) {
    throw InputError(
        path, "",
        std::string("cannot append a result line: ") + (written < 0 ? std::strerror(errno) : "short write"));
  }
}

}  // namespace

ResultAppender::ResultAppender(const std::string& path) : path_(path) {
  std::error_code error;
  fs::create_directories(fs::path(path).parent_path(), error);
  fd_ = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw InputError(path, "", std::string("cannot open for appending: ") + std::strerror(errno));
  // A previous run killed mid-line left a torn tail: end it so the next line starts clean (readers
  // skip the fragment as not JSON).
  struct stat info {};
  if (::fstat(fd_, &info) == 0 && info.st_size > 0) {
    const int reader = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    char last = '\n';
    if (reader >= 0) {
      if (::pread(reader, &last, 1, info.st_size - 1) != 1) last = '\n';
      ::close(reader);
    }
    if (last != '\n') write_all(fd_, "\n", path_);
  }
  last_sync_s_ = now_s();
}

ResultAppender::~ResultAppender() {
  if (fd_ < 0) return;
  sync();
  ::close(fd_);
}

void ResultAppender::append(const nlohmann::ordered_json& line) {
  write_all(fd_, line.dump() + "\n", path_);
  dirty_ = true;
  if (now_s() - last_sync_s_ >= kSyncIntervalS) sync();
}

void ResultAppender::sync() {
  if (!dirty_) return;
  ::fdatasync(fd_);
  dirty_ = false;
  last_sync_s_ = now_s();
}

std::string axes_text(const nlohmann::ordered_json& axes, const std::string& except) {
  std::string text;
  for (const auto& item : axes.items()) {
    if (!except.empty() && item.key() == except) continue;
    text += (text.empty() ? "" : " ") + item.key() + "=" +
            (item.value().is_string() ? item.value().get<std::string>() : item.value().dump());
  }
  return text;
}

void read_results_file(const std::string& path, ResultSet& set) {
  const std::optional<std::string> file_text = read_text_file(path);
  if (!file_text) return;
  const std::string& text = *file_text;
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = text.find('\n', start);
    if (end == std::string::npos) {  // torn final line: the writer died mid-write
      ++set.lines_skipped;
      break;
    }
    const std::string line = text.substr(start, end - start);
    start = end + 1;
    if (line.empty()) continue;
    ++set.lines_read;
    nlohmann::ordered_json parsed = nlohmann::ordered_json::parse(line, nullptr, false);
    const bool usable = !parsed.is_discarded() && parsed.is_object() && parsed.contains("id") &&
                        parsed["id"].is_string() && parsed.contains("status") && parsed["status"].is_string();
    if (!usable) {
      ++set.lines_skipped;
      continue;
    }
    const std::string id = parsed["id"].get<std::string>();
    set.by_id.emplace(id, std::move(parsed));  // first line wins
  }
}

ResultSet read_results(const std::string& dir) {
  ResultSet set;
  read_results_file((fs::path(dir) / "results.jsonl").string(), set);
  std::vector<std::string> shards;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(fs::path(dir) / "shards", error)) {
    if (entry.path().extension() == ".jsonl") shards.push_back(entry.path().string());
  }
  std::sort(shards.begin(), shards.end());
  for (const auto& shard : shards) read_results_file(shard, set);
  return set;
}

DirectoryLock::DirectoryLock(const std::string& path, const std::string& holder_description) {
  std::error_code error;
  fs::create_directories(fs::path(path).parent_path(), error);
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw InputError(path, "", std::string("cannot open lock file: ") + std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd_);
    fd_ = -1;
    throw InputError(path, "", holder_description + " is already running on this directory");
  }
}

DirectoryLock::~DirectoryLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace npusim
