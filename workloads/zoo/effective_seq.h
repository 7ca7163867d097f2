// Unpadded encoder batches: a zoo encoder spec (bert-base, bert-large) rewritten to the mean length of a
// token-length distribution, as serving engines run BERT without padding (REFERENCE.md §3.4 note).
#pragma once

#include <cstdint>
#include <string>

#include "workloads/traffic/token_moments.h"
#include "workloads/workload_spec.h"

namespace npusim {

struct EffectiveSeq {
  std::string distribution;  // the DIST text
  uint64_t max_len = 0;      // lengths clip here: the spec's seq, or the model's context when none is given
  TokenMoments moments;
  uint64_t seq = 0;  // round(E[L]): the tokens per sequence the workload is built with
  // Attention scales with E[L^2], which a uniform batch at seq understates by this fraction (it is
  // E[L]^2 / E[L^2] - 1 <= 0); token-linear layers (projections, FFN, norms) are exact.
  double attention_flops_error = 0.0;
  std::string note() const;  // one line for reports
};

bool is_zoo_encoder(const std::string& name);

// Sets spec.params["seq"] to the effective length. A spec that is not a zoo encoder is an InputError at
// (file, where).
EffectiveSeq apply_effective_seq(WorkloadSpec& spec, const TokenDistribution& distribution,
                                 const std::string& file, const std::string& where);

}  // namespace npusim
