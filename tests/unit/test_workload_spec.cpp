// Workload spec text: parsing, canonical form, typed getters and their error paths.
#include <doctest/doctest.h>

#include <string>

#include "arch/spec/input_error.h"
#include "workloads/workload_spec.h"

using npusim::DType;
using npusim::InputError;
using npusim::parse_workload_spec;

TEST_CASE("zoo spec: a bare name has no parameters") {
  const auto spec = parse_workload_spec("resnet50");
  CHECK(spec.name == "resnet50");
  CHECK(spec.params.empty());
}

TEST_CASE("zoo spec: key=value pairs are split, trimmed and formatted back in key order") {
  const auto spec = parse_workload_spec(" mobilenetv2 : resolution=160 , dtype = bf16");
  CHECK(spec.name == "mobilenetv2");
  REQUIRE(spec.params.size() == 2);
  CHECK(spec.params.at("dtype") == "bf16");
  CHECK(spec.params.at("resolution") == "160");
  CHECK(npusim::format_workload_spec(spec) == "mobilenetv2:dtype=bf16,resolution=160");
}

TEST_CASE("zoo spec: malformed text throws InputError naming the field") {
  CHECK_THROWS_WITH_AS(parse_workload_spec(""), doctest::Contains("<workload>: expected NAME"), InputError);
  CHECK_THROWS_WITH_AS(parse_workload_spec(":batch=1"), doctest::Contains("expected NAME"), InputError);
  CHECK_THROWS_WITH_AS(parse_workload_spec("gemm:m"),
                       doctest::Contains("<workload>: gemm: expected key=value"), InputError);
  CHECK_THROWS_WITH_AS(parse_workload_spec("gemm:=4"), doctest::Contains("expected key=value"), InputError);
  CHECK_THROWS_WITH_AS(parse_workload_spec("gemm:m=4,"), doctest::Contains("expected key=value"), InputError);
  CHECK_THROWS_WITH_AS(parse_workload_spec("gemm:m="), doctest::Contains("gemm.m: expected a value"),
                       InputError);
  CHECK_THROWS_WITH_AS(parse_workload_spec("gemm:m=4,m=8"), doctest::Contains("gemm.m: given more than once"),
                       InputError);
}

TEST_CASE("zoo spec: positive integers reject zero, signs, fractions, junk and overflow") {
  const auto spec = parse_workload_spec("r:zero=0,neg=-1,frac=1.5,junk=4x,big=4294967296,max=4294967295");
  CHECK_THROWS_WITH_AS(npusim::param_positive_u32(spec, "zero", 1),
                       doctest::Contains("r.zero: expected a positive integer, got '0'"), InputError);
  CHECK_THROWS_AS(npusim::param_positive_u32(spec, "neg", 1), InputError);
  CHECK_THROWS_AS(npusim::param_positive_u32(spec, "frac", 1), InputError);
  CHECK_THROWS_AS(npusim::param_positive_u32(spec, "junk", 1), InputError);
  CHECK_THROWS_AS(npusim::param_positive_u32(spec, "big", 1), InputError);  // 2^32 does not fit in 32 bits
  CHECK(npusim::param_positive_u32(spec, "max", 1) == 4294967295u);
  CHECK(npusim::param_positive_u64(spec, "big", 1) == 4294967296ull);
  CHECK(npusim::param_u32(spec, "zero", 7) == 0);  // zero is fine where it means "none" (padding)
  CHECK_THROWS_WITH_AS(npusim::param_u32(spec, "neg", 0),
                       doctest::Contains("r.neg: expected a non-negative integer, got '-1'"), InputError);
}

TEST_CASE("zoo spec: missing keys take the default, or fail when required") {
  const auto spec = parse_workload_spec("gemm:m=4");
  CHECK(npusim::param_positive_u64(spec, "m", std::nullopt) == 4);
  CHECK(npusim::param_positive_u32(spec, "batch", 3) == 3);
  CHECK_THROWS_WITH_AS(npusim::param_positive_u64(spec, "k", std::nullopt),
                       doctest::Contains("gemm.k: missing required parameter"), InputError);
}

TEST_CASE("zoo spec: booleans and dtypes") {
  const auto spec = parse_workload_spec("x:on=true,off=0,bad=yes,dt=fp16,dtbad=int4");
  CHECK(npusim::param_bool(spec, "on", false));
  CHECK_FALSE(npusim::param_bool(spec, "off", true));
  CHECK(npusim::param_bool(spec, "absent", true));
  CHECK_THROWS_WITH_AS(npusim::param_bool(spec, "bad", true),
                       doctest::Contains("x.bad: expected true, false"), InputError);
  CHECK(npusim::param_dtype(spec, "dt", DType::kInt8) == DType::kFp16);
  CHECK(npusim::param_dtype(spec, "absent", DType::kBf16) == DType::kBf16);
  CHECK_THROWS_WITH_AS(npusim::param_dtype(spec, "dtbad", DType::kInt8),
                       doctest::Contains("x.dtbad: expected one of int8, fp8, fp16, bf16, fp32, got 'int4'"),
                       InputError);
}

TEST_CASE("zoo spec: unknown keys are rejected with the known ones listed") {
  const auto spec = parse_workload_spec("fc:in=8,out=4,bacth=2");
  CHECK_NOTHROW(npusim::reject_unknown_keys(spec, {"in", "out", "bacth"}));
  try {
    npusim::reject_unknown_keys(spec, {"in", "out", "batch"});
    FAIL("expected InputError");
  } catch (const InputError& error) {
    CHECK(error.file() == "<workload>");
    CHECK(error.where() == "fc.bacth");
    CHECK(std::string(error.what()).find("known: in, out, batch") != std::string::npos);
  }
}
