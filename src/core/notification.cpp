#include "core/types.h"

namespace noaber {

std::string_view to_string(NotificationKind kind) {
  switch (kind) {
    case NotificationKind::response: return "response";
    case NotificationKind::accepted: return "accepted";
    case NotificationKind::thanks: return "thanks";
    case NotificationKind::expired: return "expired";
    case NotificationKind::unanswered: return "unanswered";
    case NotificationKind::check_in: return "check_in";
    case NotificationKind::professional_request: return "professional_request";
    case NotificationKind::professional_access: return "professional_access";
  }
  return "response";
}

std::optional<NotificationKind> parse_notification_kind(std::string_view text) {
  for (auto k : {NotificationKind::response, NotificationKind::accepted, NotificationKind::thanks,
                 NotificationKind::expired, NotificationKind::unanswered,
                 NotificationKind::check_in, NotificationKind::professional_request,
                 NotificationKind::professional_access})
    if (to_string(k) == text) return k;
  return std::nullopt;
}

}  // namespace noaber
