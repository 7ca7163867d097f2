// Output paths the user names (--out, --timeline, --host-stats, sweep folders): checked before any work
// so a bad one fails with exit 2 before anything is simulated or written, and never written through a
// symlink, FIFO or device node (as root, `--timeline /dev/null` would otherwise replace /dev/null).
#pragma once

#include <string>

namespace npusim {

enum class OutputKind { kFile, kDirectory };

// Throws InputError("<cli>", flag, why) unless path is absent or an existing regular file (kFile) or a
// real directory (kDirectory), and its nearest existing ancestor is a directory.
void check_output_path(const std::string& path, const char* flag, OutputKind kind);

// The reason path may not be written as kind, or "" when it may (lstat: symlinks are not followed).
std::string output_path_problem(const std::string& path, OutputKind kind);

// Removes `<prefix><pid>` entries of folder whose process is gone (left by a kill -9 mid-write).
void remove_stale_temporaries(const std::string& folder, const std::string& prefix);

}  // namespace npusim
