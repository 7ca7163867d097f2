// Fused (flash-style) attention: a chosen tiling's command stream (see attention_lowering.h for the
// schedule).
#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "workloads/mapper/attention_lowering.h"
#include "workloads/mapper/attention_shape.h"
#include "workloads/mapper/program_builder.h"
#include "workloads/mapper/vector_costs.h"

namespace npusim {
namespace {

// Vector ops of one head's online-softmax step on an m x keys score block, with the accumulator
// rescale on every block after the first. A command mixes per-score and per-accumulator work, so it
// carries its op count as elements of one op each (vector_op_cycles only uses the product).
uint64_t online_softmax_ops(const AttentionShape& s, uint64_t m, uint64_t keys, bool rescale) {
  return m * keys * kOnlineSoftmaxVectorOps + (rescale ? m * s.head_dim * kAttentionRescaleVectorOps : 0);
}

class FusedEmitter {
 public:
  FusedEmitter(const AttentionShape& shape, const AttentionPlan& plan, const NpuConfig& config,
               LayerProgram& program)
      : s_(shape), plan_(plan), emit_(program, config.array) {}

  void run() {
    for (uint64_t b = 0; b < s_.batch; ++b) {
      for (uint64_t first = 0; first < s_.kv_heads; first += plan_.head_group) {
        group(std::min<uint64_t>(plan_.head_group, s_.kv_heads - first));
      }
    }
  }

  const StreamEmitter& emitted() const { return emit_; }

 private:
  // One group of `heads` K/V heads with their query heads: every query block, every visible key block.
  void group(uint64_t heads) {
    const Bytes kv_per_token = 2 * heads * s_.head_dim * s_.elem;
    std::optional<uint32_t> resident;
    if (plan_.kv_resident) {
      resident = emit_.load_into(kv_buffer_, BufferKind::kWeight, kv_per_token * s_.kv_len);
      if (s_.kv_cache) emit_.store(kv_per_token * s_.q_len, *resident);
    }
    uint64_t appended_blocks = 0;  // key blocks whose new tokens are already in the cache
    for (uint64_t q0 = 0; q0 < s_.q_len; q0 += plan_.q_block) {
      const uint64_t m = s_.group * std::min(plan_.q_block, s_.q_len - q0);  // stacked query heads
      const uint32_t q = emit_.load_into(q_buffer_, BufferKind::kInput, heads * m * s_.head_dim * s_.elem);
      std::optional<uint32_t> accumulator_free = out_buffer_.acquire();
      const uint64_t blocks = ceil_div(visible_keys(s_, q0 + m / s_.group), plan_.kv_block);
      uint32_t last_av = 0;
      for (uint64_t kb = 0; kb < blocks; ++kb) {
        const uint64_t begin = kb * plan_.kv_block;
        const uint64_t keys = std::min(plan_.kv_block, s_.kv_len - begin);
        uint32_t kv = 0;
        if (resident) {
          kv = *resident;
        } else {
          kv = emit_.load_into(kv_buffer_, BufferKind::kWeight, kv_per_token * keys);
          const uint64_t fresh = kb >= appended_blocks ? new_tokens_in(s_, begin, keys) : 0;
          if (s_.kv_cache && fresh > 0) emit_.store(kv_per_token * fresh, kv);
          appended_blocks = std::max(appended_blocks, kb + 1);
        }
        // Software-pipelined over heads: the array computes head i's scores while the vector unit runs
        // head i-1's softmax (array order S0 S1 AV0 S2 AV1 ...).
        uint32_t last_s = 0;
        std::optional<uint32_t> pending_softmax;
        for (uint64_t h = 0; h < heads; ++h) {
          std::vector<uint32_t> deps{q, kv};
          if (accumulator_free) deps.push_back(*std::exchange(accumulator_free, std::nullopt));
          last_s = emit_.compute(m, keys, s_.head_dim, deps);
          const uint32_t softmax =
              vector(online_softmax_ops(s_, m, keys, kb > 0),
                     m * keys * s_.acc + (kb > 0 ? m * s_.head_dim * s_.acc : 0),
                     m * keys * s_.elem + (kb > 0 ? m * s_.head_dim * s_.acc : 0), last_s);
          if (pending_softmax) last_av = emit_.compute(m, s_.head_dim, keys, {*pending_softmax, kv});
          pending_softmax = softmax;
        }
        last_av = emit_.compute(m, s_.head_dim, keys, {*pending_softmax, kv});
        kv_buffer_.read_by(last_av);
        q_buffer_.read_by(last_s);
      }
      const uint64_t out_elements = heads * m * s_.head_dim;
      const uint32_t finalize = vector(out_elements * kAttentionFinalizeVectorOps, out_elements * s_.acc,
                                       out_elements * s_.elem, last_av);
      out_buffer_.read_by(emit_.store(out_elements * s_.elem, finalize));
    }
  }

  // Ops counted as elements of one op each (see online_softmax_ops).
  uint32_t vector(uint64_t ops, Bytes read_bytes, Bytes write_bytes, uint32_t after) {
    return emit_.vector(VectorWork{VectorOpKind::kElementwise, ops, 1, read_bytes, write_bytes}, {after});
  }

  const AttentionShape& s_;
  const AttentionPlan& plan_;
  StreamEmitter emit_;
  DoubleBuffer q_buffer_, kv_buffer_, out_buffer_;
};

}  // namespace

void emit_fused_attention(const Operator& op, const AttentionPlan& plan, const NpuConfig& config,
                          LayerProgram& program) {
  const AttentionShape s = attention_shape(op);
  FusedEmitter emitter(s, plan, config, program);
  emitter.run();
  LayerMapping& mapping = program.mapping;
  mapping.unit = "array";
  mapping.loop_order = "b-h-q-k";  // batch, K/V head group, query block, key block
  mapping.tile = {static_cast<uint32_t>(s.group * plan.q_block), static_cast<uint32_t>(plan.kv_block),
                  static_cast<uint32_t>(s.head_dim)};
  emitter.emitted().report_array_work(mapping);
  mapping.planned_dram_read_bytes = emitter.emitted().loaded_bytes();
  mapping.planned_dram_write_bytes = emitter.emitted().stored_bytes();
  mapping.sram_footprint_bytes = plan.sram_footprint_bytes;
}

}  // namespace npusim
