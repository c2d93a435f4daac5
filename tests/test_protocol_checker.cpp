// The TLM base-protocol checker: the default platform keeps the protocol; the checker
// catches a target that breaks it; illegal transactions get the documented error responses.
#include <gtest/gtest.h>

#include <functional>

#include "scbnn/platforms/platform.h"
#include "scbnn/tlm/protocol_checker.h"
#include "test_support.h"

using namespace scbnn;

namespace {

bool any_contains(const std::vector<std::string>& v, const std::string& text) {
  for (const auto& s : v)
    if (s.find(text) != std::string::npos) return true;
  return false;
}

// Issues the transactions of `script` from a thread.
struct Initiator : sc_core::sc_module {
  tlm_utils::simple_initiator_socket<Initiator, 64> socket;
  std::function<void(Initiator&)> script;
  explicit Initiator(sc_core::sc_module_name n, std::function<void(Initiator&)> s)
      : sc_core::sc_module(n), socket("socket"), script(std::move(s)) {
    SC_HAS_PROCESS(Initiator);
    SC_THREAD(run);
  }
  void run() { script(*this); }
  tlm::tlm_response_status send(tlm::tlm_command cmd, uint64_t address, unsigned char* data, unsigned length,
                                unsigned char* be = nullptr, unsigned be_length = 0) {
    tlm::tlm_generic_payload t;
    t.set_command(cmd);
    t.set_address(address);
    t.set_data_ptr(data);
    t.set_data_length(length);
    t.set_streaming_width(length ? length : 1);
    t.set_byte_enable_ptr(be);
    t.set_byte_enable_length(be_length);
    t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_core::sc_time delay(5, sc_core::SC_NS);  // time already spent, as a quantum keeper would pass
    socket->b_transport(t, delay);
    return t.get_response_status();
  }
};

// A target that breaks one rule per address.
struct BrokenTarget : sc_core::sc_module {
  tlm_utils::simple_target_socket<BrokenTarget, 64> socket;
  unsigned char memory[64] = {};
  unsigned char shadow[64] = {};  // what its DMI pointer shows (never updated: stale)
  int debug_reads = 0;
  explicit BrokenTarget(sc_core::sc_module_name n) : sc_core::sc_module(n), socket("socket") {
    socket.register_b_transport(this, &BrokenTarget::b_transport);
    socket.register_transport_dbg(this, &BrokenTarget::transport_dbg);
    socket.register_get_direct_mem_ptr(this, &BrokenTarget::get_direct_mem_ptr);
  }
  void b_transport(tlm::tlm_generic_payload& t, sc_core::sc_time& delay) {
    switch (t.get_address()) {
      case 0: return;                                // leaves the response incomplete
      case 8: delay = sc_core::SC_ZERO_TIME; break;  // takes time back
      case 16: t.set_address(17); break;             // changes the address
      default: break;
    }
    if (t.is_write()) std::memcpy(memory + t.get_address() % 32, t.get_data_ptr(), t.get_data_length());
    t.set_response_status(tlm::TLM_OK_RESPONSE);
  }
  unsigned int transport_dbg(tlm::tlm_generic_payload& t) {
    t.get_data_ptr()[0] = static_cast<unsigned char>(debug_reads++);  // read-to-count: a side effect
    return t.get_data_length() + 1;                                   // and more bytes than asked
  }
  bool get_direct_mem_ptr(tlm::tlm_generic_payload&, tlm::tlm_dmi& dmi) {
    dmi.set_dmi_ptr(shadow);
    dmi.set_start_address(32);
    dmi.set_end_address(63);
    dmi.allow_read_write();
    return true;
  }
};

}  // namespace

TEST(ProtocolChecker, DefaultPlatformKeepsTheBaseProtocol) {
  const Network net = test::random_network({128, 64, 10}, 3, 8, 16);
  const Dataset data = test::random_dataset(20, 8, 16, 4);
  Config c;
  c.apply_override("platform.protocol_checks=true");
  c.apply_override("accel.input_mode=stochastic");
  c.apply_override("accel.sc.stream_length=4");
  Platform platform(platform_params(c), net, data, 0, 20);
  const RunOutcome out = platform.run();
  EXPECT_EQ(out.records.size(), 20u);
  EXPECT_TRUE(out.protocol_violations.empty()) << out.protocol_violations.front();
  EXPECT_GT(out.transactions_checked, 20u * 8);  // programming, inputs, registers, scores
}

TEST(ProtocolChecker, CatchesATargetThatBreaksTheRules) {
  ProtocolChecker<64> checker("checker");
  checker.collect_only = true;
  BrokenTarget target("target");
  Initiator init("init", [&](Initiator& i) {
    unsigned char buf[4] = {1, 2, 3, 4};
    i.send(tlm::TLM_READ_COMMAND, 0, buf, 4);
    i.send(tlm::TLM_READ_COMMAND, 8, buf, 4);
    i.send(tlm::TLM_READ_COMMAND, 16, buf, 4);
    tlm::tlm_generic_payload d;
    d.set_command(tlm::TLM_READ_COMMAND);
    d.set_address(24);
    d.set_data_ptr(buf);
    d.set_data_length(4);
    d.set_streaming_width(4);
    i.socket->transport_dbg(d);
    tlm::tlm_dmi dmi;
    d.set_address(40);
    EXPECT_TRUE(i.socket->get_direct_mem_ptr(d, dmi));
    i.send(tlm::TLM_WRITE_COMMAND, 40, buf, 4);  // lands in memory, not behind the pointer
  });
  init.socket.bind(checker.target_socket);
  checker.initiator_socket.bind(target.socket);
  sc_core::sc_start();
  const auto& v = checker.violations();
  EXPECT_TRUE(any_contains(v, "response status left TLM_INCOMPLETE_RESPONSE"));
  EXPECT_TRUE(any_contains(v, "timing annotation decreased"));
  EXPECT_TRUE(any_contains(v, "modified a transaction attribute"));
  EXPECT_TRUE(any_contains(v, "more bytes than asked"));
  EXPECT_TRUE(any_contains(v, "debug transport has side effects"));
  EXPECT_TRUE(any_contains(v, "stale DMI region"));
  EXPECT_EQ(v.size(), 6u);
}

TEST(ProtocolChecker, IllegalTransactionsGetTheDocumentedErrorResponses) {
  ProtocolChecker<64> checker("checker");
  checker.collect_only = true;
  AcceleratorParams params;
  Accelerator<64> accel("accel", params);
  sc_core::sc_signal<bool> irq("irq");
  accel.irq.bind(irq);
  std::vector<tlm::tlm_response_status> got;
  Initiator init("init", [&](Initiator& i) {
    unsigned char buf[16] = {};
    unsigned char bad_be[4] = {0x0f, 0xff, 0xff, 0xff};
    got.push_back(i.send(tlm::TLM_READ_COMMAND, 0x0, buf, 0));                  // length 0
    got.push_back(i.send(tlm::TLM_WRITE_COMMAND, 0x10000, buf, 4, bad_be, 4));  // partial byte enable
    got.push_back(i.send(tlm::TLM_READ_COMMAND, 0xFFFF0000, buf, 4));           // no window
    got.push_back(i.send(tlm::TLM_WRITE_COMMAND, 0x20000, buf, 4));             // output window is read-only
    got.push_back(i.send(tlm::TLM_READ_COMMAND, 0x0, buf, 3));                  // register length 3
    got.push_back(i.send(tlm::TLM_WRITE_COMMAND, 0x0, buf, 4));                 // ID is read-only
    got.push_back(i.send(tlm::TLM_READ_COMMAND, 0x0, buf, 4));                  // legal
  });
  init.socket.bind(checker.target_socket);
  checker.initiator_socket.bind(accel.socket);
  sc_core::sc_start();
  const std::vector<tlm::tlm_response_status> expected = {tlm::TLM_BURST_ERROR_RESPONSE,
                                                          tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE,
                                                          tlm::TLM_ADDRESS_ERROR_RESPONSE,
                                                          tlm::TLM_COMMAND_ERROR_RESPONSE,
                                                          tlm::TLM_BURST_ERROR_RESPONSE,
                                                          tlm::TLM_COMMAND_ERROR_RESPONSE,
                                                          tlm::TLM_OK_RESPONSE};
  EXPECT_EQ(got, expected);
  // The only violation is the initiator's (length 0); the accelerator kept every rule.
  ASSERT_EQ(checker.violations().size(), 1u);
  EXPECT_NE(checker.violations()[0].find("initiator: null data pointer or zero data length"), std::string::npos);
}

// The non-blocking rules: an initiator that sends a second BEGIN_REQ before END_REQ, END_RESP
// without BEGIN_RESP and BEGIN_RESP on the forward path is caught; the accelerator's own AT
// answers (END_REQ, then BEGIN_RESP with a response status) pass.
TEST(ProtocolChecker, CatchesNonBlockingPhaseViolations) {
  struct NbInitiator : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<NbInitiator, 64> socket;
    std::vector<tlm::tlm_phase> seen;
    explicit NbInitiator(sc_core::sc_module_name n) : sc_core::sc_module(n), socket("socket") {
      socket.register_nb_transport_bw(this, &NbInitiator::nb_transport_bw);
    }
    tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload&, tlm::tlm_phase& phase, sc_core::sc_time&) {
      seen.push_back(phase);
      return phase == tlm::BEGIN_RESP ? tlm::TLM_COMPLETED : tlm::TLM_ACCEPTED;
    }
  } initiator("nb_initiator");
  ProtocolChecker<64> checker("nb_checker");
  checker.collect_only = true;
  Accelerator<64> accel("nb_accel", AcceleratorParams{});
  initiator.socket.bind(checker.target_socket);
  checker.initiator_socket.bind(accel.socket);
  sc_core::sc_signal<bool> irq("nb_irq");
  accel.irq.bind(irq);
  uint32_t id = 0, other = 0, third = 0;
  const auto make = [](tlm::tlm_generic_payload& t, uint32_t* data) {
    t.set_command(tlm::TLM_READ_COMMAND);
    t.set_address(addr::ID);
    t.set_data_ptr(reinterpret_cast<unsigned char*>(data));
    t.set_data_length(4);
    t.set_streaming_width(4);
    t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  };
  tlm::tlm_generic_payload first, second, stray;
  make(first, &id);
  make(second, &other);
  make(stray, &third);
  tlm::tlm_phase phase = tlm::BEGIN_REQ;
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
  EXPECT_EQ(initiator.socket->nb_transport_fw(first, phase, delay), tlm::TLM_ACCEPTED);
  EXPECT_TRUE(checker.violations().empty());
  phase = tlm::BEGIN_REQ;
  initiator.socket->nb_transport_fw(second, phase, delay);  // END_REQ of `first` has not come
  EXPECT_TRUE(any_contains(checker.violations(), "request exclusion"));
  phase = tlm::END_RESP;
  initiator.socket->nb_transport_fw(stray, phase, delay);
  EXPECT_TRUE(any_contains(checker.violations(), "END_RESP for a transaction without BEGIN_RESP"));
  phase = tlm::BEGIN_RESP;
  initiator.socket->nb_transport_fw(stray, phase, delay);
  EXPECT_TRUE(any_contains(checker.violations(), "sent on the forward path"));
  const size_t before = checker.violations().size();
  sc_core::sc_start();  // the accelerator answers both requests
  EXPECT_EQ(checker.violations().size(), before) << "the accelerator's answers keep the protocol";
  EXPECT_EQ(id, addr::kIdValue);
  EXPECT_EQ(other, addr::kIdValue);
  EXPECT_EQ(first.get_response_status(), tlm::TLM_OK_RESPONSE);
  ASSERT_GE(initiator.seen.size(), 4u);
  EXPECT_EQ(initiator.seen[0], tlm::END_REQ);
}
