// GEMM lowering: a chosen tiling as a double-buffered command stream (see gemm_lowering.h).
#include "workloads/mapper/gemm_lowering.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "arch/timing/systolic_timing.h"
#include "workloads/mapper/choose_best.h"
#include "workloads/mapper/gemm_schedule_bound.h"
#include "workloads/mapper/gemm_tiling.h"
#include "workloads/mapper/hardware_limits.h"
#include "workloads/mapper/partition_estimate.h"
#include "workloads/mapper/program_builder.h"

namespace npusim {
namespace {

// Identity of an operand tile: (gemm, row-tile index, column-tile index) in the operand's own terms.
struct TileKey {
  uint64_t gemm = 0, first = 0, second = 0;
  bool operator==(const TileKey& other) const {
    return gemm == other.gemm && first == other.first && second == other.second;
  }
};

// Plans the closed form's ranking shortlists per SRAM level (gemm_plan_shortlist): its ranking ignores
// the scratchpad port and DMA queueing, so the plan the schedule prefers can rank well below the top
// (below the sixth on edge-int8 with a one-bank scratchpad); the lower bound skips most of them before emission.
constexpr size_t kScheduledPlans = 12;

struct ScheduledPlan {
  LayerProgram program;
  double cycles = 0.0;
  Bytes dram_bytes = 0;
};

// Most chunks one weight tile is streamed in (bounds the command count).
constexpr uint64_t kMaxWeightChunks = 8;

class GemmEmitter {
 public:
  GemmEmitter(const GemmProblem& problem, const GemmPlan& plan, const NpuConfig& config,
              LayerProgram& program)
      : p_(problem),
        plan_(plan),
        config_(config),
        emit_(program, config.array),
        m_tiles_(expand_m_tiles(plan.m_tiling)) {}

  void run() {
    const bool m_outer = plan_.order == LoopOrder::kMNK;
    const uint64_t outer_trips = m_outer ? plan_.m_trips : plan_.n_trips;
    const uint64_t inner_trips = m_outer ? plan_.n_trips : plan_.m_trips;
    for (uint64_t g = 0; g < p_.gemm_count; ++g) {
      for (uint64_t outer = 0; outer < outer_trips; ++outer) {
        for (uint64_t inner = 0; inner < inner_trips; ++inner) {
          for (uint64_t k = 0; k < plan_.k_trips; ++k) {
            step(g, m_outer ? outer : inner, m_outer ? inner : outer, k);
          }
        }
      }
    }
  }

  // Weight streaming may split a planned tile along K: the tiles are the compute commands emitted.
  void report_array_work(LayerMapping& mapping) const { emit_.report_array_work(mapping); }

 private:
  void step(uint64_t g, uint64_t mi, uint64_t ni, uint64_t ki) {
    const MTile& m_tile = m_tiles_[mi];
    const uint64_t n = std::min(plan_.n_tile, p_.n - ni * plan_.n_tile);
    const uint64_t k_units = std::min(plan_.k_tile_units, p_.k_units - ki * plan_.k_tile_units);
    std::vector<uint32_t>& deps = deps_;  // reused: one step's dependencies at a time
    deps.clear();
    // An operand is loaded only when its tile changes: this is what makes the traffic rule hold.
    if (!(a_loaded_ && *a_loaded_ == TileKey{g, mi, ki})) {
      deps.push_back(
          emit_.load_into(a_buffer_, BufferKind::kInput, m_tile.a_units * k_units * p_.elem_bytes));
      a_loaded_ = TileKey{g, mi, ki};
    }
    // A new output tile takes the accumulator slot whose previous tile must have been stored.
    const std::optional<uint32_t> slot_freed = ki == 0 ? c_buffer_.acquire() : std::nullopt;
    uint32_t compute = 0;
    if (!(b_loaded_ && *b_loaded_ == TileKey{g, ki, ni})) {
      compute = load_weights_and_compute(m_tile.m, n, k_units, deps, slot_freed);
      b_loaded_ = TileKey{g, ki, ni};
    } else {
      if (slot_freed) deps.push_back(*slot_freed);
      compute = emit_.compute(m_tile.m, n, k_units * p_.k_per_unit, deps);
    }
    a_buffer_.read_by(compute);
    b_buffer_.read_by(compute);
    // Stored once, after the tile's last k step, in the operand dtype. A fused activation (and the
    // requantisation) is applied in the array's output path on the way out: free, no extra pass.
    if (ki + 1 == plan_.k_trips) c_buffer_.read_by(emit_.store(m_tile.m * n * p_.elem_bytes, compute));
  }

  // A newly needed weight tile. Under the latency objective it streams in K chunks of whole array folds,
  // each computed as soon as it lands (as a weight FIFO feeds a real array), instead of the whole tile
  // landing before the first MAC; the chunks share one buffer half and the bytes are the same. A chunk
  // is a whole number of folds of K elements (not of channels: 4 channels of a 3x3 conv are 36 rows,
  // two folds of a 32-row array, and chunking by channels nearly doubled the folds), so the chunks
  // together take exactly the folds of the unchunked tile. Returns the last compute.
  uint32_t load_weights_and_compute(uint64_t m, uint64_t n, uint64_t k_units, std::vector<uint32_t>& deps,
                                    std::optional<uint32_t> slot_freed) {
    const uint64_t k = k_units * p_.k_per_unit;
    const uint64_t k_per_chunk = weight_chunk_k(m, n, k);
    uint32_t compute = 0;
    for (uint64_t done = 0, chunk = 0; done < k; done += k_per_chunk, ++chunk) {
      const uint64_t chunk_k = std::min(k_per_chunk, k - done);
      const Bytes bytes = chunk_k * n * p_.elem_bytes;
      // Only the first chunk claims the buffer half; the others fill the same half.
      deps.push_back(chunk == 0 ? emit_.load_into(b_buffer_, BufferKind::kWeight, bytes)
                                : emit_.load(BufferKind::kWeight, bytes));
      if (chunk == 0 && slot_freed) deps.push_back(*slot_freed);
      compute = emit_.compute(m, n, chunk_k, deps);
      deps.assign(1, compute);  // keeps the chunks of one output tile in order (they accumulate)
    }
    return compute;
  }

  // K elements per weight chunk: whole folds of the dimension K occupies on the array (rows for WS/IS;
  // OS streams K in time and is not chunked), at most kMaxWeightChunks chunks.
  uint64_t weight_chunk_k(uint64_t m, uint64_t n, uint64_t k) const {
    if (config_.mapper.objective != MapperObjective::kLatency) return k;
    if (config_.array.dataflow == Dataflow::kOutputStationary) return k;
    const SpatialMapping mapping = spatial_mapping(config_.array.dataflow, GemmShape{m, n, k});
    const uint64_t k_folds = ceil_div(mapping.sr, config_.array.rows);
    const uint64_t chunks = std::max<uint64_t>(1, std::min(k_folds, kMaxWeightChunks));
    return std::min(k, ceil_div(k_folds, chunks) * config_.array.rows);
  }

  const GemmProblem& p_;
  const GemmPlan& plan_;
  const NpuConfig& config_;
  StreamEmitter emit_;
  std::vector<MTile> m_tiles_;
  std::optional<TileKey> a_loaded_, b_loaded_;
  DoubleBuffer a_buffer_, b_buffer_, c_buffer_;
  std::vector<uint32_t> deps_;
};

}  // namespace

void emit_gemm_program(const GemmProblem& problem, const GemmPlan& plan, const NpuConfig& config,
                       LayerProgram& program) {
  // About three commands per planned tile (input load, weight load, store; weight chunking adds a load
  // and a compute per chunk): one allocation saves most regrowths, and a search's later plans reuse the
  // first one's buffers.
  const uint64_t expected = std::min<uint64_t>(plan.compute_tiles * 3, kMaxCommandsPerStream);
  program.commands.reserve(program.commands.size() + expected);
  program.deps.reserve(program.deps.size() + expected);
  GemmEmitter emitter(problem, plan, config, program);
  emitter.run();
  LayerMapping& mapping = program.mapping;
  mapping.unit = "array";
  mapping.loop_order = std::string(problem.gemm_count > 1 ? "g-" : "") + loop_order_name(plan.order);
  mapping.tile = {static_cast<uint32_t>(plan.m_tiling.max_m), static_cast<uint32_t>(plan.n_tile),
                  static_cast<uint32_t>(plan.k_tile_units * problem.k_per_unit)};
  emitter.report_array_work(mapping);
  mapping.planned_dram_read_bytes = plan.a_read_bytes + plan.b_read_bytes;
  mapping.planned_dram_write_bytes = plan.c_write_bytes;
  mapping.sram_footprint_bytes = plan.sram_footprint_bytes;
}

LayerProgram lower_gemm_layer(const Operator& op, uint32_t op_index, const NpuConfig& config) {
  check_array_dtype(op, config.array);
  const GemmProblem problem = make_gemm_problem(op, config);
  // The closed form shortlists; the list schedule of each shortlisted plan's commands (what the layer
  // estimate uses) picks, by the mapper's rule, so the plan chosen is the one estimated fastest as emitted.
  auto chooser = choose_best<ScheduledPlan>(
      RankBy{config.mapper.objective, [](ScheduledPlan& c) { return c.cycles; },
             [](ScheduledPlan& c) { return c.dram_bytes; }, [](ScheduledPlan&, ScheduledPlan&) { return false; }});
  const std::vector<GemmPlan> shortlist = gemm_plan_shortlist(problem, config, op, kScheduledPlans);
  std::optional<ScheduledPlan> spare;  // a losing plan, whose command buffers the next plan reuses
  for (size_t i = 0; i < shortlist.size(); ++i) {
    const GemmPlan& plan = shortlist[i];
    const double bound = gemm_schedule_lower_bound_cycles(problem, plan, config);
    if (chooser.loses_on_time(bound)) continue;  // cannot win: skip emitting it
    // The rule's pick (first) is held to the core's command limit; the smaller SRAM levels' plans that
    // exceed it are only skipped (Llama-3.1-405B's FFN on edge-int8: 4 Mi commands at a 1/16 level).
    if (i > 0 && plan.compute_tiles >= kMaxCommandsPerStream) continue;
    ScheduledPlan candidate{new_layer_program(op, op_index), 0.0, plan.dram_bytes()};
    if (spare) reuse_buffers(spare->program, candidate.program);
    try {
      emit_gemm_program(problem, plan, config, candidate.program);
    } catch (const CommandLimitExceeded&) {
      if (i == 0) throw;
      spare = std::move(candidate);
      continue;
    }
    candidate.cycles = estimate_layer_cycles(candidate.program, config, chooser.losing_time_cycles());
    spare = chooser.offer(std::move(candidate));
  }
  return std::move(chooser.best().program);
}

}  // namespace npusim
