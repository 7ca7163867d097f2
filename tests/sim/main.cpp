// doctest entry point for the SystemC tests. Each test case runs in its own process
// (doctest_discover_tests) because SystemC elaborates once per process; nothing global is set up here.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
