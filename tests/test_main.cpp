// Test entry: GoogleTest inside SystemC's sc_main. ctest runs every test case in its own
// process (gtest_discover_tests), so each may elaborate and simulate once.
#include <gtest/gtest.h>

#include <cstdlib>
#include <systemc>

namespace {

// A SystemC warning or error fails the test that raised it.
void fail_on_report(const sc_core::sc_report& report, const sc_core::sc_actions& actions) {
  if (report.get_severity() >= sc_core::SC_WARNING)
    ADD_FAILURE() << "SystemC report: " << report.get_msg_type() << ": " << report.get_msg();
  sc_core::sc_report_handler::default_handler(report, actions);
}

}  // namespace

int main(int argc, char* argv[]) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  return sc_core::sc_elab_and_sim(argc, argv);
}

int sc_main(int argc, char* argv[]) {
  ::testing::InitGoogleTest(&argc, argv);
  sc_core::sc_report_handler::set_handler(fail_on_report);
  return RUN_ALL_TESTS();
}
