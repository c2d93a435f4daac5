// libsystemc's own main() refers to sc_main; the fuzz programs have their own entry
// points (libFuzzer's, or replay_main.cpp) and never start a simulation.
extern "C" int sc_main(int, char*[]) { return 0; }
