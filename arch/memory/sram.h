// Sram: a core's unified scratchpad. Its banks together form one port of banks * bank_width bytes
// per cycle, booked as a reservation by DMA writes/reads and by array and vector accesses alike.
#pragma once

#include <string>

#include "arch/spec/core_config.h"
#include "arch/spec/units.h"
#include "arch/timing/bandwidth_server.h"

namespace npusim {

class Sram {
 public:
  Sram(std::string name, const SramConfig& config);

  // One port reservation for an access that reads and writes; done includes the SRAM latency.
  Reservation access(Cycles now, Bytes read_bytes, Bytes write_bytes);

  const std::string& name() const { return name_; }
  Bytes capacity_bytes() const { return capacity_bytes_; }
  Bytes bytes_read() const { return bytes_read_; }
  Bytes bytes_written() const { return bytes_written_; }
  const BandwidthServer& port() const { return port_; }

 private:
  std::string name_;
  Bytes capacity_bytes_;
  BandwidthServer port_;
  Bytes bytes_read_ = 0;
  Bytes bytes_written_ = 0;
};

}  // namespace npusim
