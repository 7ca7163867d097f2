// Shared Boost.Program_options glue: parse or throw InputError("<cli>", option, why).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "sim/io/output_path.h"

namespace npusim {

// Parses args (args[0] is the subcommand name). Returns false when --help was asked and printed.
bool parse_options(const std::vector<std::string>& args, const boost::program_options::options_description& options,
                   const boost::program_options::positional_options_description& positional,
                   boost::program_options::variables_map& values, const std::string& usage);

// --batch N when given (1 to 1000000, else InputError), 0 when not (each workload's own batch).
uint32_t batch_option(const boost::program_options::variables_map& values, int64_t batch);

// One output option: its name without "--" and what it names.
struct OutputOption {
  const char* name;
  OutputKind kind;
};

// Checks every given output option before any work (check_output_path): an empty path, a symlink, FIFO,
// device node or wrong kind of entry is an InputError naming the flag, so nothing is simulated or written.
void check_output_options(const boost::program_options::variables_map& values,
                          std::initializer_list<OutputOption> outputs);

}  // namespace npusim
