#pragma once
#include <systemc>

#include <array>
#include <map>
#include <string>

#include "scbnn/base/params.h"

namespace scbnn {

// Levels of the log.* configuration keys, least verbose first.
enum class LogLevel { off, error, warning, info, debug };

inline constexpr std::array<EnumName<LogLevel>, 5> kLogLevelNames{{{LogLevel::off, "off"},
                                                                   {LogLevel::error, "error"},
                                                                   {LogLevel::warning, "warning"},
                                                                   {LogLevel::info, "info"},
                                                                   {LogLevel::debug, "debug"}}};
constexpr const auto& enum_names(LogLevel) { return kLogLevelNames; }

// Who logs what: per-instance levels by hierarchical name; an instance without a level of
// its own takes its nearest configured ancestor's ("accel.core" covers "accel.core.array_3"),
// else `fallback` (log.default).
struct LogLevels {
  LogLevel fallback = LogLevel::warning;
  std::map<std::string, LogLevel> instances;  // the log.<instance> family, read by the platform
  LogLevel level_of(const std::string& instance) const;

  template <class V>
  void declare(V& v) {
    v("default", fallback, "log level of every instance without one of its own (docs/logging.md)",
      "simulation setting");
    v.family("", Choices{enum_choices<LogLevel>()},
             "log level of one instance and the instances below it: log.<instance> = <level>, e.g. "
             "log.accel.core.array_3 = debug; an instance the platform does not have is refused",
             "simulation setting");
  }
};

// The process's levels (SystemC's report handler is process-wide too). A logger reads its
// level once, when its module is constructed: set them before building the platform.
// Raises the report handler's verbosity to SC_DEBUG when some instance logs at debug.
void set_log_levels(const LogLevels& levels);
const LogLevels& log_levels();

// One module's messages, reported through sc_report_handler under a message type such as
// "scbnn/mram" (so a virtual platform can redirect, count or silence them) as
// "<instance> @ <time>: <text>": info as SC_INFO at SC_MEDIUM, debug as SC_INFO at SC_DEBUG.
// The level is cached: hot paths test enabled() before building a message.
class Logger {
 public:
  Logger(const sc_core::sc_object& owner, const char* msg_type);
  bool enabled(LogLevel level) const { return level <= level_; }
  void info(const std::string& text) const { report(LogLevel::info, text); }
  void debug(const std::string& text) const { report(LogLevel::debug, text); }

 private:
  void report(LogLevel level, const std::string& text) const;

  std::string instance_;
  const char* msg_type_;
  LogLevel level_;
};

}  // namespace scbnn
