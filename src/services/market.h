#pragma once
// Asks and offers: posting, the feed, responding, accepting and completing
// with thanks (which records the exchanges of the tie graph).

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/error.h"
#include "core/types.h"
#include "events/event_bus.h"
#include "services/access.h"
#include "services/feed_cache.h"
#include "services/rate_limiter.h"
#include "store/store.h"

namespace noaber {

struct MarketPolicy {
  RateLimit posts_per_user{30, std::chrono::hours(1)};
  RateLimit responses_per_user{120, std::chrono::hours(1)};
  // Per network address, against one person with many accounts.
  RateLimit posts_per_ip{120, std::chrono::hours(1)};
  RateLimit responses_per_ip{360, std::chrono::hours(1)};
};

// Enum fields arrive as text so every problem with a form is reported at
// once, with its field.
struct PostInput {
  std::string kind;
  std::string category;
  std::string title;
  std::string body;
  std::optional<std::string> visibility;
  std::optional<std::string> expires_at;  // RFC 3339
  // Unset: on for categories outside the neighbourhood's professional scope.
  std::optional<bool> not_for_professionals;
};

struct PostChanges {
  std::optional<std::string> title;
  std::optional<std::string> body;
  std::optional<std::string> expires_at;
  std::optional<bool> not_for_professionals;
};

struct CompleteInput {
  std::optional<std::string> thanks;
  std::optional<double> hours;
};

struct PostView {
  Post post;
  // Only for the post's author.
  std::optional<std::vector<PostResponse>> responses;
};

struct FeedRequest {
  NeighbourhoodId neighbourhood_id;
  std::optional<PostKind> kind;
  std::optional<Category> category;
  std::optional<PostStatus> status;
  std::optional<PostId> before;
  int limit = 20;
};

struct FeedPage {
  // Either a reader's own posts or, when `shared` is set, those of the
  // feed cache's entry, which every reader of its kind gets (not copied per
  // request; its rendering is made once: services/feed_cache.h).
  const std::vector<Post>& posts() const { return shared ? shared->posts : own_posts; }
  std::vector<Post> own_posts;
  std::optional<PostId> next_before;  // set when there may be more
  std::shared_ptr<const FeedCache::Entry> shared;
};

struct ExchangePage {
  std::vector<Exchange> exchanges;
  std::optional<ExchangeId> next_before;
};

struct Completed {
  PostView post;
  std::vector<Exchange> exchanges;
};

class MarketService {
 public:
  // Every change to a post that succeeded is published on `events`
  // (post_created, post_updated) for the live feeds.
  // feed_cache: where the first page of a feed is kept for the readers
  // who all get the same one (feed); none keeps nothing.
  MarketService(Store& store, const Clock& clock, RateLimiter& limiter, EventBus& events,
                MarketPolicy policy, FeedCache* feed_cache = nullptr);

  // client_ip: the request's address for the per-address limits; empty
  // for callers without one (the demo seed), which only the per-user
  // limits then hold.
  Result<PostView> create_post(UserId author, NeighbourhoodId n, const PostInput& input,
                               std::string_view client_ip = {});
  Result<FeedPage> feed(UserId reader, const FeedRequest& request);
  Result<PostView> get_post(UserId reader, PostId id);
  Result<PostView> update_post(UserId editor, PostId id, const PostChanges& changes);
  Result<PostView> close_post(UserId actor, PostId id);
  Result<PostResponse> respond(UserId responder, PostId id, const std::string& message,
                               std::string_view client_ip = {});
  Result<PostResponse> accept(UserId author, ResponseId id);
  Result<Completed> complete(UserId author, PostId id, const CompleteInput& input);
  Result<ExchangePage> exchanges(UserId reader, NeighbourhoodId n,
                                 std::optional<ExchangeId> before, int limit);

 private:
  // The post as this reader may see it; not_found when it doesn't reach them.
  // A reader who is no member but an active professional of the post's
  // neighbourhood (services/access.h) gets their grant in `as_professional`.
  Result<Post> readable_post(UserId reader, PostId id,
                             std::optional<ProfessionalGrant>* as_professional = nullptr);
  Result<PostView> view_for(UserId reader, Post post);
  // The stored status, or expired once an open post's expiry has passed.
  void present(Post& post) const;
  // The shared first page from the feed cache for this verified member, or
  // nullopt when they must read their own (docs/performance.md, "Feed
  // cache", says who and why).
  Result<std::optional<FeedPage>> shared_first_page(UserId reader, const FeedRequest& request);

  Store& store_;
  const Clock& clock_;
  RateLimiter& limiter_;
  EventBus& events_;
  MarketPolicy policy_;
  FeedCache* feed_cache_;
};

}  // namespace noaber
