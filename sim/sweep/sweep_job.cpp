#include "sim/sweep/sweep_job.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>

#include "sim/io/atomic_file.h"
#include "sim/io/child_process.h"
#include "sim/io/config_loader.h"
#include "arch/spec/input_error.h"
#include "sim/sweep/point_runner.h"
#include "sim/sweep/slurm_array.h"
#include "sim/sweep/sweep_expansion.h"

namespace npusim {
namespace fs = std::filesystem;

namespace {

constexpr int kDefaultMaxArrayTasks = 64;
constexpr double kDefaultSlurmTimeoutS = 24 * 3600.0;

struct ShardSpec {
  int index = 0;
  int count = 0;
};

ShardSpec parse_shard(const std::string& text) {
  const size_t slash = text.find('/');
  try {
    if (slash != std::string::npos) {
      const ShardSpec shard{std::stoi(text.substr(0, slash)), std::stoi(text.substr(slash + 1))};
      if (shard.count > 0 && shard.index >= 0 && shard.index < shard.count) return shard;
    }
  } catch (const std::exception&) {
  }
  throw InputError("<cli>", "--shard", "expected I/S with 0 <= I < S, got '" + text + "'");
}

// DIR/sweep.json: which points and columns the directory's results belong to (pareto reads it).
void write_sweep_manifest(const std::string& dir, const SweepSpec& spec, const SweepExpansion& expansion) {
  nlohmann::ordered_json manifest;
  manifest["spec"] = fs::absolute(spec.file).lexically_normal().string();
  manifest["name"] = spec.name;
  manifest["axes"] = axis_columns(spec);
  nlohmann::ordered_json ids = nlohmann::ordered_json::array();
  for (const auto& point : expansion.points) ids.push_back(point.id);
  manifest["points"] = ids;
  manifest["filtered_by_constraints"] = expansion.filtered;
  write_file_atomically(dir + "/sweep.json", manifest.dump(1) + "\n");
}

size_t count_recorded(const SweepExpansion& expansion, const ResultSet& results, size_t* errors) {
  size_t recorded = 0;
  *errors = 0;
  for (const auto& point : expansion.points) {
    const auto it = results.by_id.find(point.id);
    if (it == results.by_id.end()) continue;
    ++recorded;
    if (it->second["status"] != "ok") ++*errors;
  }
  return recorded;
}

// Rewrites results.csv from everything recorded; returns the exit code (1 when points are missing).
int finish_sweep(const std::string& dir, const SweepSpec& spec, const SweepExpansion& expansion) {
  const ResultSet results = read_results(dir);
  write_file_atomically(dir + "/results.csv", results_csv(expansion.points, axis_columns(spec), results));
  size_t errors = 0;
  const size_t recorded = count_recorded(expansion, results, &errors);
  const size_t foreign = results.by_id.size() - recorded;
  std::cout << fmt::format("{}: {} of {} points recorded ({} ok, {} error){}; wrote {}/results.csv\n",
                           spec.name, recorded, expansion.points.size(), recorded - errors, errors,
                           foreign ? fmt::format(", {} results of other specs ignored", foreign) : "", dir);
  if (recorded < expansion.points.size()) {
    std::cout << fmt::format("{} points not recorded; re-run the same command to resume\n",
                             expansion.points.size() - recorded);
    return 1;
  }
  return 0;
}

// Folds DIR/shards/*.jsonl into results.jsonl (rewritten whole, atomically) and removes the shards.
// Only while holding the directory lock and with no array task running.
void fold_shards(const std::string& dir) {
  std::vector<fs::path> shards;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(fs::path(dir) / "shards", error)) {
    if (entry.path().extension() == ".jsonl") shards.push_back(entry.path());
  }
  if (shards.empty()) return;
  ResultSet primary;
  read_results_file(dir + "/results.jsonl", primary);
  const ResultSet all = read_results(dir);
  std::string text;
  // Keep the main file's lines first, then those only the shards have, each id once.
  std::vector<const nlohmann::ordered_json*> ordered;
  for (const auto& [id, line] : primary.by_id) ordered.push_back(&line);
  for (const auto& [id, line] : all.by_id) {
    if (primary.by_id.count(id) == 0) ordered.push_back(&line);
  }
  std::stable_sort(ordered.begin(), ordered.end(), [](const auto* a, const auto* b) {
    return a->value("index", size_t{0}) < b->value("index", size_t{0});
  });
  for (const auto* line : ordered) text += line->dump() + "\n";
  write_file_atomically(dir + "/results.jsonl", text);
  for (const auto& shard : shards) fs::remove(shard, error);
}

std::vector<const SweepPoint*> pending_points(const SweepExpansion& expansion, const ResultSet& results) {
  std::vector<const SweepPoint*> pending;
  for (const auto& point : expansion.points) {
    if (results.by_id.count(point.id) == 0) pending.push_back(&point);
  }
  return pending;
}

int run_shard(const SweepOptions& options, const std::string& dir, const SweepExpansion& expansion) {
  const ShardSpec shard = parse_shard(options.shard);
  const std::string pending_file = dir + "/slurm/pending.json";
  const nlohmann::json pending = load_json_file(pending_file);
  if (!pending.is_object() || !pending.contains("points") || !pending["points"].is_array()) {
    throw InputError(pending_file, "points", "expected a list of point ids");
  }
  std::map<std::string, const SweepPoint*> by_id;
  for (const auto& point : expansion.points) by_id[point.id] = &point;
  const DirectoryLock lock(fmt::format("{}/shards/task-{}.lock", dir, shard.index), "this array task");
  const ResultSet results = read_results(dir);
  std::vector<const SweepPoint*> mine;
  const auto& ids = pending["points"];
  for (size_t i = static_cast<size_t>(shard.index); i < ids.size(); i += static_cast<size_t>(shard.count)) {
    const std::string id = ids[i].is_string() ? ids[i].get<std::string>() : "";
    const auto found = by_id.find(id);
    if (found == by_id.end()) {
      throw InputError(pending_file, fmt::format("points[{}]", i),
                       "'" + id + "' is not a point of the spec (was it edited?)");
    }
    if (results.by_id.count(id) == 0) mine.push_back(found->second);
  }
  std::cout << fmt::format("array task {}/{}: {} points to run\n", shard.index, shard.count, mine.size())
            << std::flush;
  ResultAppender appender(fmt::format("{}/shards/task-{}.jsonl", dir, shard.index));
  RunnerOptions runner;
  runner.jobs = options.jobs;
  // Tasks on different nodes may share pids: each gets its own scratch folder.
  runner.scratch_dir = fmt::format("{}/shards/tmp-{}", dir, shard.index);
  runner.keep_dir = options.keep_runs ? dir + "/runs" : "";
  runner.log = &std::cout;
  const RunSummary summary = run_points(mine, appender, runner);
  appender.sync();
  std::error_code error;
  fs::remove_all(runner.scratch_dir, error);
  std::cout << fmt::format("array task {}: {} ok, {} error, {} interrupted in {:.1f} s\n", shard.index,
                           summary.ok, summary.failed, summary.interrupted, summary.wall_s);
  return summary.interrupted ? 1 : 0;
}

int run_slurm(const SweepOptions& options, const std::string& dir, const SweepSpec& spec,
              const SweepExpansion& expansion, const std::vector<const SweepPoint*>& pending) {
  if (pending.empty()) {
    fold_shards(dir);
    return finish_sweep(dir, spec, expansion);
  }
  const int tasks = options.slurm.array_tasks > 0
                        ? std::min<int>(options.slurm.array_tasks, static_cast<int>(pending.size()))
                        : std::min<int>(kDefaultMaxArrayTasks, static_cast<int>(pending.size()));
  nlohmann::ordered_json pending_json;
  pending_json["points"] = nlohmann::ordered_json::array();
  for (const auto* point : pending) pending_json["points"].push_back(point->id);
  SlurmScriptParams params;
  params.job_name = spec.name;
  params.executable = self_executable();
  params.spec_path = fs::absolute(spec.file).lexically_normal().string();
  params.out_dir = fs::absolute(dir).lexically_normal().string();
  params.work_dir = fs::current_path().string();
  params.configs_dir = fs::absolute(configs_dir()).lexically_normal().string();
  params.partition = options.slurm.partition;
  params.tasks = tasks;
  params.parallelism = options.slurm.array_parallelism;
  const std::string script_path = dir + "/slurm/sweep.sbatch";
  std::error_code error;
  fs::create_directories(dir + "/shards", error);
  write_file_atomically(dir + "/slurm/pending.json", pending_json.dump(1) + "\n");
  write_file_atomically(script_path, sbatch_script(params));
  fs::permissions(script_path, fs::perms::owner_exec | fs::perms::group_exec, fs::perm_options::add, error);
  if (options.slurm.script_only) {
    std::cout << fmt::format(
        "wrote {} ({} array tasks over {} pending points)\nsubmit it with: sbatch {}\nthen merge with: "
        "npusim "
        "sweep {} --out {} --merge\n",
        script_path, tasks, pending.size(), script_path, spec.file, dir);
    return 0;
  }
  const std::string job_id = submit_sbatch(script_path);
  std::cout << fmt::format("submitted job {}: {} array tasks over {} points (logs: {}/slurm/task-N.log)\n",
                           job_id, tasks, pending.size(), dir)
            << std::flush;
  const double timeout =
      options.slurm.wait_timeout_s > 0 ? options.slurm.wait_timeout_s : kDefaultSlurmTimeoutS;
  if (!wait_for_slurm_job(job_id, timeout, options.slurm.poll_interval_s, &std::cout)) {
    std::cout << fmt::format(
        "stopped waiting for job {} after {:.0f} s; it keeps running. Merge later with: npusim "
        "sweep {} --out {} --merge\n",
        job_id, timeout, spec.file, dir);
    write_file_atomically(dir + "/results.csv",
                          results_csv(expansion.points, axis_columns(spec), read_results(dir)));
    return 1;
  }
  fold_shards(dir);
  return finish_sweep(dir, spec, expansion);
}

// Whether the points get the spec's GPU baseline: only when this build's `npusim run` has --gpu.
bool passes_gpu(const SweepSpec& spec) {
  if (spec.gpu.empty()) return false;
  const bool pass_gpu = run_supports_gpu();
  if (!pass_gpu) {
    std::cerr << "npusim: warning: " << spec.file << ": gpu: this build's `npusim run` has no --gpu; ignored\n";
  }
  return pass_gpu;
}

void check_slurm_tools() {
  for (const char* tool : {"sbatch", "squeue"}) {
    if (find_on_path(tool).empty()) {
      throw InputError("<cli>", "--slurm", std::string(tool) + " is not on PATH (is Slurm installed?)");
    }
  }
}

// Runs the pending points here, `options.jobs` at a time, then rewrites results.csv.
int run_locally(const SweepOptions& options, const std::string& dir, const SweepSpec& spec,
                const SweepExpansion& expansion, const std::vector<const SweepPoint*>& pending) {
  std::error_code error;
  RunSummary summary;
  {
    ResultAppender appender(dir + "/results.jsonl");
    RunnerOptions runner;
    runner.jobs = options.jobs;
    runner.scratch_dir = dir + "/tmp";
    runner.keep_dir = options.keep_runs ? dir + "/runs" : "";
    runner.progress_bar = ::isatty(STDOUT_FILENO) != 0;
    runner.log = &std::cout;
    summary = run_points(pending, appender, runner);
  }  // closing the appender syncs it before results.csv is derived from it
  fs::remove_all(dir + "/tmp", error);
  if (!pending.empty()) {
    std::cout << fmt::format("ran {} points in {:.2f} s: {} ok, {} error{}\n", pending.size(), summary.wall_s,
                             summary.ok, summary.failed,
                             summary.interrupted ? fmt::format(", {} interrupted", summary.interrupted) : "");
  }
  return finish_sweep(dir, spec, expansion);
}

}  // namespace

std::string results_csv(const std::vector<SweepPoint>& points, const std::vector<std::string>& axis_names,
                        const ResultSet& results) {
  // Columns in three groups: design axes, the NPU's metrics, then the baseline's (comparison.*). A
  // metric that repeats an axis (batch) is left out: the axis column already holds it.
  std::vector<std::string> metric_names, baseline_names;
  std::set<std::string> known(axis_names.begin(), axis_names.end());
  for (const auto& point : points) {
    const auto it = results.by_id.find(point.id);
    if (it == results.by_id.end() || !it->second.contains("metrics")) continue;
    for (const auto& item : it->second["metrics"].items()) {
      if (!known.insert(item.key()).second) continue;
      (item.key().rfind("comparison.", 0) == 0 ? baseline_names : metric_names).push_back(item.key());
    }
  }
  metric_names.insert(metric_names.end(), baseline_names.begin(), baseline_names.end());
  std::string out = "id";
  for (const auto& name : axis_names) out += "," + csv_cell_text(name);
  out += ",status,error";
  for (const auto& name : metric_names) out += "," + csv_cell_text(name);
  out += "\n";
  for (const auto& point : points) {
    const auto it = results.by_id.find(point.id);
    if (it == results.by_id.end()) continue;
    const nlohmann::ordered_json& line = it->second;
    std::string row = point.id;
    for (const auto& name : axis_names)
      row += "," + csv_cell_text(point.axes.value(name, nlohmann::ordered_json()));
    row += "," + csv_cell_text(line["status"]) + "," +
           csv_cell_text(line.value("error", nlohmann::ordered_json()));
    const nlohmann::ordered_json metrics = line.value("metrics", nlohmann::ordered_json::object());
    for (const auto& name : metric_names)
      row += "," + csv_cell_text(metrics.value(name, nlohmann::ordered_json()));
    out += row + "\n";
  }
  return out;
}

int sweep_command(const SweepOptions& options) {
  // Everything that can be wrong with the input is found before DIR is touched.
  const SweepSpec spec = load_sweep_spec(options.spec_path);
  const SweepExpansion expansion = expand_sweep(spec, passes_gpu(spec));
  const bool slurm = options.slurm.submit || options.slurm.script_only;
  if (options.slurm.submit) check_slurm_tools();
  if (!options.shard.empty()) (void)parse_shard(options.shard);
  const std::string dir = options.out_dir.empty() ? "sweeps/" + spec.name : options.out_dir;

  if (!options.shard.empty()) return run_shard(options, dir, expansion);

  const DirectoryLock lock(dir + "/.lock", "another npusim sweep");
  write_sweep_manifest(dir, spec, expansion);
  std::error_code error;
  fs::remove_all(dir + "/tmp", error);  // worker folders of a killed run (its workers died with it)
  if (options.merge_only) {
    fold_shards(dir);
    return finish_sweep(dir, spec, expansion);
  }
  const ResultSet done = read_results(dir);
  const std::vector<const SweepPoint*> pending = pending_points(expansion, done);
  std::cout << fmt::format(
                   "sweep {}: {} points ({} dropped by constraints), {} already recorded, {} to run{}\n",
                   spec.name, expansion.points.size(), expansion.filtered,
                   expansion.points.size() - pending.size(), pending.size(),
                   slurm ? " on Slurm" : fmt::format(" with -j {}", options.jobs))
            << std::flush;
  if (slurm) return run_slurm(options, dir, spec, expansion, pending);

  return run_locally(options, dir, spec, expansion, pending);
}

}  // namespace npusim
