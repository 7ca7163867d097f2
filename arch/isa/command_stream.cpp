#include "arch/isa/command_stream.h"

#include "arch/isa/layer_feed.h"

#include <stdexcept>

namespace npusim {

const char* command_kind_name(CommandKind kind) {
  switch (kind) {
    case CommandKind::kDmaLoad: return "load";
    case CommandKind::kDmaStore: return "store";
    case CommandKind::kCompute: return "compute";
    case CommandKind::kVector: return "vector";
    case CommandKind::kSync: return "sync";
  }
  return "?";
}

uint32_t CommandStream::add(Command command, const uint32_t* first_dep, size_t dep_count) {
  if (commands.size() >= kMaxCommandsPerStream) throw CommandLimitExceeded();
  const auto id = static_cast<uint32_t>(commands.size());
  command.dep_begin = static_cast<uint32_t>(deps.size());
  command.dep_count = static_cast<uint32_t>(dep_count);
  for (const uint32_t* dep = first_dep; dep != first_dep + dep_count; ++dep) {
    // A dependency on a later command would deadlock the in-order queues: a mapper bug.
    if (*dep >= id) throw std::logic_error("command depends on a later command");
    deps.push_back(*dep);
  }
  commands.push_back(command);
  return id;
}

uint32_t CommandStream::add(Command command, const std::vector<uint32_t>& dependencies) {
  return add(command, dependencies.data(), dependencies.size());
}

uint32_t CommandStream::add(Command command, std::initializer_list<uint32_t> dependencies) {
  return add(command, dependencies.begin(), dependencies.size());
}

size_t LayerProgram::total_commands() const {
  size_t total = commands.size();
  for (const CommandStream& stream : more_cores) total += stream.commands.size();
  return total;
}

void release_commands(LayerProgram& program) {
  const auto release = [](CommandStream& stream) {
    std::vector<Command>().swap(stream.commands);
    std::vector<uint32_t>().swap(stream.deps);
  };
  release(program);
  for (CommandStream& stream : program.more_cores) release(stream);
}

}  // namespace npusim
