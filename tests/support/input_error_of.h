// The message of the InputError a piece of code throws: what the bad-input tests compare.
#pragma once

#include <string>

#include "arch/spec/input_error.h"

namespace npusim_test {

// The message of the InputError `run()` throws, or `when_none` when it throws none.
template <class Run>
std::string input_error_of(Run&& run, const std::string& when_none = "") {
  try {
    run();
  } catch (const npusim::InputError& error) {
    return error.what();
  }
  return when_none;
}

}  // namespace npusim_test
