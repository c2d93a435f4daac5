#pragma once
#include <tlm>

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <vector>

namespace scbnn {

enum class RegAccess { read_only, read_write, write_one_to_clear, write_only };
const char* to_string(RegAccess a);

// A 32-bit memory-mapped register, declared once with its datasheet name, offset,
// reset value and access rights. `read_hook` computes a live value (e.g. status);
// `write_hook` runs after a write with the new value. Bits outside `writable` are reserved:
// writes leave them as they are (at their reset value, 0) and they read back unchanged.
struct Register {
  std::string name;
  uint32_t offset = 0;
  uint32_t reset_value = 0;
  RegAccess access = RegAccess::read_write;
  std::string description;
  uint32_t value = 0;
  std::function<uint32_t()> read_hook;
  std::function<void(uint32_t written, uint32_t previous)> write_hook;
  uint32_t writable = 0xffffffffu;
};

// Decodes accesses to a block of registers: naturally aligned single accesses of 1, 2,
// 4 or 8 bytes, optionally with byte enables, may span adjacent registers. The whole
// access is checked before any register changes.
class RegisterBank {
 public:
  Register& add(const std::string& name, uint32_t offset, uint32_t reset_value, RegAccess access,
                const std::string& description);
  Register& operator[](const std::string& name);
  const std::deque<Register>& registers() const { return registers_; }
  void reset();

  // Normal (debug == false) or debug access; debug reads have no side effects and debug
  // writes are refused (TLM_COMMAND_ERROR_RESPONSE).
  tlm::tlm_response_status access(tlm::tlm_command cmd, uint64_t offset, uint8_t* data, uint32_t length,
                                  const uint8_t* byte_enable, uint32_t byte_enable_length, bool debug);

 private:
  Register* find(uint64_t offset);
  std::deque<Register> registers_;  // stable references for hooks
};

// Markdown table of the registers (docs/registers.md embeds it; a test keeps them equal).
std::string to_markdown(const RegisterBank& bank);
// The same as a plain-text table with aligned columns (`scbnn registers`).
std::string to_text(const RegisterBank& bank);

}  // namespace scbnn
