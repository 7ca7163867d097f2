#include "sim/serve/serve_setup.h"

#include <fmt/format.h>

#include "arch/spec/input_error.h"
#include "sim/run/workload_loader.h"
#include "workloads/workload_spec.h"

namespace npusim {
namespace {

Workload build(const std::string& model, uint64_t seq, uint64_t past, DType dtype) {
  WorkloadSpec spec = parse_workload_spec(model);
  spec.params["seq"] = std::to_string(seq);
  if (past > 0) spec.params["past"] = std::to_string(past);
  return load_workload(WorkloadRequest{format_workload_spec(spec), 0, std::nullopt}, dtype);
}

bool fits_context(const std::string& model, uint64_t tokens, DType dtype) {
  try {
    build(model, 1, tokens - 1, dtype);
    return true;
  } catch (const InputError&) {
    return false;
  }
}

// The largest total (past + 1) the model accepts, by bisection (the zoo checks seq + past <= context).
uint64_t model_context(const std::string& model, DType dtype) {
  uint64_t low = 1, high = kMaxRequestTokens * 2;
  if (fits_context(model, high, dtype)) return high;
  while (high - low > 1) {
    const uint64_t mid = low + (high - low) / 2;
    (fits_context(model, mid, dtype) ? low : high) = mid;
  }
  return low;
}

}  // namespace

ModelFacts read_model_facts(const std::string& model, const std::string& dtype_name, const std::string& npu_dtype,
                            uint64_t max_batched_tokens) {
  const std::string name = dtype_name.empty() ? npu_dtype : dtype_name;
  const auto dtype = parse_dtype(name);
  if (!dtype) throw InputError("<cli>", "--dtype", "'" + name + "' is not one of: " + known_dtype_names());
  for (const char* key : {"seq", "past", "batch"}) {
    if (parse_workload_spec(model).params.count(key))
      throw InputError("<cli>", "--model", fmt::format("{}= is set by the scheduler; drop it from '{}'", key, model));
  }
  ModelFacts facts;
  facts.spec = model;
  const Workload one = build(model, 1, 0, *dtype);
  facts.kv_bytes_per_token = workload_kv_cache_bytes_per_token(one);
  if (facts.kv_bytes_per_token == 0)
    throw InputError("<cli>", "--model", "'" + model + "' is not a decoder LLM with a KV cache (llama3.1-8b, llama2-7b, gpt2)");
  for (const Operator& op : one.ops) facts.layers += op.kind == OpKind::kAttention ? 1 : 0;
  facts.weight_bytes = workload_parameters(one) * dtype_bytes(one.ops.front().dtype);
  facts.context_tokens = model_context(model, *dtype);
  const Workload step = build(model, std::min(max_batched_tokens, facts.context_tokens), 0, *dtype);
  for (const Operator& op : step.ops) facts.largest_output_bytes = std::max(facts.largest_output_bytes, op_output_bytes(op));
  return facts;
}

nlohmann::ordered_json KvCapacity::to_json(const ModelFacts& model) const {
  return {{"device_memory_bytes", device_bytes},
          {"weight_bytes", weight_bytes},
          {"activation_workspace_bytes", workspace_bytes},
          {"kv_cache_bytes", kv_bytes},
          {"kv_bytes_per_token", model.kv_bytes_per_token},
          {"block_tokens", block_tokens},
          {"blocks", blocks},
          {"token_capacity", blocks * block_tokens},
          {"formula", "kv_cache_bytes = device_memory_bytes - weight_bytes - activation_workspace_bytes; "
                      "blocks = floor(kv_cache_bytes / (kv_bytes_per_token * block_tokens))"}};
}

KvCapacity kv_capacity(const ModelFacts& model, Bytes device_bytes, uint64_t block_tokens, double workspace_factor,
                       const std::string& file, const std::string& field) {
  KvCapacity kv;
  kv.device_bytes = device_bytes;
  kv.weight_bytes = model.weight_bytes;
  kv.workspace_bytes = static_cast<Bytes>(workspace_factor * static_cast<double>(model.largest_output_bytes));
  kv.block_tokens = block_tokens;
  if (kv.weight_bytes + kv.workspace_bytes >= device_bytes) {
    throw InputError(file, field,
                     fmt::format("{} bytes of weights and {} bytes of activation workspace do not fit {} bytes "
                                 "with room for a KV cache",
                                 kv.weight_bytes, kv.workspace_bytes, device_bytes));
  }
  kv.kv_bytes = device_bytes - kv.weight_bytes - kv.workspace_bytes;
  kv.blocks = kv.kv_bytes / (model.kv_bytes_per_token * block_tokens);
  return kv;
}

uint64_t check_context(std::vector<ServeRequest>& requests, const ModelFacts& model, bool drop_oversized,
                       const std::string& source) {
  std::vector<ServeRequest> kept;
  for (const ServeRequest& r : requests) {
    if (r.input_tokens + r.output_tokens <= model.context_tokens) {
      kept.push_back(r);
      continue;
    }
    if (drop_oversized) continue;
    throw InputError(source, r.line > 0 ? fmt::format("line {}", r.line) : "request " + r.id,
                     fmt::format("{} input + {} output tokens exceed the model's context of {} tokens "
                                 "(--drop-oversized drops such requests)",
                                 r.input_tokens, r.output_tokens, model.context_tokens));
  }
  const uint64_t dropped = requests.size() - kept.size();
  if (kept.empty()) throw InputError(source, "", "every request is longer than the model's context");
  requests.swap(kept);
  return dropped;
}

void check_fits(const std::vector<ServeRequest>& requests, const KvCapacity& kv, const SchedulerConfig& scheduler,
                const std::string& device, const std::string& source) {
  for (const ServeRequest& r : requests) {
    const std::string where = r.line > 0 ? fmt::format("line {}", r.line) : "request " + r.id;
    const uint64_t tokens = r.input_tokens + r.output_tokens;
    if (blocks_for(tokens, kv.block_tokens) > kv.blocks) {
      throw InputError(source, where,
                       fmt::format("{} tokens need {} KV blocks; the {} cache holds {} blocks of {} tokens",
                                   tokens, blocks_for(tokens, kv.block_tokens), device, kv.blocks, kv.block_tokens));
    }
    if (scheduler.policy != SchedulerPolicy::kSarathi && tokens - 1 > scheduler.max_batched_tokens) {
      throw InputError("<cli>", "--max-batched-tokens",
                       fmt::format("{} (request {} may prefill {} tokens at once after a preemption; raise it or "
                                   "use --scheduler sarathi)",
                                   scheduler.max_batched_tokens, r.id, tokens - 1));
    }
  }
}

}  // namespace npusim
