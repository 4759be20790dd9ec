#include "app/scheduler.h"

#include <spdlog/spdlog.h>

namespace noaber {

Scheduler::Scheduler(FollowUpService& follow_ups, std::chrono::seconds interval)
    : follow_ups_(follow_ups), interval_(interval) {}

Scheduler::~Scheduler() { stop(); }

void Scheduler::start() {
  if (thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { loop(); });
}

void Scheduler::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Scheduler::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    // A failed run (database busy or down) is logged and tried again at the
    // next tick; nothing it claimed was changed.
    // Between batches it asks whether to go on, so stop() never waits for
    // a whole backlog (a restored or long-idle database can hold many).
    const auto go_on = [this] {
      std::lock_guard guard(mutex_);
      return !stopping_;
    };
    if (auto report = follow_ups_.run_due(go_on); !report)
      spdlog::warn("follow-ups: {}", report.error().message);
    else if (report->expired > 0)
      spdlog::info("follow-ups: {} post(s) expired", report->expired);
    lock.lock();
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

}  // namespace noaber
