// Moments of token-length distributions cut at a maximum, and the effective sequence length of unpadded
// encoder batches built from them.
#include <doctest/doctest.h>

#include <cmath>

#include "arch/spec/input_error.h"
#include "workloads/traffic/token_moments.h"
#include "workloads/zoo/effective_seq.h"
#include "workloads/zoo/model_zoo.h"

using namespace npusim;

namespace {

TokenDistribution parse(const std::string& text) { return parse_token_distribution(text, "--seq-dist"); }

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

}  // namespace

TEST_CASE("token moments: discrete forms, clipped at the maximum") {
  // fixed:100 under a 384 cap is 100 exactly; fixed:500 is cut to 384, all of it.
  CHECK(clipped_token_moments(parse("fixed:100"), 384).mean == 100.0);
  const TokenMoments cut = clipped_token_moments(parse("fixed:500"), 384);
  CHECK(cut.mean == 384.0);
  CHECK(cut.clipped_fraction == 1.0);
  // uniform:1:4 is 1, 2, 3, 4 with 1/4 each: E[L] = 2.5, E[L^2] = 30/4 = 7.5. Capped at 3: 1, 2, 3, 3.
  const TokenMoments uniform = clipped_token_moments(parse("uniform:1:4"), 100);
  CHECK(uniform.mean == doctest::Approx(2.5));
  CHECK(uniform.mean_square == doctest::Approx(7.5));
  const TokenMoments capped = clipped_token_moments(parse("uniform:1:4"), 3);
  CHECK(capped.mean == doctest::Approx(9.0 / 4.0));
  CHECK(capped.clipped_fraction == doctest::Approx(0.25));
  // A spread of zero is a fixed length.
  CHECK(clipped_token_moments(parse("normal:mean=70,std=0"), 384).mean == 70.0);
}

TEST_CASE("token moments: continuous forms") {
  // normal(100, 10) rounded to whole tokens, far from both clips: E[L] = 100 by symmetry and
  // E[L^2] = 100^2 + 10^2 + 1/12 (the rounding adds a uniform(-1/2, 1/2) error's variance).
  const TokenMoments normal = clipped_token_moments(parse("normal:mean=100,std=10"), 1000);
  CHECK(normal.mean == doctest::Approx(100.0).epsilon(1e-9));
  CHECK(normal.mean_square == doctest::Approx(10100.0 + 1.0 / 12.0).epsilon(1e-6));
  // lognormal with arithmetic mean 170 (mu = ln 170 - sigma^2 / 2): uncapped, E[L] = 170 to well under
  // 0.1 token (rounding adds nothing to the mean of a smooth density).
  const TokenMoments wide = clipped_token_moments(parse("lognormal:mean=170,sigma=0.4"), 100000);
  CHECK(wide.mean == doctest::Approx(170.0).epsilon(1e-4));
  // Capped at 384: the mass above 384.5 is cut to 384, so the mean drops.
  const TokenMoments squad = clipped_token_moments(parse("lognormal:mean=170,sigma=0.4"), 384);
  const double mu = std::log(170.0) - 0.08;
  CHECK(squad.clipped_fraction == doctest::Approx(1.0 - normal_cdf((std::log(384.5) - mu) / 0.4)));
  CHECK(squad.mean < wide.mean);
}

TEST_CASE("effective seq: an encoder spec is rebuilt at the mean length") {
  WorkloadSpec spec = parse_workload_spec("bert-large:seq=384,batch=2");
  const EffectiveSeq effective = apply_effective_seq(spec, parse("uniform:100:200"), "<cli>", "--seq-dist");
  CHECK(effective.max_len == 384);
  CHECK(effective.seq == 150);  // (100 + 200) / 2
  CHECK(spec.params.at("seq") == "150");
  // E[L^2] of uniform 100..200 = 150^2 + (101^2 - 1) / 12 = 22500 + 850: attention at 150^2 is 3.6% low.
  CHECK(effective.attention_flops_error == doctest::Approx(22500.0 / 23350.0 - 1.0));
  const Workload workload = build_zoo_workload(spec, DType::kInt8);
  CHECK(workload.ops.front().batch == 2);
  // Without a seq, lengths clip at the model's 512-token context.
  WorkloadSpec open = parse_workload_spec("bert-base");
  CHECK(apply_effective_seq(open, parse("fixed:600"), "<cli>", "--seq-dist").seq == 512);
  WorkloadSpec decoder = parse_workload_spec("gpt2");
  CHECK_THROWS_WITH_AS(apply_effective_seq(decoder, parse("fixed:10"), "<cli>", "--seq-dist"),
                       "<cli>: --seq-dist: 'gpt2' is not an encoder workload; expected bert-base or bert-large",
                       InputError);
}
