// The one error type for bad user input: names the file, the field path or line, and what was expected.
#pragma once

#include <stdexcept>
#include <string>

namespace npusim {

class InputError : public std::runtime_error {
 public:
  // file: the input file (or "<cli>", "<preset:NAME>"); where: dotted field path or "line N".
  InputError(std::string file, std::string where, const std::string& message)
      : std::runtime_error(format(file, where, message)),
        file_(std::move(file)),
        where_(std::move(where)),
        message_(message) {}

  const std::string& file() const { return file_; }
  const std::string& where() const { return where_; }
  const std::string& message() const { return message_; }

 private:
  static std::string format(const std::string& file, const std::string& where, const std::string& message) {
    std::string out = file.empty() ? std::string("<input>") : file;
    if (!where.empty()) out += ": " + where;
    return out + ": " + message;
  }
  std::string file_;
  std::string where_;
  std::string message_;
};

}  // namespace npusim
