// What `npusim serve` derives before serving: the model's shape facts, each device's KV-cache capacity
// (DRAM - weights - activation workspace) and the checks that every request can run.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "arch/spec/units.h"
#include "sim/serve/serve_run.h"
#include "workloads/traffic/serve_request.h"

namespace npusim {

struct ModelFacts {
  std::string spec;             // zoo spec as given (no seq/past/batch)
  uint32_t layers = 0;          // decoder layers (attention operators)
  uint64_t context_tokens = 0;  // the model's trained context
  Bytes kv_bytes_per_token = 0;
  Bytes weight_bytes = 0;
  Bytes largest_output_bytes = 0;  // the largest operator output in a step of max_batched_tokens tokens
};

// Throws InputError for a workload that is not a decoder LLM with a KV cache.
ModelFacts read_model_facts(const std::string& model, const std::string& dtype_name, const std::string& npu_dtype,
                            uint64_t max_batched_tokens);

struct KvCapacity {
  Bytes device_bytes = 0;
  Bytes weight_bytes = 0;
  Bytes workspace_bytes = 0;
  Bytes kv_bytes = 0;
  uint64_t blocks = 0;
  uint64_t block_tokens = 0;
  nlohmann::ordered_json to_json(const ModelFacts& model) const;
};

// `file`/`field` name where the capacity came from in errors (weights + workspace beyond the device).
KvCapacity kv_capacity(const ModelFacts& model, Bytes device_bytes, uint64_t block_tokens, double workspace_factor,
                       const std::string& file, const std::string& field);

// Requests longer than the model's context: an InputError naming the first one's line (or id), or with
// drop_oversized removed; returns how many were dropped.
uint64_t check_context(std::vector<ServeRequest>& requests, const ModelFacts& model, bool drop_oversized,
                       const std::string& source);

// Every request must be able to run alone: its tokens within the cache, its prompt within the budget.
void check_fits(const std::vector<ServeRequest>& requests, const KvCapacity& kv, const SchedulerConfig& scheduler,
                const std::string& device, const std::string& source);

}  // namespace npusim
