#include "scbnn/tlm/register_bank.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "scbnn/base/byte_enables.h"

namespace scbnn {

const char* to_string(RegAccess a) {
  switch (a) {
    case RegAccess::read_only: return "RO";
    case RegAccess::read_write: return "RW";
    case RegAccess::write_one_to_clear: return "W1C";
    case RegAccess::write_only: return "WO";
  }
  return "?";
}

Register& RegisterBank::add(const std::string& name, uint32_t offset, uint32_t reset_value, RegAccess access,
                            const std::string& description) {
  if (offset % 4 != 0 || find(offset)) throw std::logic_error("register " + name + ": bad or duplicate offset");
  registers_.push_back({name, offset, reset_value, access, description, reset_value, {}, {}});
  return registers_.back();
}

Register& RegisterBank::operator[](const std::string& name) {
  for (auto& r : registers_)
    if (r.name == name) return r;
  throw std::logic_error("no register named " + name);
}

void RegisterBank::reset() {
  for (auto& r : registers_) r.value = r.reset_value;
}

Register* RegisterBank::find(uint64_t offset) {
  for (auto& r : registers_)
    if (r.offset == offset) return &r;
  return nullptr;
}

tlm::tlm_response_status RegisterBank::access(tlm::tlm_command cmd, uint64_t offset, uint8_t* data, uint32_t length,
                                              const uint8_t* be, uint32_t be_len, bool debug) {
  if (length != 1 && length != 2 && length != 4 && length != 8) return tlm::TLM_BURST_ERROR_RESPONSE;
  if (offset % length != 0) return tlm::TLM_ADDRESS_ERROR_RESPONSE;
  const bool is_write = cmd == tlm::TLM_WRITE_COMMAND;
  if (is_write && debug) return tlm::TLM_COMMAND_ERROR_RESPONSE;

  // Check everything first: every byte must belong to a register that allows the access.
  const uint64_t first = offset & ~uint64_t(3), last = (offset + length - 1) & ~uint64_t(3);
  std::vector<Register*> regs;
  for (uint64_t o = first; o <= last; o += 4) {
    Register* r = find(o);
    if (!r) return tlm::TLM_ADDRESS_ERROR_RESPONSE;
    if (is_write && r->access == RegAccess::read_only) return tlm::TLM_COMMAND_ERROR_RESPONSE;
    if (!is_write && r->access == RegAccess::write_only) return tlm::TLM_COMMAND_ERROR_RESPONSE;
    regs.push_back(r);
  }

  for (Register* r : regs) {
    const uint32_t current = r->read_hook ? r->read_hook() : r->value;
    uint32_t written = current, mask = 0;
    for (uint32_t i = 0; i < length; ++i) {
      const uint64_t addr = offset + i;
      if (addr < r->offset || addr >= r->offset + 4u || !byte_enabled(be, be_len, i)) continue;
      const uint32_t shift = uint32_t(addr - r->offset) * 8;
      if (is_write) {
        written = (written & ~(0xffu << shift)) | (uint32_t(data[i]) << shift);
        mask |= 0xffu << shift;
      } else {
        data[i] = uint8_t(current >> shift);
      }
    }
    mask &= r->writable;
    if (!is_write || mask == 0) continue;
    const uint32_t previous = r->value;
    if (r->access == RegAccess::write_one_to_clear)
      r->value = previous & ~(written & mask);
    else
      r->value = (previous & ~mask) | (written & mask);
    if (r->write_hook) r->write_hook(r->value, previous);
  }
  return tlm::TLM_OK_RESPONSE;
}

std::string to_markdown(const RegisterBank& bank) {
  std::string out = "| offset | name | access | reset | description |\n|---|---|---|---|---|\n";
  for (const Register& r : bank.registers()) {
    char head[64];
    std::snprintf(head, sizeof head, "| 0x%03X | `%s` | %s | 0x%08X | ", r.offset, r.name.c_str(), to_string(r.access),
                  r.reset_value);
    out += head + r.description + " |\n";
  }
  return out;
}

std::string to_text(const RegisterBank& bank) {
  size_t name_width = 4, access_width = 6;
  for (const Register& r : bank.registers()) {
    name_width = std::max(name_width, r.name.size());
    access_width = std::max(access_width, std::string(to_string(r.access)).size());
  }
  const auto row = [&](const std::string& offset, const std::string& name, const std::string& access,
                       const std::string& reset, const std::string& description) {
    return offset + "  " + name + std::string(name_width - name.size(), ' ') + "  " + access +
           std::string(access_width - access.size(), ' ') + "  " + reset + "  " + description + "\n";
  };
  std::string out = row("offset", "name", "access", "reset     ", "description");
  for (const Register& r : bank.registers()) {
    char offset[16], reset[16];
    std::snprintf(offset, sizeof offset, "0x%03X ", r.offset);
    std::snprintf(reset, sizeof reset, "0x%08X", r.reset_value);
    out += row(offset, r.name, to_string(r.access), reset, r.description);
  }
  return out;
}

}  // namespace scbnn
