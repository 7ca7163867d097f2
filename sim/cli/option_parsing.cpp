#include "sim/cli/option_parsing.h"

#include <iostream>

#include "arch/spec/input_error.h"

namespace npusim {
namespace po = boost::program_options;
namespace {

// Boost formats an error's message by replacing each "%value%" (and "%option%", ...) placeholder with
// the user's text until none is left, so an argument that itself holds "%value%" never finishes
// (`--requests 24%value%` hung; found by fuzz_cli). The texts live in a protected map that a derived
// type may name; their '%' signs are shown as the fullwidth U+FF05 so no placeholder can reappear.
struct ErrorTexts : po::error_with_option_name {
  static void without_placeholders(po::error_with_option_name& error) {
    for (auto& [key, text] : error.*(&ErrorTexts::m_substitutions)) {
      for (size_t at = text.find('%'); at != std::string::npos; at = text.find('%', at))
        text.replace(at, 1, "\uFF05");
    }
  }
};

}  // namespace

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
  } catch (po::error_with_option_name& error) {
    ErrorTexts::without_placeholders(error);
    throw InputError("<cli>", "npusim " + args.front(), std::string(error.what()) + " (see --help)");
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

void check_output_options(const po::variables_map& values, std::initializer_list<OutputOption> outputs) {
  for (const OutputOption& output : outputs) {
    if (!values.count(output.name)) continue;
    const std::string flag = std::string("--") + output.name;
    check_output_path(values[output.name].as<std::string>(), flag.c_str(), output.kind);
  }
}

}  // namespace npusim
