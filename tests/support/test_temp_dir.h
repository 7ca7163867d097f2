// A private temporary folder per test process (mkdtemp under $TMPDIR), removed when the process ends,
// so that two ctest runs on one machine never share or wipe each other's files.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>

namespace npusim_test {

class ProcessTempDir {
 public:
  ProcessTempDir() {
    std::error_code error;
    std::filesystem::path base = std::filesystem::temp_directory_path(error);
    if (error) base = "/tmp";
    std::string pattern = (base / "npusim_test.XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed under " + base.string());
    path_ = pattern;
  }
  ~ProcessTempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ProcessTempDir(const ProcessTempDir&) = delete;
  ProcessTempDir& operator=(const ProcessTempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// This process's folder, made on first use.
inline const std::filesystem::path& process_temp_dir() {
  static const ProcessTempDir dir;
  return dir.path();
}

// An empty folder `name` inside this process's temporary folder.
inline std::string fresh_dir(const std::string& name) {
  const auto dir = process_temp_dir() / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

}  // namespace npusim_test
