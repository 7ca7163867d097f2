#include "workloads/zoo/effective_seq.h"

#include <cmath>

#include <fmt/format.h>

#include "arch/spec/input_error.h"

namespace npusim {
namespace {

struct EncoderContext {
  const char* name;
  uint64_t context;  // learned position rows (REFERENCE.md §5: BERT's 512)
};
constexpr EncoderContext kEncoders[] = {{"bert-base", 512}, {"bert-large", 512}};

}  // namespace

bool is_zoo_encoder(const std::string& name) {
  for (const auto& encoder : kEncoders) {
    if (name == encoder.name) return true;
  }
  return false;
}

EffectiveSeq apply_effective_seq(WorkloadSpec& spec, const TokenDistribution& distribution,
                                 const std::string& file, const std::string& where) {
  uint64_t context = 0;
  for (const auto& encoder : kEncoders) {
    if (spec.name == encoder.name) context = encoder.context;
  }
  if (context == 0) {
    throw InputError(file, where, "'" + spec.name + "' is not an encoder workload; expected bert-base or bert-large");
  }
  EffectiveSeq out;
  out.distribution = distribution.text;
  out.max_len = spec.params.count("seq") ? param_positive_u64(spec, "seq", std::nullopt) : context;
  out.moments = clipped_token_moments(distribution, out.max_len);
  out.seq = std::max<uint64_t>(1, static_cast<uint64_t>(std::llround(out.moments.mean)));
  const double seq = static_cast<double>(out.seq);
  out.attention_flops_error = seq * seq / out.moments.mean_square - 1.0;
  spec.params["seq"] = std::to_string(out.seq);
  return out;
}

std::string EffectiveSeq::note() const {
  return fmt::format(
      "effective seq {} = E[L] {:.1f} of {} clipped to [1, {}] ({:.1f}% of sequences cut to {}); unpadded "
      "batches; attention modeled at seq^2, {:+.1f}% vs E[L^2]",
      seq, moments.mean, distribution, max_len, 100.0 * moments.clipped_fraction, max_len,
      100.0 * attention_flops_error);
}

}  // namespace npusim
