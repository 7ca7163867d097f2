#include "arch/isa/span_recorder.h"

#include <algorithm>
#include <utility>

namespace npusim {
namespace {

// `into` absorbs `next`, a later span of the same track.
void merge(Span& into, const Span& next) {
  into.start = std::min(into.start, next.start);
  into.end = std::max(into.end, next.end);
  into.busy += next.busy;
  into.bytes += next.bytes;
  into.first_layer = std::min(into.first_layer, next.first_layer);
  into.last_layer = std::max(into.last_layer, next.last_layer);
  into.count += next.count;
  into.m = into.n = into.k = 0;
  if (into.kind != next.kind) into.kind = SpanKind::kMixed;
}

}  // namespace

const char* span_kind_name(SpanKind kind) {
  switch (kind) {
    case SpanKind::kDmaLoad:
      return "dma_load";
    case SpanKind::kDmaStore:
      return "dma_store";
    case SpanKind::kCompute:
      return "compute";
    case SpanKind::kVector:
      return "vector";
    case SpanKind::kDramRead:
      return "dram_read";
    case SpanKind::kDramWrite:
      return "dram_write";
    case SpanKind::kNocTransfer:
      return "noc_transfer";
    case SpanKind::kFill:
      return "fill";
    case SpanKind::kStallMemory:
      return "memory_stall";
    case SpanKind::kStallDependency:
      return "dependency_stall";
    case SpanKind::kDrain:
      return "drain";
    case SpanKind::kMixed:
      break;
  }
  return "mixed";
}

const char* span_aggregation_name(SpanAggregation aggregation) {
  switch (aggregation) {
    case SpanAggregation::kNone:
      return "none";
    case SpanAggregation::kPerLayer:
      return "per_layer";
    case SpanAggregation::kGrouped:
      break;
  }
  return "grouped";
}

SpanRecorder::SpanRecorder(uint64_t max_spans) : max_spans_(std::max<uint64_t>(1, max_spans)) {}

uint32_t SpanRecorder::add_track(std::string name, bool fifo) {
  names_.push_back(std::move(name));
  fifo_.push_back(fifo ? 1 : 0);
  last_end_.push_back(0);
  last_span_.push_back(kNoSpan);
  return static_cast<uint32_t>(names_.size() - 1);
}

void SpanRecorder::record(uint32_t track, SpanKind kind, Cycles start, Cycles end, Bytes bytes, uint32_t m,
                          uint32_t n, uint32_t k) {
  ++recorded_;
  if (fifo_[track]) start = std::max(start, last_end_[track]);
  end = std::max(end, start);
  last_end_[track] = end;
  append_or_merge(Span{start, end, end - start, bytes, track, layer_, layer_, 1, m, n, k, kind});
  if (aggregation_ == SpanAggregation::kNone && spans_.size() > max_spans_) compact_per_layer();
}

void SpanRecorder::append_or_merge(const Span& span) {
  const uint32_t last = last_span_[span.track];
  if (aggregation_ != SpanAggregation::kNone && last != kNoSpan &&
      spans_[last].last_layer == span.first_layer) {
    merge(spans_[last], span);
    return;
  }
  last_span_[span.track] = static_cast<uint32_t>(spans_.size());
  spans_.push_back(span);
}

void SpanRecorder::compact_per_layer() {
  aggregation_ = SpanAggregation::kPerLayer;
  std::vector<Span> old;
  old.swap(spans_);
  std::fill(last_span_.begin(), last_span_.end(), kNoSpan);
  for (const Span& span : old) append_or_merge(span);
}

void SpanRecorder::finish() {
  if (spans_.size() <= max_spans_) return;
  std::vector<uint64_t> per_track(names_.size(), 0);
  uint64_t active = 0;
  for (const Span& span : spans_) active += per_track[span.track]++ == 0;
  // Each track keeps at most `budget` spans: groups of ceil(count / budget) consecutive ones.
  const uint64_t budget = std::max<uint64_t>(1, max_spans_ / active);
  std::vector<uint64_t> group(names_.size(), 1);
  for (size_t t = 0; t < names_.size(); ++t) group[t] = std::max<uint64_t>(1, ceil_div(per_track[t], budget));
  std::vector<Span> old;
  old.swap(spans_);
  std::vector<uint64_t> seen(names_.size(), 0);
  std::fill(last_span_.begin(), last_span_.end(), kNoSpan);
  for (const Span& span : old) {
    const uint32_t t = span.track;
    if (seen[t]++ % group[t] != 0) {
      merge(spans_[last_span_[t]], span);
    } else {
      last_span_[t] = static_cast<uint32_t>(spans_.size());
      spans_.push_back(span);
    }
  }
  aggregation_ = SpanAggregation::kGrouped;
}

}  // namespace npusim
