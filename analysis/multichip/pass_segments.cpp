// Segmenting a shard's op times at the collectives a parallel plan needs.
#include "analysis/multichip/pass_segments.h"

#include <cmath>

namespace npusim {
namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

enum class Part : uint8_t { kFirst, kLayers, kLast };

Part part_of(const std::string& name, bool seen_layer) {
  if (name.rfind("layers.", 0) == 0) return Part::kLayers;
  return seen_layer ? Part::kLast : Part::kFirst;
}

// The collectives after an op, in order (empty: none).
std::vector<PassSegment> collectives_after(const std::string& name, const ParallelPlan& plan, const PassShape& s) {
  const Bytes activations = s.tokens * s.hidden * s.element_bytes;
  const bool tp = plan.tp > 1;
  const bool ep = plan.ep > 1;
  const auto make = [](CollectiveKind kind, Bytes bytes) { return PassSegment{0, true, kind, bytes}; };
  const CollectiveKind all_reduce = plan.tree_all_reduce ? CollectiveKind::kAllReduceTree : CollectiveKind::kAllReduceRing;
  if (!tp) return {};
  if (name == "embed_tokens" || ends_with(name, ".mlp.down_proj")) return {make(all_reduce, activations)};
  if (name == "lm_head") return {make(CollectiveKind::kAllGather, s.sequences * s.vocab * s.element_bytes)};
  if (ends_with(name, ".self_attn.o_proj")) {
    // With EP each rank keeps 1/ep of the tokens for routing: a reduce-scatter instead of an all-reduce.
    return {make(ep ? CollectiveKind::kReduceScatter : all_reduce, activations)};
  }
  if (ep && ends_with(name, ".mlp.router_softmax")) {
    // Each rank sends its tokens' k copies, spread over the ranks owning the chosen experts.
    return {make(CollectiveKind::kAllToAll, ceil_div(activations, plan.ep) * s.experts_per_token)};
  }
  if (ep && ends_with(name, ".mlp.experts.down_proj")) {
    return {make(CollectiveKind::kAllToAll, ceil_div(activations, plan.ep) * s.experts_per_token)};
  }
  if (ends_with(name, ".mlp.experts.combine")) {
    return {make(ep ? CollectiveKind::kAllGather : all_reduce, activations)};
  }
  return {};
}

uint64_t to_ps(double seconds) { return static_cast<uint64_t>(std::llround(seconds * 1e12)); }

}  // namespace

PassSegments pass_segments(const std::vector<OpTime>& ops, const ParallelPlan& plan, const PassShape& shape) {
  PassSegments out;
  bool seen_layer = false;
  PassSegment open;
  Part open_part = Part::kFirst;
  const auto part_list = [&](Part part) -> std::vector<PassSegment>& {
    return part == Part::kFirst ? out.first_stage : part == Part::kLayers ? out.layers : out.last_stage;
  };
  for (const OpTime& op : ops) {
    const Part part = part_of(op.name, seen_layer);
    seen_layer = seen_layer || part == Part::kLayers;
    if (part != open_part) {  // a segment never spans parts: stages cut there
      if (open.compute_ps > 0) part_list(open_part).push_back(open);
      open = PassSegment{};
      open_part = part;
    }
    open.compute_ps += to_ps(op.time_s);
    for (const PassSegment& collective : collectives_after(op.name, plan, shape)) {
      open.collective = true;
      open.kind = collective.kind;
      open.bytes = collective.bytes;
      part_list(part).push_back(open);
      open = PassSegment{};
    }
  }
  if (open.compute_ps > 0) part_list(open_part).push_back(open);
  out.stage_send_bytes = shape.tokens * shape.hidden * shape.element_bytes;
  return out;
}

}  // namespace npusim
