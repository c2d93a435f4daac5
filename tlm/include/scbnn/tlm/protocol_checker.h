#pragma once
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <systemc>
#include <tlm>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace scbnn {

// A TLM-2.0 base-protocol checker for loosely-timed traffic: bind it between an initiator
// and a target (or an interconnect and a target); it forwards every call unchanged and
// checks the rules both sides must keep (docs/robustness.md):
//  initiator  response status INCOMPLETE on entry, command READ/WRITE/IGNORE, data pointer
//             and length non-zero, streaming width non-zero, byte-enable length non-zero
//             when byte enables are given, DMI hint cleared
//  target     response status set on return, timing annotation never decreased, command,
//             address, data pointer, length, byte enables and streaming width left as they
//             were; debug transport returns at most the length asked and a debug read is
//             side-effect free (repeating it gives the same bytes)
//  DMI        a granted region contains the address asked for, has a pointer and an
//             access right; while granted, transport and the DMI pointer agree (a read
//             returns what the pointer shows, a write lands behind it); invalidations
//             withdraw regions and are passed on
//  AT         the 4-phase non-blocking protocol, both paths forwarded: phases in order per
//             transaction (BEGIN_REQ, END_REQ or an implicit one, BEGIN_RESP, END_RESP or a
//             completing return), BEGIN_REQ and BEGIN_RESP only from their side, no
//             BEGIN_REQ while an earlier request awaits END_REQ (request exclusion), no
//             BEGIN_RESP while an earlier response awaits END_RESP (response exclusion), no
//             transaction in flight twice or sent by b_transport while in flight, the
//             request checks above on BEGIN_REQ and a set response status on BEGIN_RESP
// A violation is reported with SC_REPORT_ERROR (message type "scbnn/tlm_checker"), or
// only recorded when `collect_only` is set; violations() lists them.
template <unsigned int BUSWIDTH = 64>
class ProtocolChecker : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<ProtocolChecker, BUSWIDTH> target_socket;
  tlm_utils::simple_initiator_socket<ProtocolChecker, BUSWIDTH> initiator_socket;
  bool collect_only = false;

  explicit ProtocolChecker(sc_core::sc_module_name name)
      : sc_core::sc_module(name), target_socket("target_socket"), initiator_socket("initiator_socket") {
    target_socket.register_b_transport(this, &ProtocolChecker::b_transport);
    target_socket.register_nb_transport_fw(this, &ProtocolChecker::nb_transport_fw);
    initiator_socket.register_nb_transport_bw(this, &ProtocolChecker::nb_transport_bw);
    target_socket.register_transport_dbg(this, &ProtocolChecker::transport_dbg);
    target_socket.register_get_direct_mem_ptr(this, &ProtocolChecker::get_direct_mem_ptr);
    initiator_socket.register_invalidate_direct_mem_ptr(this, &ProtocolChecker::invalidate_direct_mem_ptr);
  }

  const std::vector<std::string>& violations() const { return violations_; }
  uint64_t transactions_checked() const { return checked_; }

 private:
  struct Grant {
    uint64_t start, end;
    unsigned char* ptr;
    bool read, write;
  };
  struct Snapshot {
    tlm::tlm_command command;
    uint64_t address;
    unsigned char* data;
    unsigned int length, be_length, streaming_width;
    unsigned char* be;
    explicit Snapshot(const tlm::tlm_generic_payload& t)
        : command(t.get_command()),
          address(t.get_address()),
          data(t.get_data_ptr()),
          length(t.get_data_length()),
          be_length(t.get_byte_enable_length()),
          streaming_width(t.get_streaming_width()),
          be(t.get_byte_enable_ptr()) {}
    bool same(const tlm::tlm_generic_payload& t) const {
      return command == t.get_command() && address == t.get_address() && data == t.get_data_ptr() &&
             length == t.get_data_length() && be_length == t.get_byte_enable_length() &&
             streaming_width == t.get_streaming_width() && be == t.get_byte_enable_ptr();
    }
  };

  void violation(const std::string& rule, const tlm::tlm_generic_payload& t) {
    char where[64];
    std::snprintf(where, sizeof where, " (address 0x%llx, %u bytes)", static_cast<unsigned long long>(t.get_address()),
                  t.get_data_length());
    const std::string message = std::string(name()) + ": " + rule + where;
    violations_.push_back(message);
    if (!collect_only) SC_REPORT_ERROR("scbnn/tlm_checker", message.c_str());
  }

  void check_request(const tlm::tlm_generic_payload& t) {
    if (t.get_response_status() != tlm::TLM_INCOMPLETE_RESPONSE)
      violation("initiator: response status must be TLM_INCOMPLETE_RESPONSE when a transaction is sent", t);
    if (t.get_command() != tlm::TLM_READ_COMMAND && t.get_command() != tlm::TLM_WRITE_COMMAND &&
        t.get_command() != tlm::TLM_IGNORE_COMMAND)
      violation("initiator: unknown command", t);
    if (!t.get_data_ptr() || t.get_data_length() == 0) violation("initiator: null data pointer or zero data length", t);
    if (t.get_streaming_width() == 0) violation("initiator: streaming width 0", t);
    if (t.get_byte_enable_ptr() && t.get_byte_enable_length() == 0)
      violation("initiator: byte-enable pointer with byte-enable length 0", t);
    if (t.is_dmi_allowed()) violation("initiator: DMI hint must be false when a transaction is sent", t);
  }

  // Where a transaction of the non-blocking protocol stands.
  enum class AtState { requested, accepted, responding };

  tlm::tlm_sync_enum nb_transport_fw(tlm::tlm_generic_payload& t, tlm::tlm_phase& phase, sc_core::sc_time& delay) {
    const auto it = at_.find(&t);
    if (phase == tlm::BEGIN_REQ) {
      ++checked_;
      check_request(t);
      if (it != at_.end()) violation("initiator: BEGIN_REQ for a transaction already in flight", t);
      if (request_open_)
        violation("initiator: BEGIN_REQ before END_REQ of the previous request (request exclusion)", t);
      at_[&t] = AtState::requested;
      request_open_ = &t;
    } else if (phase == tlm::END_RESP) {
      if (it == at_.end() || it->second != AtState::responding)
        violation("initiator: END_RESP for a transaction without BEGIN_RESP", t);
    } else {
      violation("initiator: END_REQ or BEGIN_RESP sent on the forward path", t);
    }
    const tlm::tlm_sync_enum status = initiator_socket->nb_transport_fw(t, phase, delay);
    after_call(t, phase, status, true);
    return status;
  }

  tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload& t, tlm::tlm_phase& phase, sc_core::sc_time& delay) {
    const auto it = at_.find(&t);
    if (it == at_.end()) {
      violation("target: backward call for a transaction not in flight", t);
    } else if (phase == tlm::END_REQ) {
      if (it->second != AtState::requested) violation("target: END_REQ twice or after BEGIN_RESP", t);
      it->second = AtState::accepted;
      if (request_open_ == &t) request_open_ = nullptr;
    } else if (phase == tlm::BEGIN_RESP) {
      begin_response(t, it->second);
    } else {
      violation("target: BEGIN_REQ or END_RESP sent on the backward path", t);
    }
    const tlm::tlm_sync_enum status = target_socket->nb_transport_bw(t, phase, delay);
    after_call(t, phase, status, false);
    return status;
  }

  void begin_response(const tlm::tlm_generic_payload& t, AtState& state) {
    if (state == AtState::responding) violation("target: BEGIN_RESP twice", t);
    if (response_open_ && response_open_ != &t)
      violation("target: BEGIN_RESP before END_RESP of the previous response (response exclusion)", t);
    if (t.get_response_status() == tlm::TLM_INCOMPLETE_RESPONSE)
      violation("target: BEGIN_RESP with the response status still TLM_INCOMPLETE_RESPONSE", t);
    if (request_open_ == &t) request_open_ = nullptr;  // BEGIN_RESP implies END_REQ
    state = AtState::responding;
    response_open_ = &t;
  }

  // The state after a call returned: TLM_UPDATED moved the phase on, TLM_COMPLETED ended it.
  void after_call(tlm::tlm_generic_payload& t, const tlm::tlm_phase& phase, tlm::tlm_sync_enum status, bool forward) {
    const auto it = at_.find(&t);
    if (it == at_.end()) return;
    if (status == tlm::TLM_UPDATED) {
      if (forward && phase == tlm::END_REQ) {
        it->second = AtState::accepted;
        if (request_open_ == &t) request_open_ = nullptr;
      } else if (forward && phase == tlm::BEGIN_RESP) {
        begin_response(t, it->second);
      } else if (!forward && phase == tlm::END_RESP) {
        status = tlm::TLM_COMPLETED;
      } else {
        violation(std::string(forward ? "target" : "initiator") + ": TLM_UPDATED with a phase out of order", t);
      }
    }
    if (status == tlm::TLM_COMPLETED || (forward && phase == tlm::END_RESP)) {
      if (t.get_response_status() == tlm::TLM_INCOMPLETE_RESPONSE)
        violation("target: transaction completed with the response status TLM_INCOMPLETE_RESPONSE", t);
      if (request_open_ == &t) request_open_ = nullptr;
      if (response_open_ == &t) response_open_ = nullptr;
      at_.erase(&t);
    }
  }

  void b_transport(tlm::tlm_generic_payload& t, sc_core::sc_time& delay) {
    ++checked_;
    if (at_.count(&t)) violation("initiator: b_transport with a transaction in flight on the non-blocking path", t);
    check_request(t);
    const Snapshot before(t);
    const sc_core::sc_time delay_in = delay;
    initiator_socket->b_transport(t, delay);
    if (t.get_response_status() == tlm::TLM_INCOMPLETE_RESPONSE)
      violation("target: response status left TLM_INCOMPLETE_RESPONSE", t);
    if (delay < delay_in) violation("target: timing annotation decreased (time went backwards)", t);
    if (!before.same(t)) violation("target: modified a transaction attribute it must leave alone", t);
    if (t.is_response_ok()) check_dmi_coherence(t);
  }

  // An OK transaction inside a granted DMI region must agree with what the pointer shows.
  void check_dmi_coherence(const tlm::tlm_generic_payload& t) {
    if (t.get_byte_enable_ptr() || t.get_streaming_width() < t.get_data_length()) return;
    const uint64_t a = t.get_address(), n = t.get_data_length();
    for (const Grant& g : grants_) {
      if (a < g.start || a + n - 1 > g.end) continue;
      const unsigned char* behind = g.ptr + (a - g.start);
      if (t.is_read() && g.read && std::memcmp(behind, t.get_data_ptr(), n) != 0)
        violation("target: a read returned other bytes than its granted DMI pointer shows (stale DMI region)", t);
      if (t.is_write() && std::memcmp(behind, t.get_data_ptr(), n) != 0)
        violation("target: a write did not land behind its granted DMI pointer (stale DMI region)", t);
      return;
    }
  }

  unsigned int transport_dbg(tlm::tlm_generic_payload& t) {
    ++checked_;
    const Snapshot before(t);
    const unsigned int n = initiator_socket->transport_dbg(t);
    if (n > t.get_data_length()) violation("target: debug transport returned more bytes than asked", t);
    if (!before.same(t)) violation("target: debug transport modified a transaction attribute", t);
    const unsigned int got = std::min(n, t.get_data_length());  // never read past the initiator's buffer
    if (t.is_read() && got > 0 && t.get_data_ptr()) {
      std::vector<unsigned char> first(t.get_data_ptr(), t.get_data_ptr() + got), again(t.get_data_length());
      tlm::tlm_generic_payload repeat;
      repeat.set_command(tlm::TLM_READ_COMMAND);
      repeat.set_address(t.get_address());
      repeat.set_data_ptr(again.data());
      repeat.set_data_length(t.get_data_length());
      repeat.set_streaming_width(t.get_data_length());
      const unsigned int m = initiator_socket->transport_dbg(repeat);
      if (m != n || std::memcmp(first.data(), again.data(), got) != 0)
        violation("target: a repeated debug read differs (debug transport has side effects)", t);
    }
    return n;
  }

  bool get_direct_mem_ptr(tlm::tlm_generic_payload& t, tlm::tlm_dmi& dmi) {
    const bool granted = initiator_socket->get_direct_mem_ptr(t, dmi);
    if (!granted) return false;
    const uint64_t a = t.get_address();
    if (dmi.get_start_address() > dmi.get_end_address() || a < dmi.get_start_address() || a > dmi.get_end_address())
      violation("target: granted DMI region does not contain the address asked for", t);
    if (!dmi.get_dmi_ptr()) violation("target: granted DMI region without a pointer", t);
    if (!dmi.is_read_allowed() && !dmi.is_write_allowed()) violation("target: granted DMI region without access", t);
    grants_.push_back({dmi.get_start_address(), dmi.get_end_address(), dmi.get_dmi_ptr(), dmi.is_read_allowed(),
                       dmi.is_write_allowed()});
    return true;
  }

  void invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end) {
    std::vector<Grant> kept;
    for (const Grant& g : grants_)
      if (g.end < start || g.start > end) kept.push_back(g);
    grants_ = kept;
    target_socket->invalidate_direct_mem_ptr(start, end);
  }

  std::vector<std::string> violations_;
  std::vector<Grant> grants_;
  std::map<const tlm::tlm_generic_payload*, AtState> at_;
  const tlm::tlm_generic_payload* request_open_ = nullptr;   // awaiting END_REQ
  const tlm::tlm_generic_payload* response_open_ = nullptr;  // awaiting END_RESP
  uint64_t checked_ = 0;
};

}  // namespace scbnn
