// `npusim validate --fields`: prints the generated config field table; CONFIG is still required otherwise.
#include <doctest/doctest.h>

#include "arch/spec/npu_config_parse.h"
#include "tests/sim/cli_harness.h"

using namespace npusim_test;

TEST_CASE("cli: validate --fields prints the table generated from the field declarations") {
  const CommandResult fields = run_npusim("validate --fields");
  CHECK(fields.exit_code == 0);
  CHECK(fields.output == npusim::npu_config_fields_markdown());
  const CommandResult missing = run_npusim("validate");
  CHECK(missing.exit_code == 2);
  CHECK(missing.output ==
        "npusim: error: <cli>: npusim validate: the option '--config' is required but missing "
        "(see --help)\n");
}
