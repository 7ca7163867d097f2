#include "arch/spec/input_file.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "arch/spec/input_error.h"

namespace npusim {

std::string read_input_file(const std::string& path, const std::string& what) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) throw InputError(path, "", "cannot open " + what + ": " + std::strerror(errno));
  if (S_ISDIR(info.st_mode)) throw InputError(path, "", "is a directory; expected a " + what + " file");
  if (!S_ISREG(info.st_mode))
    throw InputError(path, "", "is not a regular file (a FIFO, socket or device); expected a " + what + " file");
  if (static_cast<uint64_t>(info.st_size) > kMaxInputFileBytes) {
    throw InputError(path, "", "is " + std::to_string(info.st_size) + " bytes; a " + what + " may hold at most " +
                                   std::to_string(kMaxInputFileBytes) + " bytes");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "", "cannot open " + what + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw InputError(path, "", "cannot read " + what + ": " + std::strerror(errno));
  return text.str();
}

}  // namespace npusim
