// Writes result files all-or-nothing: a temp file beside the target, fsync, then rename.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace npusim {

// Creates parent directories as needed; refuses a target that is a symlink, FIFO, device or directory;
// removes temporaries a killed writer left beside the target. Throws InputError naming the path and
// the OS reason on failure.
void write_file_atomically(const std::string& path, const std::string& content);

// A file's content produced in pieces: the writer passes consecutive chunks to `emit`, so a large
// result is written as it is rendered instead of being held whole in memory first.
using ChunkSink = std::function<void(std::string_view)>;
using ContentWriter = std::function<void(const ChunkSink& emit)>;

// Writes content to a new file at path (which must not exist) and fsyncs it; throws InputError on failure.
void write_new_file_synced(const std::string& path, const std::string& content);
void write_new_file_synced(const std::string& path, const ContentWriter& writer);

// fsyncs a directory so a rename inside it survives a crash; failures are ignored (not all file systems
// support it, and the data itself is already synced).
void sync_directory(const std::string& path);

}  // namespace npusim
