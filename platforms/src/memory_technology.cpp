#include "scbnn/platforms/memory_technology.h"

namespace scbnn {

void link_memory_technology_variants();  // generated: keeps every file of memory_technologies/ in the link

namespace {
Registry<MemoryTechnology>& mutable_memory_technologies() {
  static Registry<MemoryTechnology> registry("memory technology", "accel.memory.technology");
  return registry;
}
}  // namespace

const Registry<MemoryTechnology>& memory_technology_registry() {
  link_memory_technology_variants();
  return mutable_memory_technologies();
}

std::vector<std::string> memory_technology_names() { return memory_technology_registry().names(); }

const MemoryTechnology& memory_technology(const std::string& name) { return memory_technology_registry().at(name); }

MemoryTechnologyRegistrar::MemoryTechnologyRegistrar(const std::string& name, MemoryTechnology technology) {
  for (const auto& spec : technology.component_classes) declare_component_class(spec);
  mutable_memory_technologies().add(name, std::move(technology));
}

}  // namespace scbnn
