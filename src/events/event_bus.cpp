#include "events/event_bus.h"

#include <boost/json.hpp>

namespace noaber {

namespace json = boost::json;

std::string_view to_string(PostEventType type) {
  switch (type) {
    case PostEventType::created: return "post_created";
    case PostEventType::updated: return "post_updated";
  }
  return "post_updated";
}

PostEvent PostEvent::about(PostEventType type, const Post& post) {
  return PostEvent{type,        post.id,   post.neighbourhood_id, post.region_id,
                   post.visibility, post.kind, post.category,         post.title};
}

std::string encode(const PostEvent& event) {
  return json::serialize(json::object{
      {"type", to_string(event.type)},
      {"id", event.post_id.value},
      {"neighbourhood", event.neighbourhood_id.value},
      {"region", event.region_id.value},
      {"visibility", to_string(event.visibility)},
      {"kind", to_string(event.kind)},
      {"category", to_string(event.category)},
      {"title", event.title},
  });
}

std::optional<PostEvent> decode(std::string_view text) {
  boost::system::error_code ec;
  const json::value parsed = json::parse(text, ec);
  if (ec || !parsed.is_object()) return std::nullopt;
  const json::object& o = parsed.get_object();
  auto text_of = [&](std::string_view key) -> std::optional<std::string_view> {
    const auto* v = o.if_contains(key);
    if (!v || !v->is_string()) return std::nullopt;
    return std::string_view(v->get_string());
  };
  auto int_of = [&](std::string_view key) -> std::optional<std::int64_t> {
    const auto* v = o.if_contains(key);
    if (!v || !v->is_int64()) return std::nullopt;
    return v->get_int64();
  };
  const auto type = text_of("type");
  const auto id = int_of("id");
  const auto neighbourhood = int_of("neighbourhood");
  const auto region = int_of("region");
  const auto visibility = text_of("visibility");
  const auto kind = text_of("kind");
  const auto category = text_of("category");
  const auto title = text_of("title");
  if (!type || !id || !neighbourhood || !region || !visibility || !kind || !category || !title)
    return std::nullopt;
  PostEvent event;
  if (*type == "post_created") event.type = PostEventType::created;
  else if (*type == "post_updated") event.type = PostEventType::updated;
  else return std::nullopt;
  const auto v = parse_visibility(*visibility);
  const auto k = parse_post_kind(*kind);
  const auto c = parse_category(*category);
  if (!v || !k || !c) return std::nullopt;
  event.post_id = PostId{*id};
  event.neighbourhood_id = NeighbourhoodId{*neighbourhood};
  event.region_id = RegionId{*region};
  event.visibility = *v;
  event.kind = *k;
  event.category = *c;
  event.title = std::string(*title);
  return event;
}

}  // namespace noaber
