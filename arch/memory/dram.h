// Off-chip memory behind a small interface: THE SEAM WHERE AN EXTERNAL DRAM SIMULATOR PLUGS IN
// (e.g. an adapter around Ramulator 2 or DRAMsim3 that ticks its memory system up to the requested
// cycle). The DMA engine only asks "when is this access done if I issue it now"; with a NoC it also
// needs the access split per channel (each channel's controller sits at a NoC node). Implement
// DramModel, return it from make_dram, and nothing else changes. No external model is vendored here.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "arch/isa/span_recorder.h"
#include "arch/spec/memory_config.h"
#include "arch/spec/units.h"
#include "arch/timing/bandwidth_server.h"

namespace npusim {

struct DramStats {
  Bytes read_bytes = 0;
  Bytes write_bytes = 0;
  uint64_t accesses = 0;
  std::vector<Cycles> channel_busy_cycles;
};

// The part of an access one channel serves.
struct DramPiece {
  uint32_t channel = 0;
  Bytes bytes = 0;
  Cycles done = 0;  // that channel's last byte, latency included
};

class DramModel {
 public:
  virtual ~DramModel() = default;
  virtual const std::string& name() const = 0;
  // Books an access issued at `now` (the current cycle, never a future one); returns the cycle its
  // last byte is done, latency included.
  virtual Cycles access(Cycles now, uint64_t address, Bytes bytes, bool is_write) = 0;
  // The same booking, reported per channel (replaces `pieces`). The default, for a model without
  // visible channels, is one piece on channel 0.
  virtual void access_by_channel(Cycles now, uint64_t address, Bytes bytes, bool is_write,
                                 std::vector<DramPiece>& pieces) {
    pieces.assign(1, DramPiece{0, bytes, access(now, address, bytes, is_write)});
  }
  virtual uint32_t channels() const { return 1; }
  // The fixed part of an access's time (0 if unknown): a NoC transfer overlaps the rest of it.
  virtual Cycles latency_cycles() const { return 0; }
  virtual DramStats stats() const = 0;
  // Timeline: record each channel's reservations as spans (before the first access; a model without
  // visible channels records nothing).
  virtual void set_recorder(SpanRecorder*) {}
};

// `channels` FIFO channels at dram_bytes_per_cycle / channels each, addresses interleaved every
// interleave_bytes. An access is split over the channels it touches; it is done when its slowest
// channel is, plus the access latency.
class InterleavedDram final : public DramModel {
 public:
  InterleavedDram(std::string name, const DramConfig& config, double clock_mhz);
  const std::string& name() const override { return name_; }
  Cycles access(Cycles now, uint64_t address, Bytes bytes, bool is_write) override;
  void access_by_channel(Cycles now, uint64_t address, Bytes bytes, bool is_write,
                         std::vector<DramPiece>& pieces) override;
  uint32_t channels() const override { return static_cast<uint32_t>(channels_.size()); }
  Cycles latency_cycles() const override { return latency_; }
  DramStats stats() const override;
  void set_recorder(SpanRecorder* recorder) override;

 private:
  Cycles reserve(size_t channel, Cycles now, Bytes bytes, bool is_write);

  std::string name_;
  Bytes interleave_bytes_;
  Cycles latency_;
  std::vector<BandwidthServer> channels_;
  DramStats stats_;
  SpanRecorder* recorder_ = nullptr;
  std::vector<uint32_t> tracks_;  // per channel, with a recorder
};

// The DRAM model for a config; today always InterleavedDram (dram.kind and dram.preset select energy
// and the numbers, not the timing model). An external model's adapter would be chosen here.
std::unique_ptr<DramModel> make_dram(std::string name, const DramConfig& config, double clock_mhz);

}  // namespace npusim
