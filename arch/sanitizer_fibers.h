// What AddressSanitizer must be told about SystemC's coroutine stacks (nothing without ASan).
#pragma once

namespace npusim {

// After sc_start returns: the main thread's own stack runs again. Debian's SystemC 2.3.4 announces
// its coroutine switches to ASan, but not the one a finished process makes (its abort path), so ASan
// would keep the finished process's stack as the current one and report an exception thrown on the
// main stack as a stack-buffer-overflow. A no-op in builds without ASan.
void resume_main_stack_after_kernel();

}  // namespace npusim
