// What the energy tests share: an SRAM whose energy per access is that of its whole capacity.
#pragma once

#include "arch/spec/core_config.h"

namespace npusim_test {

// One 64-bit-wide bank of `capacity`: SRAM energy is that of the whole capacity (REFERENCE.md anchors).
inline npusim::SramConfig one_bank(npusim::Bytes capacity) {
  npusim::SramConfig sram;
  sram.capacity_bytes = capacity;
  sram.banks = 1;
  sram.bank_width_bytes = 8;
  return sram;
}

}  // namespace npusim_test
