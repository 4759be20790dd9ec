#pragma once
// The scheduler inside the server: a thread that runs the due follow-ups
// (services/follow_ups.h) once at start and then every `interval`, until
// stop(). It is safe to run one in each of several server processes on one
// database: the follow-ups claim their work in the store.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "services/follow_ups.h"

namespace noaber {

class Scheduler {
 public:
  Scheduler(FollowUpService& follow_ups, std::chrono::seconds interval);
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  void start();
  // Wakes the thread and waits for it; a run in progress stops after its
  // current batch.
  void stop();

 private:
  void loop();

  FollowUpService& follow_ups_;
  std::chrono::seconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace noaber
