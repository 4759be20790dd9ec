#pragma once
// In-app notifications, as their owner sees them: a page at a time (newest
// first) with the count of unread ones, and marking them read. The store
// makes them, in the transactions of the changes they tell about (store.h).

#include <cstdint>
#include <optional>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "core/types.h"
#include "store/store.h"

namespace noaber {

struct NotificationPage {
  std::vector<Notification> notifications;
  std::optional<NotificationId> next_before;  // set when a further page may exist
  int unread = 0;  // all of the reader's unread notifications, not just this page's
};

// What to mark read: the listed ids, and/or every one up to an id.
struct MarkReadInput {
  std::vector<std::int64_t> ids;
  std::optional<double> up_to;  // as sent; must be a whole number >= 1
};

struct MarkedRead {
  int marked = 0;  // how many were unread and are read now
  int unread = 0;  // what is left unread
};

class NotificationService {
 public:
  static constexpr int kMaxIdsPerRequest = 100;

  NotificationService(Store& store, const Clock& clock);

  Result<NotificationPage> list(UserId reader, std::optional<NotificationId> before, int limit);
  // Someone else's id (or an unknown one) is ignored, never marked.
  // validation_failed when neither ids nor up_to is given, or one is bad.
  Result<MarkedRead> mark_read(UserId reader, const MarkReadInput& input);

 private:
  Store& store_;
  const Clock& clock_;
};

}  // namespace noaber
