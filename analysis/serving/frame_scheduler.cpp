#include "analysis/serving/frame_scheduler.h"

#include <algorithm>
#include <cmath>

#include "workloads/traffic/token_distribution.h"

namespace npusim {

const char* frame_policy_name(FramePolicy policy) {
  switch (policy) {
    case FramePolicy::kPriority:
      return "priority";
    case FramePolicy::kEdf:
      return "edf";
    case FramePolicy::kFifo:
      return "fifo";
  }
  return "edf";
}

FrameScheduler::FrameScheduler(std::vector<StreamSpec> streams, std::vector<std::vector<size_t>> stage_models,
                               const FrameCostTable& costs, FrameSchedulerConfig config)
    : streams_(std::move(streams)), stage_models_(std::move(stage_models)), costs_(costs), config_(config) {
  records_.resize(streams_.size());
  for (size_t s = 0; s < streams_.size(); ++s) {
    rngs_.emplace_back(config_.seed * 1000003u + s);
    const StreamSpec& spec = streams_[s];
    if (spec.phase_s >= config_.duration_s) continue;
    for (uint32_t c = 0; c < spec.count; ++c) {
      const double jitter = spec.jitter_s > 0 ? spec.jitter_s * uniform01(rngs_[s]) : 0.0;
      arrivals_.push({spec.phase_s + jitter, static_cast<uint32_t>(s), c, 0});
    }
  }
}

size_t FrameScheduler::new_slot() {
  if (free_slots_.empty()) {
    jobs_.emplace_back();
    return jobs_.size() - 1;
  }
  const size_t slot = free_slots_.back();
  free_slots_.pop_back();
  return slot;
}

FrameScheduler::ReadyKey FrameScheduler::key_of(size_t slot) const {
  const Job& job = jobs_[slot];
  return {job.key1, job.key2, job.sequence, slot};
}

void FrameScheduler::release(const Arrival& arrival) {
  const StreamSpec& spec = streams_[arrival.stream];
  std::mt19937_64& rng = rngs_[arrival.stream];
  Frame frame;
  frame.arrival_s = arrival.time_s;
  frame.deadline_s = arrival.time_s + spec.deadline_s;
  for (size_t k = 0; k < spec.pipeline.size(); ++k)
    frame.objects[k] = static_cast<uint16_t>(sample_objects(spec.pipeline[k].objects, rng));
  records_[arrival.stream].frames += 1;
  const size_t slot = new_slot();
  Job& job = jobs_[slot];
  job = Job{};
  job.stream = arrival.stream;
  job.frames.assign(1, frame);
  job.sequence = sequence_++;
  const double priority = static_cast<double>(spec.priority);
  switch (config_.policy) {
    case FramePolicy::kPriority:
      job.key1 = priority, job.key2 = frame.arrival_s;
      break;
    case FramePolicy::kEdf:
      job.key1 = frame.deadline_s, job.key2 = priority;
      break;
    case FramePolicy::kFifo:
      job.key1 = frame.arrival_s, job.key2 = 0.0;
      break;
  }
  ready_.insert(key_of(slot));
  // The camera's next frame: nominal times stay on the period grid; jitter only delays each one.
  const double nominal = spec.phase_s + static_cast<double>(arrival.frame + 1) * spec.period_s();
  if (nominal < config_.duration_s) {
    const double jitter = spec.jitter_s > 0 ? spec.jitter_s * uniform01(rng) : 0.0;
    arrivals_.push({nominal + jitter, arrival.stream, arrival.camera, arrival.frame + 1});
  }
}

void FrameScheduler::admit_until(double now) {
  while (!arrivals_.empty() && arrivals_.top().time_s <= now) {
    const Arrival arrival = arrivals_.top();
    arrivals_.pop();
    release(arrival);
  }
}

std::vector<const FrameRunCost*> FrameScheduler::stage_costs(const Job& job) const {
  const std::vector<size_t>& models = stage_models_[job.stream];
  std::vector<const FrameRunCost*> stages{&costs_.at(models[0], static_cast<uint32_t>(job.frames.size()))};
  for (size_t k = 1; k < models.size(); ++k) {
    uint32_t objects = 0;
    for (const Frame& f : job.frames) objects += f.objects[k - 1];
    if (objects > 0) stages.push_back(&costs_.at(models[k], objects));
  }
  return stages;
}

double FrameScheduler::job_time_s(const Job& job) const {
  double time = 0.0;
  for (const FrameRunCost* stage : stage_costs(job)) time += stage->time_s;
  return time;
}

void FrameScheduler::fill_batch(Job& job, double now) {
  double earliest_deadline = job.frames.front().deadline_s;
  for (auto it = ready_.begin(); it != ready_.end() && job.frames.size() < config_.max_batch;) {
    const size_t slot = std::get<3>(*it);
    Job& other = jobs_[slot];
    if (other.stream != job.stream || other.started) {
      ++it;
      continue;
    }
    job.frames.push_back(other.frames.front());
    const double deadline = std::min(earliest_deadline, other.frames.front().deadline_s);
    if (config_.deadline_checked && now + job_time_s(job) > deadline) {
      job.frames.pop_back();
      break;
    }
    earliest_deadline = deadline;
    it = ready_.erase(it);
    free_slots_.push_back(slot);
  }
}

void FrameScheduler::dispatch(double now) {
  while (!ready_.empty()) {
    const size_t slot = std::get<3>(*ready_.begin());
    ready_.erase(ready_.begin());
    Job& job = jobs_[slot];
    if (!job.started) {
      if (now + job_time_s(job) > job.frames.front().deadline_s) {  // the drop rule (header)
        records_[job.stream].dropped += 1;
        free_slots_.push_back(slot);
        continue;
      }
      fill_batch(job, now);
      job.stages = stage_costs(job);
      job.started = true;
      records_[job.stream].batches += 1;
    }
    current_ = static_cast<long>(slot);
    return;
  }
}

void FrameScheduler::complete(double now) {
  Job& job = jobs_[static_cast<size_t>(current_)];
  StreamRecord& record = records_[job.stream];
  for (const Frame& f : job.frames) {
    record.latencies_s.push_back(now - f.arrival_s);
    if (now > f.deadline_s) record.late += 1;
  }
  for (const FrameRunCost* stage : job.stages) {
    energy_j_ += stage->energy_j;
    record.energy_j += stage->energy_j;
  }
  free_slots_.push_back(static_cast<size_t>(current_));
  current_ = -1;
}

double FrameScheduler::run_segment(double now, double stop_s) {
  if (current_ >= 0 && config_.preemptive && !ready_.empty() &&
      *ready_.begin() < key_of(static_cast<size_t>(current_))) {
    Job& preempted = jobs_[static_cast<size_t>(current_)];
    preempted.penalty_s += config_.preemption_cost_s;
    records_[preempted.stream].preemptions += 1;
    ready_.insert(key_of(static_cast<size_t>(current_)));
    current_ = -1;
  }
  if (current_ < 0) dispatch(now);
  if (current_ < 0) return now;  // every ready frame was dropped
  Job& job = jobs_[static_cast<size_t>(current_)];
  double t = now + job.penalty_s;
  job.penalty_s = 0.0;
  while (job.stage < job.stages.size()) {
    const FrameRunCost& stage = *job.stages[job.stage];
    const double left = stage.time_s - job.stage_elapsed_s;
    if (!config_.preemptive || t + left <= stop_s || stage.layer_end_s.empty()) {
      t += left;
      job.stage += 1;
      job.stage_elapsed_s = 0.0;
      if (config_.preemptive && t >= stop_s) break;
      continue;
    }
    // The first layer boundary at or after stop_s (and after where the job is).
    const double target = job.stage_elapsed_s + std::max(0.0, stop_s - t);
    auto end = std::lower_bound(stage.layer_end_s.begin(), stage.layer_end_s.end(), target);
    while (end != stage.layer_end_s.end() && *end <= job.stage_elapsed_s) ++end;
    const double reached = end == stage.layer_end_s.end() ? stage.time_s : *end;
    t += reached - job.stage_elapsed_s;
    job.stage_elapsed_s = reached;
    if (reached >= stage.time_s) job.stage += 1, job.stage_elapsed_s = 0.0;
    break;
  }
  busy_s_ += t - now;
  if (job.stage >= job.stages.size()) complete(t);
  return t;
}

}  // namespace npusim
