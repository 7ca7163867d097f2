// Runs the npusim executable for end-to-end CLI tests and captures its exit code and output.
#pragma once

#include <doctest/doctest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "tests/support/test_temp_dir.h"

namespace npusim_test {

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

inline CommandResult run_npusim(const std::string& arguments) {
  const std::string command = std::string(NPUSIM_BINARY) + " " + arguments + " 2>&1";
  CommandResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  size_t count = 0;
  while ((count = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.output.append(buffer.data(), count);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

inline std::string write_file(const std::string& dir, const std::string& name, const std::string& content) {
  const std::string path = dir + "/" + name;
  std::ofstream(path) << content;
  return path;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// `npusim ARGUMENTS --out OUT`, which must succeed: the result.json it wrote.
inline nlohmann::json run_result_json(const std::string& arguments, const std::string& out) {
  const CommandResult result = run_npusim(arguments + " --out " + out);
  CAPTURE(arguments);
  CAPTURE(result.output);
  REQUIRE(result.exit_code == 0);
  return nlohmann::json::parse(read_file(out + "/result.json"));
}

inline int line_count(const std::string& text) {
  int lines = 0;
  for (char c : text) lines += c == '\n';
  return lines;
}

// A command expected to be rejected: exit 2, one line "npusim: error: ..." naming `where`, and no
// result file left in the --out directory it is given.
inline void check_rejected(const std::string& arguments, const std::string& where) {
  const std::string out = fresh_dir("rejected");
  const CommandResult result = run_npusim(arguments + " --out " + out);
  CAPTURE(arguments);
  CAPTURE(result.output);
  CHECK(result.exit_code == 2);
  CHECK(line_count(result.output) == 1);
  CHECK(result.output.find(where) != std::string::npos);
  CHECK(result.output.rfind("npusim: error: ", 0) == 0);
  CHECK_FALSE(std::filesystem::exists(out + "/result.json"));
  CHECK_FALSE(std::filesystem::exists(out + "/layers.csv"));
}

}  // namespace npusim_test
