#include "arch/sanitizer_fibers.h"

#if defined(__SANITIZE_ADDRESS__)

#include <dlfcn.h>
#include <pthread.h>
#include <sanitizer/common_interface_defs.h>

#include <cstddef>

namespace {

struct StackBounds {
  const void* bottom = nullptr;
  size_t size_bytes = 0;
};

// The main thread's stack as the kernel maps it (the same bounds ASan takes at start-up).
StackBounds main_thread_stack() {
  static const StackBounds bounds = [] {
    StackBounds main_stack;
    pthread_attr_t attributes;
    if (pthread_getattr_np(pthread_self(), &attributes) != 0) return main_stack;
    void* bottom = nullptr;
    size_t size_bytes = 0;
    if (pthread_attr_getstack(&attributes, &bottom, &size_bytes) == 0) main_stack = {bottom, size_bytes};
    pthread_attr_destroy(&attributes);
    return main_stack;
  }();
  return bounds;
}

using StartSwitchFiber = void (*)(void**, const void*, size_t);

StartSwitchFiber asan_start_switch_fiber() {
  static const auto asan_own =
      reinterpret_cast<StartSwitchFiber>(dlsym(RTLD_NEXT, "__sanitizer_start_switch_fiber"));
  return asan_own;
}

}  // namespace

// Stands in for ASan's own (SystemC's weak reference finds the program's definition first): SystemC
// 2.3.4 names the main coroutine's stack (nullptr, 0), which ASan would take as the stack's bounds.
extern "C" void __sanitizer_start_switch_fiber(void** fake_stack_save, const void* bottom, size_t size) {
  if (bottom == nullptr && size == 0) {
    const StackBounds main_stack = main_thread_stack();
    bottom = main_stack.bottom;
    size = main_stack.size_bytes;
  }
  asan_start_switch_fiber()(fake_stack_save, bottom, size);
}

void npusim::resume_main_stack_after_kernel() {
  const StackBounds main_stack = main_thread_stack();
  void* fake_stack = nullptr;
  asan_start_switch_fiber()(&fake_stack, main_stack.bottom, main_stack.size_bytes);
  __sanitizer_finish_switch_fiber(fake_stack, nullptr, nullptr);
}

#else

void npusim::resume_main_stack_after_kernel() {}

#endif
