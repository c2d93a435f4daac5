#pragma once
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/multi_passthrough_target_socket.h>
#include <systemc>
#include <tlm>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace scbnn {

// Address decoding and bus timing shared by every bus width.
class AddressDecoder {
 public:
  struct Route {
    unsigned port;
    uint64_t base, size;
  };
  // Adds a target range; throws std::invalid_argument when it overlaps another.
  void map(unsigned port, uint64_t base, uint64_t size, const std::string& what);
  // Route holding [address, address + length), or nullptr.
  const Route* find(uint64_t address, uint64_t length) const;
  const Route* find_port(unsigned port) const;

 private:
  std::vector<Route> routes_;
};

// A loosely-timed interconnect: one or more initiators, targets mapped by address
// range (target addresses are relative to their base). A transaction costs
// latency_cycles plus one cycle per bus beat; DMI regions are translated and carry the
// same per-byte time; invalidations are passed back translated.
template <unsigned int BUSWIDTH = 64>
class Router : public sc_core::sc_module {
 public:
  tlm_utils::multi_passthrough_target_socket<Router, BUSWIDTH> target_socket;
  tlm_utils::multi_passthrough_initiator_socket<Router, BUSWIDTH> initiator_socket;

  Router(sc_core::sc_module_name name, sc_core::sc_time clock_period, uint32_t latency_cycles)
      : sc_core::sc_module(name),
        target_socket("target_socket"),
        initiator_socket("initiator_socket"),
        period_(clock_period),
        latency_cycles_(latency_cycles) {
    target_socket.register_b_transport(this, &Router::b_transport);
    target_socket.register_nb_transport_fw(this, &Router::nb_transport_fw);
    initiator_socket.register_nb_transport_bw(this, &Router::nb_transport_bw);
    target_socket.register_transport_dbg(this, &Router::transport_dbg);
    target_socket.register_get_direct_mem_ptr(this, &Router::get_direct_mem_ptr);
    initiator_socket.register_invalidate_direct_mem_ptr(this, &Router::invalidate_direct_mem_ptr);
  }

  // Target bound to initiator_socket binding number `port` answers [base, base + size).
  void map(unsigned port, uint64_t base, uint64_t size, const std::string& what) {
    decoder_.map(port, base, size, what);
  }
  const AddressDecoder& decoder() const { return decoder_; }
  uint64_t transactions() const { return transactions_; }
  // Time the bus was occupied by transactions, and time transactions waited for it (another
  // initiator's transaction still occupying it when they arrived).
  sc_core::sc_time busy_time() const { return busy_; }
  sc_core::sc_time waiting_time() const { return waiting_; }
  // The same counter, for sc_trace.
  const uint64_t& transaction_counter() const { return transactions_; }

 private:
  static constexpr unsigned kBusBytes = BUSWIDTH / 8;

  // One transaction occupies the bus for its latency and beats from when it arrives (the
  // caller's time plus its annotation) or, if the bus is still occupied then, from when it is
  // free: the time returned (waiting included) is added to the transaction's delay. Loosely
  // timed: initiators run ahead within their quantum, so arrival order is approximate.
  sc_core::sc_time occupy(const tlm::tlm_generic_payload& tx, const sc_core::sc_time& delay) {
    const uint64_t beats = (uint64_t(tx.get_data_length()) + kBusBytes - 1) / kBusBytes;
    const sc_core::sc_time arrival = sc_core::sc_time_stamp() + delay;
    const sc_core::sc_time wait = free_at_ > arrival ? free_at_ - arrival : sc_core::SC_ZERO_TIME;
    const sc_core::sc_time hold = period_ * double(latency_cycles_ + beats);
    free_at_ = arrival + wait + hold;
    busy_ += hold;
    waiting_ += wait;
    return wait + hold;
  }

  void b_transport(int, tlm::tlm_generic_payload& tx, sc_core::sc_time& delay) {
    const uint64_t address = tx.get_address();
    const auto* route = decoder_.find(address, tx.get_data_length());
    if (!route) {
      tx.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
      return;
    }
    ++transactions_;
    delay += occupy(tx, delay);
    tx.set_address(address - route->base);
    initiator_socket[route->port]->b_transport(tx, delay);
    tx.set_address(address);
  }

  // The 4-phase protocol, forwarded: a BEGIN_REQ is decoded (the bus latency added, the address
  // made local) and remembered until its response ends, so the backward path finds its
  // initiator and the address is restored when the response begins.
  tlm::tlm_sync_enum nb_transport_fw(int from, tlm::tlm_generic_payload& tx, tlm::tlm_phase& phase,
                                     sc_core::sc_time& delay) {
    if (phase == tlm::BEGIN_REQ) {
      const uint64_t address = tx.get_address();
      const auto* route = decoder_.find(address, tx.get_data_length());
      if (!route) {
        tx.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return tlm::TLM_COMPLETED;
      }
      ++transactions_;
      delay += occupy(tx, delay);
      in_flight_[&tx] = {from, route->port, address};
      tx.set_address(address - route->base);
      const tlm::tlm_sync_enum status = initiator_socket[route->port]->nb_transport_fw(tx, phase, delay);
      if (status == tlm::TLM_COMPLETED || (status == tlm::TLM_UPDATED && phase == tlm::BEGIN_RESP)) {
        tx.set_address(address);
        if (status == tlm::TLM_COMPLETED) in_flight_.erase(&tx);
      }
      return status;
    }
    const auto it = in_flight_.find(&tx);
    if (it == in_flight_.end()) return tlm::TLM_COMPLETED;  // not ours (the checker reports such a call)
    const unsigned port = it->second.port;
    if (phase == tlm::END_RESP) in_flight_.erase(it);
    return initiator_socket[port]->nb_transport_fw(tx, phase, delay);
  }

  tlm::tlm_sync_enum nb_transport_bw(int, tlm::tlm_generic_payload& tx, tlm::tlm_phase& phase,
                                     sc_core::sc_time& delay) {
    const auto it = in_flight_.find(&tx);
    if (it == in_flight_.end()) return tlm::TLM_COMPLETED;
    const int from = it->second.from;
    if (phase == tlm::BEGIN_RESP) tx.set_address(it->second.address);
    const tlm::tlm_sync_enum status = target_socket[from]->nb_transport_bw(tx, phase, delay);
    if (status == tlm::TLM_COMPLETED || (status == tlm::TLM_UPDATED && phase == tlm::END_RESP)) in_flight_.erase(&tx);
    return status;
  }

  unsigned int transport_dbg(int, tlm::tlm_generic_payload& tx) {
    const uint64_t address = tx.get_address();
    const auto* route = decoder_.find(address, tx.get_data_length());
    if (!route) return 0;
    tx.set_address(address - route->base);
    const unsigned int n = initiator_socket[route->port]->transport_dbg(tx);
    tx.set_address(address);
    return n;
  }

  bool get_direct_mem_ptr(int, tlm::tlm_generic_payload& tx, tlm::tlm_dmi& dmi) {
    const uint64_t address = tx.get_address();
    const auto* route = decoder_.find(address, 1);
    if (!route) {
      dmi.allow_none();
      dmi.set_start_address(address);
      dmi.set_end_address(address);
      return false;
    }
    tx.set_address(address - route->base);
    const bool granted = initiator_socket[route->port]->get_direct_mem_ptr(tx, dmi);
    tx.set_address(address);
    // Clip to the routed range and translate back to bus addresses.
    const uint64_t end = std::min<uint64_t>(dmi.get_end_address(), route->size - 1);
    dmi.set_start_address(dmi.get_start_address() + route->base);
    dmi.set_end_address(end + route->base);
    const sc_core::sc_time per_byte = period_ / double(kBusBytes);
    dmi.set_read_latency(dmi.get_read_latency() + per_byte);
    dmi.set_write_latency(dmi.get_write_latency() + per_byte);
    return granted;
  }

  void invalidate_direct_mem_ptr(int port, sc_dt::uint64 start, sc_dt::uint64 end) {
    const auto* route = decoder_.find_port(unsigned(port));
    if (!route) return;
    const uint64_t last = std::min<uint64_t>(end, route->size - 1);
    for (unsigned i = 0; i < target_socket.size(); ++i)
      target_socket[i]->invalidate_direct_mem_ptr(start + route->base, last + route->base);
  }

  struct InFlight {
    int from;          // target socket binding of the initiator
    unsigned port;     // initiator socket binding of the target
    uint64_t address;  // the bus address, restored when the response begins
  };
  std::map<const tlm::tlm_generic_payload*, InFlight> in_flight_;
  AddressDecoder decoder_;
  sc_core::sc_time period_;
  uint32_t latency_cycles_;
  uint64_t transactions_ = 0;
  sc_core::sc_time free_at_ = sc_core::SC_ZERO_TIME, busy_ = sc_core::SC_ZERO_TIME, waiting_ = sc_core::SC_ZERO_TIME;
};

}  // namespace scbnn
