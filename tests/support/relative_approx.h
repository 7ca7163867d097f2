// A relative comparison for tiny values (microseconds, picojoules): doctest::Approx adds an absolute
// slack of ~1e-5 (scale 1), which would hide errors in them.
#pragma once

#include <doctest/doctest.h>

namespace npusim_test {

inline doctest::Approx approx(double value) { return doctest::Approx(value).scale(0.0); }

}  // namespace npusim_test
