#include "arch/memory/dram.h"

#include <algorithm>

#include "arch/timing/dma_timing.h"

namespace npusim {

InterleavedDram::InterleavedDram(std::string name, const DramConfig& config, double clock_mhz)
    : name_(std::move(name)),
      interleave_bytes_(config.interleave_bytes),
      latency_(dram_latency_cycles(config, clock_mhz)) {
  const ByteRate rate = dram_channel_rate(config, clock_mhz);
  channels_.reserve(config.channels);
  for (uint32_t c = 0; c < config.channels; ++c) channels_.emplace_back(rate, latency_);
}

Cycles InterleavedDram::access(Cycles now, uint64_t address, Bytes bytes, bool is_write) {
  (is_write ? stats_.write_bytes : stats_.read_bytes) += bytes;
  ++stats_.accesses;
  if (bytes == 0) return now;
  const std::vector<Bytes> split =
      interleave_split(address, bytes, interleave_bytes_, static_cast<uint32_t>(channels_.size()));
  Cycles done = now;
  for (size_t c = 0; c < channels_.size(); ++c) {
    if (split[c] == 0) continue;
    done = std::max(done, reserve(c, now, split[c], is_write));
  }
  return done;
}

void InterleavedDram::access_by_channel(Cycles now, uint64_t address, Bytes bytes, bool is_write,
                                        std::vector<DramPiece>& pieces) {
  pieces.clear();
  (is_write ? stats_.write_bytes : stats_.read_bytes) += bytes;
  ++stats_.accesses;
  if (bytes == 0) return;
  const std::vector<Bytes> split =
      interleave_split(address, bytes, interleave_bytes_, static_cast<uint32_t>(channels_.size()));
  for (size_t c = 0; c < channels_.size(); ++c) {
    if (split[c] == 0) continue;
    pieces.push_back({static_cast<uint32_t>(c), split[c], reserve(c, now, split[c], is_write)});
  }
}

Cycles InterleavedDram::reserve(size_t channel, Cycles now, Bytes bytes, bool is_write) {
  const Reservation booked = channels_[channel].reserve(now, bytes);
  if (recorder_ != nullptr) {
    recorder_->record(tracks_[channel], is_write ? SpanKind::kDramWrite : SpanKind::kDramRead, booked.start,
                      booked.end, bytes);
  }
  return booked.done;
}

void InterleavedDram::set_recorder(SpanRecorder* recorder) {
  recorder_ = recorder;
  tracks_.clear();
  if (recorder == nullptr) return;
  for (size_t c = 0; c < channels_.size(); ++c)
    tracks_.push_back(recorder->add_track(name_ + ".ch" + std::to_string(c), /*fifo=*/true));
}

DramStats InterleavedDram::stats() const {
  DramStats out = stats_;
  out.channel_busy_cycles.clear();
  for (const auto& channel : channels_) out.channel_busy_cycles.push_back(channel.busy_cycles());
  return out;
}

std::unique_ptr<DramModel> make_dram(std::string name, const DramConfig& config, double clock_mhz) {
  return std::make_unique<InterleavedDram>(std::move(name), config, clock_mhz);
}

}  // namespace npusim
