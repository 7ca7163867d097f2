#include "arch/memory/sram.h"

#include "arch/timing/sram_timing.h"

namespace npusim {

Sram::Sram(std::string name, const SramConfig& config)
    : name_(std::move(name)),
      capacity_bytes_(config.capacity_bytes),
      port_(sram_port_bytes_per_cycle(config), config.latency_cycles) {}

Reservation Sram::access(Cycles now, Bytes read_bytes, Bytes write_bytes) {
  bytes_read_ += read_bytes;
  bytes_written_ += write_bytes;
  return port_.reserve(now, read_bytes + write_bytes);
}

}  // namespace npusim
