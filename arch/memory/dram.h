// Off-chip memory behind a small interface, so an external DRAM simulator can replace the built-in
// channel model later: the DMA engine only asks "when is this access done if I issue it now".
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/bandwidth_server.h"
#include "sim/core/npu_config.h"
#include "sim/core/units.h"

namespace npusim {

struct DramStats {
  Bytes read_bytes = 0;
  Bytes write_bytes = 0;
  uint64_t accesses = 0;
  std::vector<Cycles> channel_busy_cycles;
};

class DramModel {
 public:
  virtual ~DramModel() = default;
  virtual const std::string& name() const = 0;
  // Books an access issued at `now` (the current cycle, never a future one); returns the cycle its
  // last byte is done, latency included.
  virtual Cycles access(Cycles now, uint64_t address, Bytes bytes, bool is_write) = 0;
  virtual DramStats stats() const = 0;
};

// `channels` FIFO channels at dram_bytes_per_cycle / channels each, addresses interleaved every
// interleave_bytes. An access is split over the channels it touches; it is done when its slowest
// channel is, plus the access latency.
class InterleavedDram final : public DramModel {
 public:
  InterleavedDram(std::string name, const NpuConfig& config);
  const std::string& name() const override { return name_; }
  Cycles access(Cycles now, uint64_t address, Bytes bytes, bool is_write) override;
  DramStats stats() const override;

 private:
  std::string name_;
  Bytes interleave_bytes_;
  std::vector<BandwidthServer> channels_;
  DramStats stats_;
};

// The DRAM model for a config; today always InterleavedDram (dram.kind selects energy, not timing).
std::unique_ptr<DramModel> make_dram(std::string name, const NpuConfig& config);

}  // namespace npusim
