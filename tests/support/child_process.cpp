#include "support/child_process.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

namespace noaber::test {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  ::close(fd);
  if (!ok) throw std::runtime_error("cannot find a free port");
  return ntohs(address.sin_port);
}

pid_t spawn(const std::vector<std::string>& args, const fs::path& log) {
  if (args.empty()) throw std::invalid_argument("spawn: no program");
  // Everything the child needs is prepared before fork: between fork and
  // exec only async-signal-safe calls are allowed in a threaded process.
  std::vector<char*> argv;
  for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  const int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) throw std::runtime_error("cannot open " + log.string());
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    // Should the test binary itself die, the child must not live on.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    ::dup2(log_fd, STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(log_fd);
  if (pid < 0) throw std::runtime_error("fork failed");
  return pid;
}

std::optional<int> wait_for_exit(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    int status = 0;
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (done < 0) return std::nullopt;
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(20ms);
  }
}

std::optional<int> run_to_completion(const std::vector<std::string>& args, const fs::path& log,
                                     std::chrono::milliseconds timeout) {
  const pid_t pid = spawn(args, log);
  const auto exit_code = wait_for_exit(pid, timeout);
  if (!exit_code) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
  return exit_code;
}

std::string log_excerpt(const fs::path& log, std::size_t last_lines) {
  std::ifstream in(log);
  std::vector<std::string> lines;
  std::string problems;
  for (std::string line; std::getline(in, line);) {
    // spdlog's " warning "/" error " and nginx's "[warn]"/"[error]"/"[emerg]".
    for (const char* mark : {" warning ", " error ", " critical ", "[warn]", "[error]", "[crit]",
                             "[alert]", "[emerg]"})
      if (line.find(mark) != std::string::npos) {
        problems += line + "\n";
        break;
      }
    lines.push_back(std::move(line));
  }
  std::string out = "warnings and errors:\n" + problems;
  out += fmt::format("last {} of {} lines:\n", std::min(last_lines, lines.size()), lines.size());
  for (std::size_t i = lines.size() > last_lines ? lines.size() - last_lines : 0;
       i < lines.size(); ++i)
    out += lines[i] + "\n";
  return out;
}

void ChildProcess::start(const std::vector<std::string>& args, const fs::path& log) {
  stop();
  pid_ = spawn(args, log);
}

std::optional<int> ChildProcess::exited() {
  if (pid_ <= 0) return std::nullopt;
  const auto code = wait_for_exit(pid_, 0ms);
  if (code) pid_ = -1;
  return code;
}

std::optional<int> ChildProcess::stop(int signal, std::chrono::milliseconds grace) {
  if (pid_ <= 0) return std::nullopt;
  ::kill(pid_, signal);
  const auto code = wait_for_exit(pid_, grace);
  if (code) {
    pid_ = -1;
    return code;
  }
  kill_now();
  return std::nullopt;
}

void ChildProcess::kill_now() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

}  // namespace noaber::test
