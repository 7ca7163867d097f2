// Die area, idle power, TDP and the power cap end to end: result.json, the terminal, --print, bad input.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "tests/sim/cli_harness.h"

using namespace npusim_test;

namespace {

const char* kGemm = " --workload gemm:m=256,n=256,k=256 --gpu none";

nlohmann::json run_result(const std::string& arguments, const std::string& dir_name) {
  return run_result_json("run " + arguments + " --quiet", fresh_dir(dir_name));
}

}  // namespace

TEST_CASE("power: result.json and the terminal hold power against the TDP; area adds up") {
  const nlohmann::json result = run_result(std::string("--npu edge-int8") + kGemm, "power-tdp");
  const auto& totals = result["totals"];
  const auto& power = result["power"];
  CHECK(totals["tdp_w"] == 5.0);  // the edge-int8 preset's TDP
  CHECK(totals["average_power_over_tdp"].get<double>() ==
        doctest::Approx(totals["average_power_w"].get<double>() / 5.0));
  CHECK(totals["peak_power_over_tdp"].get<double>() == doctest::Approx(totals["peak_power_w"].get<double>() / 5.0));
  double area = 0.0;
  for (const auto& item : power["area_mm2"].items()) area += item.value().get<double>();
  CHECK(power["die_area_mm2"].get<double>() == doctest::Approx(area));
  CHECK(totals["die_area_mm2"] == power["die_area_mm2"]);
  // Energy integrates the idle power over the whole run: leakage energy = idle power x time.
  CHECK(totals["leakage_energy_j"].get<double>() ==
        doctest::Approx(power["idle_power_w"].get<double>() * totals["time_s"].get<double>()));
  CHECK(totals["idle_power_w"].get<double>() == doctest::Approx(power["idle_power_w"].get<double>()));
  CHECK(power["capped"] == false);
  CHECK(power["sustained_clock_mhz"] == 1000.0);

  const CommandResult text = run_npusim(std::string("run --npu edge-int8") + kGemm);
  CHECK(text.output.find("power vs TDP 5 W: average") != std::string::npos);
  CHECK(text.output.find("die area") != std::string::npos);
  const auto printed = nlohmann::json::parse(run_npusim("validate furiosa-rngd --print").output);
  CHECK(printed["npu"]["power"]["tdp_w"] == 150.0);
  CHECK(printed["modeled"]["published_die_mm2"] == 653.0);
  CHECK(printed["modeled"]["die_area_mm2"].get<double>() > 0.0);
}

TEST_CASE("power: the cap lowers clock and voltage along the DVFS law and keeps the cycles") {
  const nlohmann::json free = run_result(std::string("--npu edge-int8") + kGemm, "power-free");
  const auto& t0 = free["totals"];
  const double time0 = t0["time_s"].get<double>();
  const double cap = 0.8 * t0["average_power_w"].get<double>();
  const nlohmann::json capped =
      run_result(std::string("--npu edge-int8") + kGemm + " --set npu.power.cap_w=" + std::to_string(cap), "power-cap");
  const auto& t1 = capped["totals"];
  const auto& power = capped["power"];
  CHECK(t1["cycles"] == t0["cycles"]);
  CHECK(power["capped"] == true);
  CHECK(power["cap_met"] == true);
  const double f_mhz = power["sustained_clock_mhz"].get<double>();
  CHECK(f_mhz < 1000.0);
  CHECK(t1["time_s"].get<double>() == doctest::Approx(t0["cycles"].get<double>() / (f_mhz * 1e6)));
  // The law, from the uncapped split: f = f_s / f0; V/V0 = 0.7 + 0.3 (f - 0.5) / 0.5 (defaults);
  // P = core dynamic · f · (V/V0)^2 + DRAM · f + idle · (V/V0)^2, which the cap pins to cap_w.
  const auto watts = [&](const char* key) { return t0[key].get<double>() / time0; };
  const double core = watts("mac_energy_j") + watts("sram_energy_j") + watts("vector_energy_j") +
                      watts("noc_energy_j") + watts("dma_energy_j");
  const double f = f_mhz / 1000.0;
  const double v = 0.7 + 0.3 * (f - 0.5) / 0.5;
  const double expected = core * f * v * v + watts("dram_energy_j") * f + watts("leakage_energy_j") * v * v;
  CHECK(t1["average_power_w"].get<double>() == doctest::Approx(expected).epsilon(1e-6));
  const double applied_cap = power["power_cap_w"].get<double>();  // `cap` as printed on the command line
  CHECK(applied_cap == doctest::Approx(cap).epsilon(1e-5));
  CHECK(t1["average_power_w"].get<double>() <= applied_cap * (1 + 1e-12));
  CHECK(t1["average_power_w"].get<double>() == doctest::Approx(applied_cap).epsilon(1e-6));
  CHECK(power["sustained_voltage_v"].get<double>() == doctest::Approx(v * power["voltage_v"].get<double>()));
  // A cap the run already meets changes nothing.
  const nlohmann::json loose = run_result(
      std::string("--npu edge-int8") + kGemm + " --set npu.power.cap_w=" + std::to_string(2 * cap), "power-loose");
  CHECK(loose["totals"]["energy_j"] == t0["energy_j"]);
  CHECK(loose["power"]["capped"] == false);
}

TEST_CASE("power: bad area and power input is one line naming the field, exit 2") {
  const std::string run = std::string("run --npu edge-int8") + kGemm;
  check_rejected(run + " --set npu.power.tdp_w=0.0001", "npu.power.tdp_w");
  check_rejected(run + " --set npu.area.logic_mtr_per_mm2=-1", "npu.area.logic_mtr_per_mm2");
  check_rejected(run + " --set npu.area.sram_bitcell_um2=0", "npu.area.sram_bitcell_um2");
  check_rejected(run + " --set npu.power.idle_w_per_mm2=-0.1", "npu.power.idle_w_per_mm2");
  check_rejected(run + " --set npu.power.cap_w=-5", "npu.power.cap_w");
  check_rejected(run + " --set npu.area.sram_array_efficiency=1.5", "npu.area.sram_array_efficiency");
  const CommandResult validate = run_npusim("validate edge-int8 --set npu.power.tdp_w=0.0001");
  CHECK(validate.exit_code == 2);
  CHECK(validate.output.find("npu.power.tdp_w: expected more than the idle power") != std::string::npos);
}
