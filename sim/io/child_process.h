// What the places that start child processes (sweep workers, bench runs, Slurm commands) share.
#pragma once

#include <string>
#include <vector>

namespace npusim {

// This executable's path (children run the same build).
std::string self_executable();

// `argv` as execv wants it: pointers into the strings (which must outlive it), then a null.
std::vector<char*> exec_argv(const std::vector<std::string>& argv);

}  // namespace npusim
