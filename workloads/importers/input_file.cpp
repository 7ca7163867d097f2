#include "workloads/importers/input_file.h"

#include <fstream>
#include <sstream>

#include "arch/spec/input_error.h"

namespace npusim {

std::string read_input_file(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "", "cannot open " + what);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace npusim
