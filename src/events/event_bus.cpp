#include "events/event_bus.h"

#include <boost/json.hpp>
#include <fmt/format.h>

namespace noaber {

namespace json = boost::json;

namespace {

constexpr std::string_view kNotification = "notification";
constexpr std::string_view kAccess = "access";

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
// Clang before 17 deduces no aggregate's template arguments by itself.
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

json::object encode_post(const PostEvent& event) {
  return json::object{
      {"type", to_string(event.type)},
      {"id", event.post_id.value},
      {"neighbourhood", event.neighbourhood_id.value},
      {"region", event.region_id.value},
      {"visibility", to_string(event.visibility)},
      {"kind", to_string(event.kind)},
      {"category", to_string(event.category)},
      {"title", event.title},
      {"status", to_string(event.status)},
      {"author", event.author_id.value},
      {"hidden", event.hidden},
      {"not_for_professionals", event.not_for_professionals},
  };
}

// Reads fields of one decoded object; every getter answers nullopt for a
// missing field or one of the wrong type, so nothing here can throw.
class Fields {
 public:
  explicit Fields(const json::object& o) : o_(o) {}
  std::optional<std::string_view> text(std::string_view key) const {
    const auto* v = o_.if_contains(key);
    if (!v || !v->is_string()) return std::nullopt;
    return std::string_view(v->get_string());
  }
  // Ids are whole numbers from 1.
  std::optional<std::int64_t> id(std::string_view key) const {
    const auto* v = o_.if_contains(key);
    if (!v || !v->is_int64() || v->get_int64() < 1) return std::nullopt;
    return v->get_int64();
  }
  std::optional<bool> flag(std::string_view key) const {
    const auto* v = o_.if_contains(key);
    if (!v || !v->is_bool()) return std::nullopt;
    return v->get_bool();
  }

 private:
  const json::object& o_;
};

std::optional<PostEvent> decode_post(PostEventType type, const Fields& f) {
  const auto id = f.id("id");
  const auto neighbourhood = f.id("neighbourhood");
  const auto region = f.id("region");
  const auto author = f.id("author");
  const auto visibility = f.text("visibility");
  const auto kind = f.text("kind");
  const auto category = f.text("category");
  const auto title = f.text("title");
  const auto status = f.text("status");
  const auto hidden = f.flag("hidden");
  const auto not_for_professionals = f.flag("not_for_professionals");
  if (!id || !neighbourhood || !region || !author || !visibility || !kind || !category ||
      !title || !status || !hidden || !not_for_professionals)
    return std::nullopt;
  const auto v = parse_visibility(*visibility);
  const auto k = parse_post_kind(*kind);
  const auto c = parse_category(*category);
  const auto s = parse_post_status(*status);
  if (!v || !k || !c || !s) return std::nullopt;
  PostEvent event;
  event.type = type;
  event.post_id = PostId{*id};
  event.neighbourhood_id = NeighbourhoodId{*neighbourhood};
  event.region_id = RegionId{*region};
  event.visibility = *v;
  event.kind = *k;
  event.category = *c;
  event.title = std::string(*title);
  event.status = *s;
  event.author_id = UserId{*author};
  event.hidden = *hidden;
  event.not_for_professionals = *not_for_professionals;
  return event;
}

}  // namespace

std::string_view to_string(PostEventType type) {
  switch (type) {
    case PostEventType::created: return "post_created";
    case PostEventType::updated: return "post_updated";
  }
  return "post_updated";
}

PostEvent PostEvent::about(PostEventType type, const Post& post) {
  PostEvent event;
  event.type = type;
  event.post_id = post.id;
  event.neighbourhood_id = post.neighbourhood_id;
  event.region_id = post.region_id;
  event.visibility = post.visibility;
  event.kind = post.kind;
  event.category = post.category;
  event.title = post.title;
  event.status = post.status;
  event.author_id = post.author.id;
  event.hidden = post.hidden_at.has_value();
  event.not_for_professionals = post.not_for_professionals;
  return event;
}

std::string encode(const Event& event) {
  return json::serialize(std::visit(
      Overloaded{
          [](const PostEvent& e) { return encode_post(e); },
          [](const NotificationEvent& e) {
            if (e.members_of.value != 0)
              return json::object{{"type", kNotification}, {"members_of", e.members_of.value}};
            return json::object{{"type", kNotification}, {"user", e.user_id.value}};
          },
          [](const AccessChangedEvent& e) {
            return json::object{{"type", kAccess}, {"user", e.user_id.value}};
          },
      },
      event));
}

std::optional<Event> decode(std::string_view text) {
  boost::system::error_code ec;
  const json::value parsed = json::parse(text, ec);
  if (ec || !parsed.is_object()) return std::nullopt;
  const Fields f(parsed.get_object());
  const auto type = f.text("type");
  if (!type) return std::nullopt;
  if (*type == to_string(PostEventType::created)) return decode_post(PostEventType::created, f);
  if (*type == to_string(PostEventType::updated)) return decode_post(PostEventType::updated, f);
  if (*type == kNotification) {
    if (const auto n = f.id("members_of"))
      return NotificationEvent::for_members_of(NeighbourhoodId{*n});
  }
  if (*type == kNotification || *type == kAccess) {
    const auto user = f.id("user");
    if (!user) return std::nullopt;
    if (*type == kNotification) return NotificationEvent{UserId{*user}};
    return AccessChangedEvent{UserId{*user}};
  }
  return std::nullopt;
}

std::string describe(const Event& event) {
  return std::visit(Overloaded{
                        [](const PostEvent& e) {
                          return fmt::format("{} of post {}", to_string(e.type), e.post_id.value);
                        },
                        [](const NotificationEvent& e) {
                          if (e.members_of.value != 0)
                            return fmt::format("notification for the members of neighbourhood {}",
                                               e.members_of.value);
                          return fmt::format("notification for user {}", e.user_id.value);
                        },
                        [](const AccessChangedEvent& e) {
                          return fmt::format("access change of user {}", e.user_id.value);
                        },
                    },
                    event);
}

}  // namespace noaber
