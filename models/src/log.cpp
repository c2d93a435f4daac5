#include "scbnn/models/log.h"

#include <iterator>

namespace scbnn {
namespace {

LogLevels& process_levels() {
  static LogLevels levels;
  return levels;
}

}  // namespace

LogLevel LogLevels::level_of(const std::string& instance) const {
  for (std::string path = instance; !path.empty();) {
    const auto it = instances.find(path);
    if (it != instances.end()) return it->second;
    const size_t dot = path.rfind('.');
    path.resize(dot == std::string::npos ? 0 : dot);
  }
  return fallback;
}

void set_log_levels(const LogLevels& levels) {
  process_levels() = levels;
  bool debug = levels.fallback == LogLevel::debug;
  for (const auto& [instance, level] : levels.instances) debug = debug || level == LogLevel::debug;
  if (debug && sc_core::sc_report_handler::get_verbosity_level() < sc_core::SC_DEBUG)
    sc_core::sc_report_handler::set_verbosity_level(sc_core::SC_DEBUG);
}

const LogLevels& log_levels() { return process_levels(); }

Logger::Logger(const sc_core::sc_object& owner, const char* msg_type)
    : instance_(owner.name()), msg_type_(msg_type), level_(log_levels().level_of(instance_)) {}

void Logger::report(LogLevel level, const std::string& text) const {
  if (!enabled(level)) return;
  const std::string message = instance_ + " @ " + sc_core::sc_time_stamp().to_string() + ": " + text;
  const int verbosity = level == LogLevel::debug ? sc_core::SC_DEBUG : sc_core::SC_MEDIUM;
  sc_core::sc_report_handler::report(sc_core::SC_INFO, msg_type_, message.c_str(), verbosity, __FILE__, __LINE__);
}

}  // namespace scbnn
