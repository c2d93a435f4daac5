// Uses the TLM modules alone (package component tlm): binds the accelerator to a 32-bit bus of
// the user's own and reads its ID.
#include <scbnn/tlm/accelerator.h>
#include <scbnn/tlm/router.h>
#include <tlm_utils/simple_initiator_socket.h>

#include <cstdio>

struct Cpu : sc_core::sc_module {
  tlm_utils::simple_initiator_socket<Cpu, 32> socket;
  uint32_t id = 0;
  explicit Cpu(sc_core::sc_module_name n) : sc_core::sc_module(n), socket("socket") {
    SC_HAS_PROCESS(Cpu);
    SC_THREAD(run);
  }
  void run() {
    tlm::tlm_generic_payload tx;
    tx.set_command(tlm::TLM_READ_COMMAND);
    tx.set_address(0x4000'0000 + scbnn::addr::ID);
    tx.set_data_ptr(reinterpret_cast<unsigned char*>(&id));
    tx.set_data_length(4);
    tx.set_streaming_width(4);
    sc_core::sc_time delay;
    socket->b_transport(tx, delay);
  }
};

int sc_main(int, char*[]) {
  Cpu cpu("cpu");
  scbnn::Router<32> bus("bus", sc_core::sc_time(2, sc_core::SC_NS), 1);
  scbnn::Accelerator<32> accel("accel", scbnn::AcceleratorParams{});
  sc_core::sc_signal<bool> irq("irq");
  cpu.socket.bind(bus.target_socket);
  bus.initiator_socket.bind(accel.socket);
  bus.map(0, 0x4000'0000, 0x4000'0000, "accel");
  accel.irq.bind(irq);
  sc_core::sc_start();
  std::printf("accelerator ID 0x%08X\n", cpu.id);
  return cpu.id == scbnn::addr::kIdValue ? 0 : 1;
}
