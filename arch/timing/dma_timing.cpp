#include "arch/timing/dma_timing.h"

#include <algorithm>
#include <stdexcept>

#include "arch/timing/sram_timing.h"

namespace npusim {

std::vector<Bytes> interleave_split(uint64_t address, Bytes bytes, Bytes interleave_bytes,
                                    uint32_t channels) {
  if (channels == 0 || interleave_bytes == 0)
    throw std::invalid_argument("interleave_split: zero channels or interleave");
  std::vector<Bytes> out(channels, 0);
  if (bytes == 0) return out;
  uint64_t chunk = address / interleave_bytes;
  // Head: the rest of the chunk the transfer starts in.
  const Bytes head = std::min<Bytes>(bytes, interleave_bytes - address % interleave_bytes);
  out[chunk % channels] += head;
  Bytes left = bytes - head;
  ++chunk;
  // Whole chunks: every channel gets full_rounds of them, the next `extra` channels one more.
  const uint64_t whole = left / interleave_bytes;
  const uint64_t full_rounds = whole / channels;
  const uint64_t extra = whole % channels;
  for (uint32_t c = 0; c < channels; ++c) out[c] += full_rounds * interleave_bytes;
  for (uint64_t i = 0; i < extra; ++i) out[(chunk + i) % channels] += interleave_bytes;
  chunk += whole;
  left -= whole * interleave_bytes;
  if (left > 0) out[chunk % channels] += left;  // tail
  return out;
}

ByteRate dram_total_rate(const DramConfig& dram, double clock_mhz) {
  return byte_rate_from_double(dram_bytes_per_cycle(dram, clock_mhz));
}

ByteRate dram_channel_rate(const DramConfig& dram, double clock_mhz) {
  return divide_rate(dram_total_rate(dram, clock_mhz), dram.channels);
}

Cycles isolated_dma_cycles(const NpuConfig& config, Bytes bytes) {
  const Cycles start = config.dma.setup_cycles;
  BandwidthServer port(config.dma.bytes_per_cycle, 0);
  BandwidthServer sram(sram_port_bytes_per_cycle(config.sram), config.sram.latency_cycles);
  Cycles done = std::max(port.reserve(start, bytes).done, sram.reserve(start, bytes).done);
  const std::vector<Bytes> split =
      interleave_split(0, bytes, config.dram.interleave_bytes, config.dram.channels);
  const Cycles latency = dram_latency_cycles(config);
  for (Bytes part : split) {
    if (part == 0) continue;
    BandwidthServer channel(dram_channel_rate(config.dram, config.clock_mhz), latency);
    done = std::max(done, channel.reserve(start, part).done);
  }
  return done;
}

Cycles union_cycles(std::vector<TimeInterval> intervals) {
  std::sort(intervals.begin(), intervals.end(),
            [](const TimeInterval& a, const TimeInterval& b) { return a.begin < b.begin; });
  Cycles total = 0;
  Cycles covered_until = 0;
  for (const TimeInterval& interval : intervals) {
    const Cycles begin = std::max(interval.begin, covered_until);
    if (interval.end > begin) {
      total += interval.end - begin;
      covered_until = interval.end;
    }
  }
  return total;
}

}  // namespace npusim
