// scbnn-train: the libtorch trainer as its own program, so that the simulator (scbnn)
// does not load libtorch at every start; `scbnn train` runs this program.
#include <boost/program_options.hpp>

#include <malloc.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "scbnn/base/errors.h"
#include "scbnn/tools/commands.h"

int main(int argc, char* argv[]) {
  // libgomp's threads spin while they wait (OMP_WAIT_POLICY=active by default); on a shared
  // machine a descheduled partner makes them spin for most of the time (measured: 5x slower
  // with 2 threads under load). The policy is read when libgomp loads, so set it and start
  // again; a policy the user set is kept.
  if (!std::getenv("OMP_WAIT_POLICY")) {
    setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
    // Through the executable's own path, so the process keeps its name (not "exe").
    std::error_code ec;
    const std::string self = std::filesystem::read_symlink("/proc/self/exe", ec).string();
    if (!ec) execv(self.c_str(), argv);  // returns only on failure: then train with the default policy
  }
  // libtorch frees its large activation buffers after every step; by default glibc returns
  // them to the kernel at once (munmap of mmapped chunks, trimming of the heap's top), so the
  // next step faults every page in again. Measured: a 1-thread epoch of a small CNN took 24 s,
  // 20 s of its process time in the kernel; with buffers up to 32 MiB kept on the heap, a
  // 512 MiB top pad and no trimming, 4 s.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  mallopt(M_TOP_PAD, 512 << 20);
  const std::vector<std::string> args(argv + 1, argv + argc);
  try {
    return scbnn::cmd_train(args);
  } catch (const scbnn::InputError& e) {
    std::cerr << "scbnn train: error: " << e.what() << "\n";
  } catch (const boost::program_options::error& e) {
    std::cerr << "scbnn train: error: " << e.what() << " (see --help)\n";
  } catch (const std::exception& e) {
    std::cerr << "scbnn train: internal error: " << e.what() << "\n";
  }
  return 1;
}
