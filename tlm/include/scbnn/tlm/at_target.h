#pragma once
#include <tlm_utils/peq_with_cb_and_phase.h>
#include <systemc>
#include <tlm>

#include <deque>
#include <functional>

namespace scbnn {

// Serves the TLM-2.0 base protocol's 4-phase non-blocking transport (approximately timed)
// for a target whose behaviour is its blocking transport: a BEGIN_REQ is taken from a payload
// event queue at its annotated time, answered with END_REQ after the accept delay, performed
// (the blocking access, whose annotated latency it returns), and answered with BEGIN_RESP after
// that latency and the response delay; the response ends with the initiator's END_RESP or a
// TLM_COMPLETED / TLM_UPDATED(END_RESP) return. Responses go one at a time, in the order they
// fall due. The blocking and the non-blocking interfaces perform the same accesses with the
// same latencies, so LT and AT initiators see the same results (tests/test_at.cpp).
class AtTargetAdapter {
 public:
  using Blocking = std::function<void(tlm::tlm_generic_payload&, sc_core::sc_time&)>;
  using Backward = std::function<tlm::tlm_sync_enum(tlm::tlm_generic_payload&, tlm::tlm_phase&, sc_core::sc_time&)>;

  AtTargetAdapter(const char* name, Blocking blocking, Backward backward, const sc_core::sc_time& accept_delay,
                  const sc_core::sc_time& response_delay)
      : blocking_(std::move(blocking)),
        backward_(std::move(backward)),
        accept_delay_(accept_delay),
        response_delay_(response_delay),
        peq_(name, this, &AtTargetAdapter::on_phase) {}

  tlm::tlm_sync_enum nb_transport_fw(tlm::tlm_generic_payload& tx, tlm::tlm_phase& phase, sc_core::sc_time& delay) {
    if (phase == tlm::BEGIN_REQ) {
      if (tx.has_mm()) tx.acquire();
      peq_.notify(tx, phase, delay);
      return tlm::TLM_ACCEPTED;
    }
    if (phase == tlm::END_RESP) {
      end_response(tx);
      return tlm::TLM_COMPLETED;
    }
    return tlm::TLM_ACCEPTED;  // END_REQ / BEGIN_RESP never come forward (the checker reports them)
  }

 private:
  void on_phase(tlm::tlm_generic_payload& tx, const tlm::tlm_phase& phase) {
    if (phase == tlm::BEGIN_REQ) {
      sc_core::sc_time latency = sc_core::SC_ZERO_TIME;
      blocking_(tx, latency);
      tlm::tlm_phase end_req = tlm::END_REQ;
      sc_core::sc_time accept = accept_delay_;
      backward_(tx, end_req, accept);
      peq_.notify(tx, tlm::BEGIN_RESP, accept_delay_ + latency + response_delay_);
    } else if (phase == tlm::BEGIN_RESP) {
      pending_.push_back(&tx);
      if (!responding_) send_next_response();
    }
  }

  void send_next_response() {
    if (pending_.empty()) return;
    tlm::tlm_generic_payload& tx = *pending_.front();
    pending_.pop_front();
    responding_ = &tx;
    tlm::tlm_phase phase = tlm::BEGIN_RESP;
    sc_core::sc_time zero = sc_core::SC_ZERO_TIME;
    const tlm::tlm_sync_enum status = backward_(tx, phase, zero);
    if (status == tlm::TLM_COMPLETED || (status == tlm::TLM_UPDATED && phase == tlm::END_RESP)) end_response(tx);
  }

  void end_response(tlm::tlm_generic_payload& tx) {
    if (responding_ != &tx) return;
    responding_ = nullptr;
    if (tx.has_mm()) tx.release();
    send_next_response();
  }

  Blocking blocking_;
  Backward backward_;
  sc_core::sc_time accept_delay_, response_delay_;
  tlm_utils::peq_with_cb_and_phase<AtTargetAdapter> peq_;
  std::deque<tlm::tlm_generic_payload*> pending_;
  tlm::tlm_generic_payload* responding_ = nullptr;
};

}  // namespace scbnn
