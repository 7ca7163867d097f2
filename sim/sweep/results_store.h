// A sweep's results on disk: DIR/results.jsonl (one JSON line per finished point, appended with one
// write() each) plus DIR/shards/*.jsonl from Slurm array tasks; readers skip torn or foreign lines and
// keep the first finished line per point id. results.csv is a merged view rewritten atomically.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/io/csv_cell.h"

namespace npusim {

// Appends whole lines to one file with O_APPEND. Kill -9 safe without fsync: a line is in the page
// cache once write() returns, and a torn tail from a crash mid-write is repaired (a newline is
// added first) when the file is reopened. fdatasync runs at most every kSyncIntervalS seconds and at
// close, so an OS crash loses at most the last seconds of lines, which a resume re-runs.
class ResultAppender {
 public:
  explicit ResultAppender(const std::string& path);
  ~ResultAppender();
  ResultAppender(const ResultAppender&) = delete;
  ResultAppender& operator=(const ResultAppender&) = delete;

  void append(const nlohmann::ordered_json& line);
  void sync();

 private:
  static constexpr double kSyncIntervalS = 2.0;
  std::string path_;
  int fd_ = -1;
  double last_sync_s_ = 0;
  bool dirty_ = false;
};

// Finished results by point id, first complete line wins (lines are only ever appended, so a
// duplicate can only repeat a point already done). `lines_read`/`lines_skipped` count what was seen.
struct ResultSet {
  std::map<std::string, nlohmann::ordered_json> by_id;
  size_t lines_read = 0;
  size_t lines_skipped = 0;  // torn, not JSON, or without an id and status
};

// Reads DIR/results.jsonl and DIR/shards/*.jsonl (missing files are empty).
ResultSet read_results(const std::string& dir);
// Adds the lines of one file to `set`.
void read_results_file(const std::string& path, ResultSet& set);

// "key=value key=value" of a result line's axes (strings unquoted), leaving out the axis `except`.
std::string axes_text(const nlohmann::ordered_json& axes, const std::string& except = "");

// An exclusive lock on `path` (flock), released at destruction or process death. Throws InputError
// naming the lock when another process holds it.
class DirectoryLock {
 public:
  DirectoryLock(const std::string& path, const std::string& holder_description);
  ~DirectoryLock();
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace npusim
