// SpanRecorder: the timeline's raw material, [start, end) cycle spans on named tracks (a core's unit,
// a DRAM channel, a NoC link), filled by the models only when `npusim run --timeline` asks for it.
// Bounded: past max_spans it merges each track's spans per layer as they arrive, and finish() merges
// further if that is still too many, so memory stays O(max_spans + tracks * layers).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "arch/spec/units.h"

namespace npusim {

enum class SpanKind : uint8_t {
  kDmaLoad,
  kDmaStore,
  kCompute,
  kVector,
  kDramRead,
  kDramWrite,
  kNocTransfer,
  // An engine's idle time within a layer, on its stall track (see NpuCore): before its first command
  // (fill), waiting on a load or store (memory), on another engine's work (dependency), and after its
  // last command until the layer ends (drain).
  kFill,
  kStallMemory,
  kStallDependency,
  kDrain,
  kMixed
};
const char* span_kind_name(SpanKind kind);

struct Span {
  Cycles start = 0;
  Cycles end = 0;
  Cycles busy = 0;  // summed lengths of the spans merged into this one (end - start when count == 1)
  Bytes bytes = 0;
  uint32_t track = 0;
  uint32_t first_layer = 0;
  uint32_t last_layer = 0;
  uint32_t count = 1;            // spans merged into this one
  uint32_t m = 0, n = 0, k = 0;  // MAC-array tile shape (a single compute span only)
  SpanKind kind = SpanKind::kMixed;
};

enum class SpanAggregation : uint8_t { kNone, kPerLayer, kGrouped };
const char* span_aggregation_name(SpanAggregation aggregation);

class SpanRecorder {
 public:
  explicit SpanRecorder(uint64_t max_spans);

  // A reservation track (`fifo`) clamps each span's start to the previous span's end: a FIFO server
  // packs bookings at sub-cycle granularity, so rounded to cycles they may touch by one cycle.
  uint32_t add_track(std::string name, bool fifo = false);
  // Spans recorded from now on belong to `layer` (layers are barrier-separated across all cores).
  void begin_layer(uint32_t layer) { layer_ = layer; }
  void record(uint32_t track, SpanKind kind, Cycles start, Cycles end, Bytes bytes, uint32_t m = 0,
              uint32_t n = 0, uint32_t k = 0);
  // After the run: merges consecutive spans of each track into groups until at most max_spans remain
  // (at least one per track that has any).
  void finish();

  const std::vector<Span>& spans() const { return spans_; }
  const std::vector<std::string>& tracks() const { return names_; }
  uint64_t recorded() const { return recorded_; }
  uint64_t max_spans() const { return max_spans_; }
  SpanAggregation aggregation() const { return aggregation_; }

 private:
  static constexpr uint32_t kNoSpan = UINT32_MAX;
  void append_or_merge(const Span& span);
  void compact_per_layer();

  uint64_t max_spans_;
  std::vector<std::string> names_;
  std::vector<uint8_t> fifo_;
  std::vector<Cycles> last_end_;     // per track: end of its latest span (fifo tracks)
  std::vector<uint32_t> last_span_;  // per track: index of its latest span in spans_, or kNoSpan
  std::vector<Span> spans_;
  uint32_t layer_ = 0;
  uint64_t recorded_ = 0;
  SpanAggregation aggregation_ = SpanAggregation::kNone;
};

}  // namespace npusim
