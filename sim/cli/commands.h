// The npusim subcommands. Each takes its own arguments (argv[0] is the subcommand) and returns the
// exit code; bad input throws InputError, which main turns into one line and exit code 2.
#pragma once

#include <string>
#include <vector>

namespace npusim {

using Args = std::vector<std::string>;

int cmd_run(const Args& args);
int cmd_list(const Args& args);
int cmd_validate(const Args& args);
int cmd_validate_gpu(const Args& args);
int cmd_bench(const Args& args);
int cmd_export_trace(const Args& args);
int cmd_sweep(const Args& args);
int cmd_pareto(const Args& args);
int cmd_regress(const Args& args);
int cmd_serve(const Args& args);
int cmd_fleet(const Args& args);

}  // namespace npusim
