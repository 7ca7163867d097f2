// When two operators lower to the same command streams: the mapper maps the first and copies it for the
// others (a transformer's blocks repeat the same operators tens of times).
#pragma once

#include "workloads/ir/operator.h"

namespace npusim {

// True when a and b agree on everything a lowering reads: kind, operand type, batch, fused activation and
// every shape parameter. Names and producer indices may differ (they only label the program and feed the
// global-SRAM placement, which runs after lowering).
bool lowers_alike(const Operator& a, const Operator& b);

}  // namespace npusim
