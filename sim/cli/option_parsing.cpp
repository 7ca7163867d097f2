#include "sim/cli/option_parsing.h"

#include <iostream>

#include "arch/spec/input_error.h"

namespace npusim {
namespace po = boost::program_options;

bool parse_options(const std::vector<std::string>& args, const po::options_description& options,
                   const po::positional_options_description& positional, po::variables_map& values,
                   const std::string& usage) {
  po::options_description all = options;
  all.add_options()("help,h", "show this help");
  try {
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    po::store(po::command_line_parser(rest).options(all).positional(positional).run(), values);
    if (values.count("help")) {
      std::cout << usage << "\n\n" << all << std::flush;
      return false;
    }
    po::notify(values);
  } catch (const po::error& error) {
    throw InputError("<cli>", "npusim " + args.front(), std::string(error.what()) + " (see --help)");
  }
  return true;
}

uint32_t batch_option(const po::variables_map& values, int64_t batch) {
  if (values.count("batch") && (batch <= 0 || batch > 1000000)) {
    throw InputError("<cli>", "--batch", "expected a positive integer up to 1000000, got " + std::to_string(batch));
  }
  return static_cast<uint32_t>(batch);
}

}  // namespace npusim
