// doctest entry point for the SystemC-free unit tests (one process).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
