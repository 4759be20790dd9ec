#pragma once
// Real programs (the `noaber` binary, nginx) as child processes of a test:
// started with their output in a log file, and never left behind, whatever
// happens to the test.

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace noaber::test {

// A loopback TCP port that was free a moment ago. Another process may take
// it before the child binds it; callers retry with a new port when the
// child exits during its start.
std::uint16_t free_port();

// Starts `args` (args[0] is the program's path) with stdout and stderr
// appended to `log`. The child gets SIGKILL when the test process dies.
// Throws std::runtime_error when the log can't be opened or fork fails.
pid_t spawn(const std::vector<std::string>& args, const std::filesystem::path& log);

// The exit code of a child that ends by itself within `timeout` (128 +
// signal number when a signal ended it); nullopt when it still runs.
std::optional<int> wait_for_exit(pid_t pid, std::chrono::milliseconds timeout);

// Runs a command to its end; one that takes longer than `timeout` is killed
// and gives nullopt.
std::optional<int> run_to_completion(const std::vector<std::string>& args,
                                     const std::filesystem::path& log,
                                     std::chrono::milliseconds timeout);

// The lines of `log` that look like warnings or errors, then its last
// `last_lines` lines: enough to see why a child failed, without pages of
// access log.
std::string log_excerpt(const std::filesystem::path& log, std::size_t last_lines = 150);

// One child process that is ended when the object goes.
class ChildProcess {
 public:
  ChildProcess() = default;
  ~ChildProcess() { stop(); }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Stops a running child first.
  void start(const std::vector<std::string>& args, const std::filesystem::path& log);
  bool running() const { return pid_ > 0; }
  // When the child has exited by itself: its exit code (it is then no
  // longer running).
  std::optional<int> exited();
  // Sends `signal`, waits up to `grace` for the child to end, then kills it.
  // Returns the exit code (as wait_for_exit), nullopt when it had to be
  // killed or was not running.
  std::optional<int> stop(int signal = 15 /* SIGTERM */,
                          std::chrono::milliseconds grace = std::chrono::seconds(10));
  void kill_now();

 private:
  pid_t pid_ = -1;
};

}  // namespace noaber::test
