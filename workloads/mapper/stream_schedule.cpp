// List schedule of one core's command stream (see stream_schedule.h).
#include "workloads/mapper/stream_schedule.h"

#include <algorithm>
#include <array>
#include <functional>
#include <limits>
#include <optional>
#include <queue>
#include <vector>

#include "arch/timing/sram_timing.h"
#include "arch/timing/vector_timing.h"

namespace npusim {
namespace {

constexpr double kNever = std::numeric_limits<double>::infinity();  // a core with nothing left to issue

// One DMA queue: its descriptor decoder, its port and its in-flight transfers.
struct DmaState {
  double decoder_free = 0.0;  // the queue issues its next descriptor from here
  double port_free = 0.0;     // its port has moved every earlier byte by here
  std::priority_queue<double, std::vector<double>, std::greater<>> in_flight;  // finish times
};

// The memories every core's transfers book, in issue order: when each is free again.
struct SharedMemories {
  double dram_free = 0.0, global_sram_free = 0.0;
};

// The units in the core's issue-arbitration rank order (a tie goes to the lower one, as in the model).
enum Unit : size_t { kLoadUnit, kStoreUnit, kArrayUnit, kVectorUnit, kUnits };

class StreamScheduler {
 public:
  StreamScheduler(const CommandStream& stream, const NpuConfig& config, const ArrayShape& array, DType dtype,
                  const CoreMemoryRates& rates, SharedMemories& memories)
      : config_(config), array_(array), dtype_(dtype), rates_(rates), memories_(memories), stream_(&stream) {
    done_.assign(stream.commands.size(), 0.0);
    known_.assign(stream.commands.size(), 0);
    for (uint32_t id = 0; id < stream.commands.size(); ++id) {
      const CommandKind kind = stream.commands[id].kind;
      if (kind != CommandKind::kSync) queues_[unit_of(kind)].push_back(id);
    }
  }

  // When this core next issues a command: of its units' next commands whose dependencies are done, the
  // one that can issue first (infinity when every unit is done).
  double next_issue() {
    next_unit_ = kUnits;
    double best_issue = std::numeric_limits<double>::infinity();
    for (size_t unit = 0; unit < kUnits; ++unit) {
      if (cursor_[unit] >= queues_[unit].size()) continue;
      if (!head_ready_[unit]) {  // once a head's dependencies are all done, its ready time is fixed
        const uint32_t id = queues_[unit][cursor_[unit]];
        if (!deps_known(id)) continue;
        head_ready_[unit] = ready_time(id);
      }
      const double issue = issue_time(unit, *head_ready_[unit]);
      if (issue < best_issue) {
        next_unit_ = unit;
        best_issue = issue;
      }
    }
    return best_issue;
  }

  // Issues the command next_issue() found.
  void step() {
    const uint32_t id = queues_[next_unit_][cursor_[next_unit_]++];
    done_[id] = finish(stream_->commands[id], *head_ready_[next_unit_]);
    head_ready_[next_unit_].reset();
    known_[id] = 1;
    last_ = std::max(last_, done_[id]);
  }

  double last() const { return last_; }

 private:
  static size_t unit_of(CommandKind kind) {
    switch (kind) {
      case CommandKind::kDmaLoad:
        return kLoadUnit;
      case CommandKind::kDmaStore:
        return kStoreUnit;
      case CommandKind::kCompute:
        return kArrayUnit;
      default:
        return kVectorUnit;
    }
  }

  // Whether every dependency's finish is known; a sync's is its own dependencies' latest.
  bool deps_known(uint32_t id) {
    const Command& c = stream_->commands[id];
    for (uint32_t d = c.dep_begin; d < c.dep_begin + c.dep_count; ++d) {
      if (!known(stream_->deps[d])) return false;
    }
    return true;
  }
  bool known(uint32_t id) {
    if (known_[id] != 0) return true;
    if (stream_->commands[id].kind != CommandKind::kSync || !deps_known(id)) return false;
    done_[id] = ready_time(id);
    known_[id] = 1;
    return true;
  }
  double ready_time(uint32_t id) const {
    const Command& c = stream_->commands[id];
    double ready = 0.0;
    for (uint32_t d = c.dep_begin; d < c.dep_begin + c.dep_count; ++d) ready = std::max(ready, done_[stream_->deps[d]]);
    return ready;
  }

  // When the unit's next command would issue (a transfer: when its descriptor is decoded and books
  // the memory), without changing any state.
  double issue_time(size_t unit, double ready) const {
    switch (unit) {
      case kLoadUnit:
      case kStoreUnit: {
        const DmaState& queue = unit == kLoadUnit ? load_ : store_;
        double start = std::max(queue.decoder_free, ready);
        if (queue.in_flight.size() >= std::max<uint32_t>(config_.dma.max_outstanding, 1))
          start = std::max(start, queue.in_flight.top());
        return start + rates_.setup_cycles;
      }
      case kArrayUnit:
        return std::max(array_free_, ready);
      default:
        return std::max(vector_free_, ready);
    }
  }

  double finish(const Command& c, double ready) {
    switch (c.kind) {
      case CommandKind::kDmaLoad:
        return transfer(load_, c, ready);
      case CommandKind::kDmaStore:
        return transfer(store_, c, ready);
      case CommandKind::kCompute:
        return compute(c, ready);
      case CommandKind::kVector:
        return vector(c, ready);
      case CommandKind::kSync:
        break;
    }
    return ready;
  }

  // A descriptor issues after its setup; its bytes move at the slower of the queue's port and the
  // memory's bandwidth, the memory serving both queues' transfers in the order they issue; the memory's
  // latency follows the data.
  double transfer(DmaState& queue, const Command& c, double ready) {
    // At most dma.max_outstanding descriptors in flight: a new one waits for the earliest to finish.
    double start = std::max(queue.decoder_free, ready);
    while (!queue.in_flight.empty() && queue.in_flight.top() <= start) queue.in_flight.pop();
    while (queue.in_flight.size() >= std::max<uint32_t>(config_.dma.max_outstanding, 1)) {
      start = std::max(start, queue.in_flight.top());
      queue.in_flight.pop();
    }
    const double issue = start + rates_.setup_cycles;
    queue.decoder_free = issue;
    if (c.bytes == 0) {
      queue.in_flight.push(issue);
      return issue;
    }
    const bool global = c.memory == MemoryKind::kGlobalSram;
    double& memory_free = global ? memories_.global_sram_free : memories_.dram_free;
    const double memory_rate = global ? rates_.global_sram_bytes_per_cycle : rates_.dram_bytes_per_cycle;
    const double bytes = static_cast<double>(c.bytes);
    queue.port_free = std::max(issue, queue.port_free) + bytes / rates_.dma_port_bytes_per_cycle;
    memory_free = std::max(issue, memory_free) + bytes / memory_rate;
    double done = std::max(queue.port_free, memory_free + (global ? rates_.global_sram_latency_cycles
                                                                   : rates_.dram_latency_cycles));
    if (!global && rates_.noc_bytes_per_cycle < std::numeric_limits<double>::infinity()) {
      noc_free_ = std::max(issue, noc_free_) + bytes / rates_.noc_bytes_per_cycle;
      done = std::max(done, noc_free_ + rates_.dram_latency_cycles);
    }
    queue.in_flight.push(done);
    return done;
  }

  // Back to back with the previous tile the array's pipeline stays full (gemm_tile_streamed_cycles).
  double compute(const Command& c, double ready) {
    const double start = std::max(array_free_, ready);
    const bool streamed = config_.array.overlap_folds && array_used_ && ready <= array_free_;
    array_used_ = true;
    array_free_ = start + tile_busy_cycles(c.tile, streamed);
    return array_free_;
  }

  // A GEMM's stream repeats one tile shape: the previous tile's cycles are reused when the shape and
  // the streaming match (array_tile_busy_cycles is a pure function of them and the config).
  double tile_busy_cycles(const ComputeTile& tile, bool streamed) {
    if (last_tile_ != tile || last_streamed_ != streamed) {
      last_tile_ = tile;
      last_streamed_ = streamed;
      last_tile_cycles_ = static_cast<double>(
          array_tile_busy_cycles(array_, config_.array.dataflow, GemmShape{tile.m, tile.n, tile.k}, dtype_,
                                 config_.sram, config_.array.overlap_folds, streamed));
    }
    return last_tile_cycles_;
  }

  double vector(const Command& c, double ready) {
    const double start = std::max(vector_free_, ready);
    vector_free_ = start + static_cast<double>(std::max(
                               vector_op_cycles(config_.vector, c.vector.elements, c.vector.ops_per_element),
                               sram_port_cycles(config_.sram, c.vector.read_bytes + c.vector.write_bytes)));
    return vector_free_;
  }

  const NpuConfig& config_;
  const ArrayShape& array_;
  DType dtype_;
  const CoreMemoryRates& rates_;
  SharedMemories& memories_;
  const CommandStream* stream_;
  std::vector<double> done_;
  std::vector<uint8_t> known_;
  std::array<std::vector<uint32_t>, kUnits> queues_;
  std::array<size_t, kUnits> cursor_{};
  std::array<std::optional<double>, kUnits> head_ready_;  // each unit's next command, once known
  size_t next_unit_ = kUnits;
  DmaState load_, store_;
  double noc_free_ = 0.0;  // the NoC links into the core have carried every earlier DRAM byte by here
  double array_free_ = 0.0, vector_free_ = 0.0, last_ = 0.0;
  bool array_used_ = false;
  std::optional<ComputeTile> last_tile_;  // the tile_busy_cycles memo
  bool last_streamed_ = false;
  double last_tile_cycles_ = 0.0;
};

}  // namespace

std::vector<double> schedule_streams_cycles(const std::vector<const CommandStream*>& streams,
                                            const NpuConfig& config, const ArrayShape& array, DType dtype,
                                            const std::vector<CoreMemoryRates>& rates, double cutoff_cycles) {
  SharedMemories memories;
  std::vector<StreamScheduler> cores;
  cores.reserve(streams.size());
  std::vector<double> next;
  for (size_t core = 0; core < streams.size(); ++core) {
    cores.emplace_back(*streams[core], config, array, dtype, rates[core], memories);
    next.push_back(cores.back().next_issue());
  }
  // The core that issues first goes next (the lowest on a tie); only its own next issue changes.
  for (;;) {
    const auto first = std::min_element(next.begin(), next.end());
    if (first == next.end() || *first == kNever) break;
    const size_t core = static_cast<size_t>(first - next.begin());
    cores[core].step();
    next[core] = cores[core].next_issue();
    // Both are lower bounds of the core's end: the schedule can only end later.
    if (cores[core].last() > cutoff_cycles || (next[core] > cutoff_cycles && next[core] != kNever)) {
      return std::vector<double>(streams.size(), kNever);
    }
  }
  std::vector<double> last;
  for (const StreamScheduler& core : cores) last.push_back(core.last());
  return last;
}

double schedule_stream_cycles(const CommandStream& stream, const NpuConfig& config, const ArrayShape& array,
                              DType dtype, const CoreMemoryRates& rates) {
  return schedule_streams_cycles({&stream}, config, array, dtype, {rates}).front();
}

}  // namespace npusim
