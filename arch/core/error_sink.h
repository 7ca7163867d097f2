// First exception thrown inside a SystemC process: stops the kernel so simulate_npu can rethrow it
// with its original type once sc_start returns.
#pragma once

#include <exception>
#include <systemc>

namespace npusim {

class ErrorSink {
 public:
  // Call from a catch block inside a process.
  void capture() {
    if (!error_) error_ = std::current_exception();
    sc_core::sc_stop();
  }
  void rethrow_if_any() const {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  std::exception_ptr error_;
};

}  // namespace npusim
