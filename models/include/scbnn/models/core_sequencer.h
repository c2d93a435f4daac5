#pragma once
#include <systemc>

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>

namespace scbnn {

// What one run of a core ended with.
struct CoreRunResult {
  std::string error;  // empty: the run completed
  uint64_t cycles = 0;
  sc_core::sc_time duration = sc_core::SC_ZERO_TIME;  // start to done
};

// The run control every core shares (BnnCore, MacCore): a start strobe, a done event, and
// the body of the core's SC_THREAD, which waits for a start, runs one job spending its
// cycles on the core's clock, records the result and notifies done. A job that throws
// std::exception (a bad program, a model limit) ends the run with that error, never a crash.
class CoreSequencer {
 public:
  // Waits `cycles` clock cycles of the core, as layer `layer` (-1: outside the layers: the
  // input load, the final scoring), and adds them to the run.
  using Spend = std::function<void(uint64_t cycles, int32_t layer)>;
  using Job = std::function<void(const Spend& spend)>;

  explicit CoreSequencer(const sc_core::sc_time& clock_period) : period_(clock_period) {}

  void start(const sc_core::sc_time& delay) { start_event_.notify(delay); }
  const sc_core::sc_event& done_event() const { return done_event_; }
  const CoreRunResult& last_run() const { return last_run_; }
  // The layer whose cycles are being spent now (-1 between layers and when idle): what a
  // trace shows of the core's progress (the variable stays valid for sc_trace).
  const int32_t& active_layer() const { return active_layer_; }

  // The core's SC_THREAD body: runs `job` once per start, forever.
  [[noreturn]] void serve(const Job& job) {
    for (;;) {
      sc_core::wait(start_event_);
      const sc_core::sc_time begin = sc_core::sc_time_stamp();
      last_run_ = run_once(job);
      last_run_.duration = sc_core::sc_time_stamp() - begin;
      done_event_.notify();
    }
  }

 private:
  CoreRunResult run_once(const Job& job) {
    CoreRunResult result;
    try {
      job([&](uint64_t c, int32_t layer) {
        result.cycles += c;
        if (!c) return;
        active_layer_ = layer;
        sc_core::wait(period_ * double(c));
        active_layer_ = -1;
      });
    } catch (const sc_core::sc_unwind_exception&) {
      throw;  // the kernel is killing this thread
    } catch (const std::exception& e) {
      result.error = e.what();
    }
    return result;
  }

  sc_core::sc_time period_;
  sc_core::sc_event start_event_, done_event_;
  CoreRunResult last_run_;
  int32_t active_layer_ = -1;
};

// Where a core's runs take their job (the bus face's registers), and the program a run loads
// before it starts (pending until then).
template <class Job, class Program>
class CoreJobs {
 public:
  using Source = std::function<Job()>;
  void set_source(Source source) { source_ = std::move(source); }
  void load(Program program) { pending_ = std::move(program); }
  // The job of the run beginning now, after `configure` has loaded a pending program (it may
  // throw std::invalid_argument, which ends the run with that error).
  template <class Configure>
  Job next(Configure&& configure) {
    if (!source_) throw std::invalid_argument("no job source (the bus face sets it)");
    Job job = source_();
    if (pending_) {
      configure(*pending_);
      pending_.reset();
    }
    return job;
  }

 private:
  Source source_;
  std::optional<Program> pending_;
};

}  // namespace scbnn
