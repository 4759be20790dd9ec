#include "services/notifications.h"

#include <cmath>

namespace noaber {

NotificationService::NotificationService(Store& store, const Clock& clock)
    : store_(store), clock_(clock) {}

Result<NotificationPage> NotificationService::list(UserId reader,
                                                   std::optional<NotificationId> before,
                                                   int limit) {
  auto list = store_.notifications(reader, before, limit);
  if (!list) return fail(list.error());
  auto unread = store_.unread_notifications(reader);
  if (!unread) return fail(unread.error());
  NotificationPage page{std::move(*list), std::nullopt, *unread};
  if (static_cast<int>(page.notifications.size()) == limit && !page.notifications.empty())
    page.next_before = page.notifications.back().id;
  return page;
}

Result<MarkedRead> NotificationService::mark_read(UserId reader, const MarkReadInput& input) {
  FieldErrors errors;
  if (input.ids.empty() && !input.up_to) errors.add("ids", "required");
  if (static_cast<int>(input.ids.size()) > kMaxIdsPerRequest) errors.add("ids", "too_many");
  for (const std::int64_t id : input.ids)
    if (id < 1) {
      errors.add("ids", "invalid");
      break;
    }
  std::optional<NotificationId> up_to;
  if (input.up_to) {
    const double v = *input.up_to;
    if (!std::isfinite(v) || v < 1 || v > 9.0e15 || std::floor(v) != v)
      errors.add("up_to", "invalid");
    else
      up_to = NotificationId{static_cast<std::int64_t>(v)};
  }
  if (auto s = errors.status(); !s) return fail(s.error());

  std::vector<NotificationId> ids;
  ids.reserve(input.ids.size());
  for (const std::int64_t id : input.ids) ids.push_back(NotificationId{id});
  auto marked = store_.mark_notifications_read(reader, ids, up_to, clock_.now());
  if (!marked) return fail(marked.error());
  auto unread = store_.unread_notifications(reader);
  if (!unread) return fail(unread.error());
  return MarkedRead{*marked, *unread};
}

}  // namespace noaber
