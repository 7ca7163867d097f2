#include "arch/npu.h"

#include <algorithm>
#include <stdexcept>

namespace npusim {

Npu::Npu(sc_core::sc_module_name name, const NpuConfig& config, SpanRecorder* recorder)
    : sc_core::sc_module(name),
      config_(config),
      clock_(config.clock_mhz),
      dram_(make_dram(std::string(this->name()) + ".dram", config_.dram, config_.clock_mhz)),
      fabric_(std::make_unique<MemoryFabric>(config_.noc, config_.global_sram, config_.cores, *dram_)),
      arbiter_("arbiter", clock_, errors_) {
  if (config_.cores > 1) barrier_ = std::make_unique<LayerBarrier>(config_.cores, clock_);
  for (uint32_t c = 0; c < config_.cores; ++c) {
    cores_.push_back(std::make_unique<NpuCore>(("core" + std::to_string(c)).c_str(), c, config_, clock_,
                                               *fabric_, arbiter_, barrier_.get(), errors_, recorder));
  }
  if (recorder != nullptr) {
    dram_->set_recorder(recorder);
    fabric_->set_recorder(recorder);
  }
  core_stats_.resize(config_.cores);
}

void Npu::load(const std::vector<LayerProgram>& layers, const LayerFeed* feed) {
  layers_ = &layers;
  feed_ = feed;
  if (feed != nullptr) {
    cores_finished_.assign(layers.size(), 0);
    core_feed_.prepare = [this](size_t layer) {
      if (layer < layers_prepared_) return;
      feed_->prepare(layer);
      layers_prepared_ = layer + 1;
    };
    core_feed_.finished = [this](size_t layer) {
      if (++cores_finished_[layer] == cores_.size()) feed_->finished(layer);
    };
  }
  for (size_t c = 0; c < cores_.size(); ++c)
    cores_[c]->load(layers, core_stats_[c], feed != nullptr ? &core_feed_ : nullptr);
}

size_t Npu::layers_finished() const {
  size_t done = layers_ == nullptr ? 0 : layers_->size();
  for (const auto& core : cores_) done = std::min(done, core->layers_finished());
  return done;
}

LayerStats combine_core_stats(const std::vector<const LayerStats*>& per_core) {
  size_t critical = 0;
  for (size_t c = 1; c < per_core.size(); ++c) {
    if (per_core[c]->end_cycle > per_core[critical]->end_cycle) critical = c;
  }
  LayerStats out = *per_core[critical];  // time split, start and end
  out.critical_core = static_cast<uint32_t>(critical);
  for (const LayerCounter& counter : kLayerCounters) {
    if (counter.combine != CoreCombine::kSum) continue;
    uint64_t sum = 0;
    for (const LayerStats* s : per_core) sum += s->*counter.member;
    out.*counter.member = sum;
  }
  for (const LayerStats* s : per_core) out.barrier_wait_cycles += out.end_cycle - s->end_cycle;
  return out;
}

NpuRunStats Npu::results() {
  errors_.rethrow_if_any();
  NpuRunStats run;
  for (const auto& core : cores_) {
    if (!core->finished()) {
      // Name a core that is stuck inside a layer rather than one waiting for it at the barrier.
      for (const auto& other : cores_) {
        if (!other->finished() && other->stuck()) throw std::logic_error(other->describe_stall());
      }
      throw std::logic_error(core->describe_stall());
    }
    run.kernel_wakeups += core->wakeups();
    run.commands_issued += core->commands_issued();
  }
  run.cores = config_.cores;
  if (cores_.size() == 1) {
    run.layers = core_stats_.front();
  } else {
    const size_t layers = layers_ == nullptr ? 0 : layers_->size();
    std::vector<const LayerStats*> per_core(cores_.size());
    for (size_t l = 0; l < layers; ++l) {
      for (size_t c = 0; c < cores_.size(); ++c) per_core[c] = &core_stats_[c][l];
      run.layers.push_back(combine_core_stats(per_core));
    }
    run.core_layers = core_stats_;
  }
  run.noc_links = fabric_->noc().link_stats();
  run.total_cycles = run.layers.empty() ? 0 : run.layers.back().end_cycle;
  run.arbiter_batches = arbiter_.batches();
  return run;
}

}  // namespace npusim
