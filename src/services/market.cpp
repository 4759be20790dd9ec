#include "services/market.h"

#include <algorithm>

#include "core/markdown.h"
#include "core/time_format.h"
#include "core/validation.h"
#include "services/access.h"

namespace noaber {
namespace {

// Parses an optional RFC 3339 expiry into `out`, adding a field error.
void parse_expiry(const std::optional<std::string>& text, TimePoint now,
                  std::optional<TimePoint>& out, FieldErrors& errors) {
  if (!text) return;
  auto t = parse_rfc3339(*text);
  if (!t) return errors.add("expires_at", "invalid");
  check_expiry(*t, now, errors);
  out = *t;
}

Error not_found() { return Error{ErrorCode::not_found, "Not found.", {}, 0}; }

}  // namespace

MarketService::MarketService(Store& store, const Clock& clock, RateLimiter& limiter,
                             EventBus& events, MarketPolicy policy, FeedCache* feed_cache)
    : store_(store),
      clock_(clock),
      limiter_(limiter),
      events_(events),
      policy_(policy),
      feed_cache_(feed_cache) {}

void MarketService::present(Post& post) const {
  if (post.status == PostStatus::open && post.expires_at && *post.expires_at <= clock_.now())
    post.status = PostStatus::expired;
}

Result<PostView> MarketService::create_post(UserId author, NeighbourhoodId n,
                                            const PostInput& input, std::string_view client_ip) {
  const TimePoint now = clock_.now();
  std::optional<ProfessionalGrant> grant;
  if (auto m = require_verified_member(store_, author, n); !m) {
    if (m.error().code != ErrorCode::not_found) return fail(m.error());
    auto g = require_active_professional(store_, author, n, now);
    if (!g) return fail(g.error());
    grant = std::move(*g);
  }

  NewPost post{n, author, PostKind::ask, Category::goods, trim(input.title), input.body, "",
               Visibility::neighbourhood, now, now + limits::kDefaultExpiry};
  FieldErrors errors;
  if (auto k = parse_post_kind(input.kind)) post.kind = *k;
  else errors.add("kind", input.kind.empty() ? "required" : "invalid");
  if (auto c = parse_category(input.category)) post.category = *c;
  else errors.add("category", input.category.empty() ? "required" : "invalid");
  if (input.visibility) {
    if (auto v = parse_visibility(*input.visibility)) post.visibility = *v;
    else errors.add("visibility", "invalid");
  }
  check_line(post.title, "title", limits::kTitleMin, limits::kTitleMax, errors);
  check_text(post.body, "body", 0, limits::kBodyMax, errors);
  parse_expiry(input.expires_at, now, post.expires_at, errors);
  if (grant) {
    // Professionals offer (a surgery hour, advice) in the scope the
    // residents gave them; they never hide a post from other professionals.
    if (errors.empty() && post.kind != PostKind::offer) errors.add("kind", "offers_only");
    if (errors.empty() && !grant->settings.in_scope(post.category))
      errors.add("category", "out_of_scope");
    if (input.not_for_professionals.value_or(false))
      errors.add("not_for_professionals", "invalid");
    post.professional_organisation = grant->profile.organisation;
  } else if (input.not_for_professionals) {
    post.not_for_professionals = *input.not_for_professionals;
  } else if (errors.empty()) {
    auto settings = store_.get_professional_settings(n);
    if (!settings) return fail(settings.error());
    post.not_for_professionals = !settings->in_scope(post.category);
  }
  if (auto s = errors.status(); !s) return fail(s.error());

  if (auto s = limiter_.hit("post-user:" + std::to_string(author.value), policy_.posts_per_user);
      !s)
    return fail(s.error());
  if (!client_ip.empty())
    if (auto s = limiter_.hit("post-ip:" + std::string(client_ip), policy_.posts_per_ip); !s)
      return fail(s.error());
  post.body_html = render_markdown(post.body);
  auto created = store_.create_post(post);
  if (!created) return fail(created.error());
  events_.publish(PostEvent::about(PostEventType::created, *created));
  return view_for(author, std::move(*created));
}

Result<FeedPage> MarketService::feed(UserId reader, const FeedRequest& request) {
  Result<std::vector<Post>> posts = std::vector<Post>{};
  if (auto m = require_verified_member(store_, reader, request.neighbourhood_id); m) {
    auto shared = shared_first_page(reader, request);
    if (!shared) return fail(shared.error());
    if (*shared) return std::move(**shared);
    FeedQuery q{request.neighbourhood_id, request.kind, request.category, request.status,
                clock_.now(), request.before, request.limit};
    q.reader = reader;  // hidden posts (docs/moderation.md)
    q.reader_manages = m->role == Role::manager;
    posts = store_.feed(q);
  } else {
    if (m.error().code != ErrorCode::not_found) return fail(m.error());
    // An active professional sees the neighbourhood's own posts in scope,
    // filtered by the store's query so every page is full.
    auto grant =
        require_active_professional(store_, reader, request.neighbourhood_id, clock_.now());
    if (!grant) return fail(grant.error());
    posts = store_.professional_feed(ProfessionalFeedQuery{
        request.neighbourhood_id, grant->settings.scope, request.kind, request.category,
        request.status, clock_.now(), request.before, request.limit});
  }
  if (!posts) return fail(posts.error());
  FeedPage page{std::move(*posts), std::nullopt, nullptr};
  for (auto& p : page.own_posts) present(p);
  if (static_cast<int>(page.own_posts.size()) == request.limit && !page.own_posts.empty())
    page.next_before = page.own_posts.back().id;
  return page;
}

Result<std::optional<FeedPage>> MarketService::shared_first_page(UserId reader,
                                                                const FeedRequest& request) {
  if (!feed_cache_ || feed_cache_->capacity() == 0) return std::nullopt;
  if (request.kind || request.category || request.status || request.before) return std::nullopt;
  // Read before anything else: an entry made from reads after it is kept
  // under it, so a write that may have changed them makes the entry stale.
  const auto feed_generation = store_.feed_generation(request.neighbourhood_id);
  if (!feed_generation) return fail(feed_generation.error());
  const std::optional<std::uint64_t> generation = *feed_generation;
  if (!generation) return std::nullopt;
  // The author of a hidden post sees it wherever it reaches; the shared
  // page leaves it out.
  auto hidden = store_.has_hidden_posts(reader);
  if (!hidden) return fail(hidden.error());
  if (*hidden) {
    feed_cache_->count_bypass();
    return std::nullopt;
  }
  const FeedCache::Key key{request.neighbourhood_id, request.limit};
  const TimePoint now = clock_.now();
  auto entry = feed_cache_->find(key, *generation, now);
  if (!entry) {
    // The page of a manager of the neighbourhood who wrote no hidden post:
    // its own posts, hidden or not, and the visible posts that reach it.
    // When none of its posts is hidden, it is every member's page (a
    // member who is no manager sees a subset of the same posts that holds
    // the whole page), so it can be shared; otherwise the entry only says
    // that it can't.
    FeedQuery q{request.neighbourhood_id, std::nullopt, std::nullopt, std::nullopt, now,
                std::nullopt, request.limit};
    q.reader_manages = true;
    auto posts = store_.feed(q);
    if (!posts) return fail(posts.error());
    const bool shared =
        std::ranges::none_of(*posts, [](const Post& p) { return p.hidden_at.has_value(); });
    std::optional<TimePoint> valid_until;
    std::optional<PostId> next_before;
    if (shared) {
      for (auto& p : *posts) {
        present(p);
        // An open post is shown as expired from its expiry on.
        if (p.status == PostStatus::open && p.expires_at &&
            (!valid_until || *p.expires_at < *valid_until))
          valid_until = p.expires_at;
      }
      if (static_cast<int>(posts->size()) == request.limit && !posts->empty())
        next_before = posts->back().id;
    } else {
      posts->clear();
    }
    entry = std::make_shared<const FeedCache::Entry>(*generation, now, valid_until, shared,
                                                     std::move(*posts), next_before);
    feed_cache_->put(key, entry);
  }
  if (!entry->shared) {
    feed_cache_->count_bypass();
    return std::nullopt;
  }
  return FeedPage{{}, entry->next_before, entry};
}

Result<Post> MarketService::readable_post(UserId reader, PostId id,
                                          std::optional<ProfessionalGrant>* as_professional) {
  auto post = store_.get_post(id);
  if (!post) {
    if (post.error().code == ErrorCode::not_found) return fail(not_found());
    return fail(post.error());
  }
  if (auto s = require_can_read(store_, reader, *post); !s) {
    if (s.error().code != ErrorCode::not_found) return fail(s.error());
    // A member of the post's neighbourhood (even pending or suspended)
    // never reads it as a professional.
    if (auto m = store_.get_membership(post->neighbourhood_id, reader); m)
      return fail(s.error());
    else if (m.error().code != ErrorCode::not_found)
      return fail(m.error());
    auto grant =
        require_active_professional(store_, reader, post->neighbourhood_id, clock_.now());
    if (!grant) return fail(grant.error());
    if (auto may = professional_may_read(*grant, reader, *post); !may) return fail(may.error());
    if (as_professional) *as_professional = std::move(*grant);
  }
  // A hidden post is gone for everyone but its author and the managers of
  // its neighbourhood (docs/moderation.md).
  if (post->hidden_at) {
    auto may = may_see_hidden(store_, reader, post->neighbourhood_id, post->author.id);
    if (!may) return fail(may.error());
    if (!*may) return fail(not_found());
  }
  present(*post);
  return post;
}

Result<PostView> MarketService::view_for(UserId reader, Post post) {
  present(post);
  PostView view{std::move(post), std::nullopt};
  if (view.post.author.id == reader) {
    auto responses = store_.responses_for(view.post.id);
    if (!responses) return fail(responses.error());
    // Hidden responses stay visible only to the neighbourhood's managers
    // here (their responders never see this list).
    auto manages = may_see_hidden(store_, reader, view.post.neighbourhood_id, UserId{});
    if (!manages) return fail(manages.error());
    if (!*manages)
      std::erase_if(*responses, [](const PostResponse& r) { return r.hidden_at.has_value(); });
    view.responses = std::move(*responses);
  }
  return view;
}

Result<PostView> MarketService::get_post(UserId reader, PostId id) {
  std::optional<ProfessionalGrant> grant;
  auto post = readable_post(reader, id, &grant);
  if (!post) return fail(post.error());
  // Every opening of someone else's post by a professional is logged for
  // its author (transparency, docs/professionals.md).
  if (grant && post->author.id != reader)
    if (auto s = store_.record_professional_view(ProfessionalView{
            post->id, PersonRef{reader, ""}, grant->profile.organisation, clock_.now()});
        !s)
      return fail(s.error());
  return view_for(reader, std::move(*post));
}

Result<PostView> MarketService::update_post(UserId editor, PostId id, const PostChanges& changes) {
  std::optional<ProfessionalGrant> grant;
  auto post = readable_post(editor, id, &grant);
  if (!post) return fail(post.error());
  if (auto s = require_not_suspended(store_, editor, post->neighbourhood_id); !s)
    return fail(s.error());
  if (post->author.id != editor)
    return fail(ErrorCode::forbidden, "Only the author can change this post.");

  const TimePoint now = clock_.now();
  PostPatch patch;
  patch.updated_at = now;
  FieldErrors errors;
  if (changes.title) {
    patch.title = trim(*changes.title);
    check_line(*patch.title, "title", limits::kTitleMin, limits::kTitleMax, errors);
  }
  if (changes.body) {
    patch.body = *changes.body;
    check_text(*patch.body, "body", 0, limits::kBodyMax, errors);
  }
  parse_expiry(changes.expires_at, now, patch.expires_at, errors);
  patch.not_for_professionals = changes.not_for_professionals;
  if (grant && changes.not_for_professionals.value_or(false))
    errors.add("not_for_professionals", "invalid");
  if (auto s = errors.status(); !s) return fail(s.error());
  if (patch.body) patch.body_html = render_markdown(*patch.body);

  // An expired post (closed by the follow-ups, or only past its expiry) can
  // still be changed, and a new expiry opens it again.
  auto updated = store_.update_post(id, patch,
                                    {PostStatus::open, PostStatus::promised, PostStatus::expired});
  if (!updated) {
    if (updated.error().code == ErrorCode::conflict)
      return fail(ErrorCode::conflict, "A post that is done or closed can't be changed.");
    return fail(updated.error());
  }
  if (updated->status == PostStatus::expired && patch.expires_at) {
    updated = store_.set_post_status(id, {PostStatus::expired}, PostStatus::open, now);
    if (!updated) return fail(updated.error());
  }
  events_.publish(PostEvent::about(PostEventType::updated, *updated));
  return view_for(editor, std::move(*updated));
}

Result<PostView> MarketService::close_post(UserId actor, PostId id) {
  auto post = readable_post(actor, id);
  if (!post) return fail(post.error());
  if (auto s = require_not_suspended(store_, actor, post->neighbourhood_id); !s)
    return fail(s.error());
  if (post->author.id != actor) {
    auto manager = require_manager(store_, actor, post->neighbourhood_id);
    if (!manager)
      return fail(ErrorCode::forbidden,
                  "Only the author or a manager of its neighbourhood can close this post.");
  }
  auto closed = store_.set_post_status(
      id, {PostStatus::open, PostStatus::promised, PostStatus::expired}, PostStatus::closed,
      clock_.now());
  if (!closed) {
    if (closed.error().code == ErrorCode::conflict)
      return fail(ErrorCode::conflict, "This post is done or closed already.");
    return fail(closed.error());
  }
  events_.publish(PostEvent::about(PostEventType::updated, *closed));
  return view_for(actor, std::move(*closed));
}

Result<PostResponse> MarketService::respond(UserId responder, PostId id,
                                            const std::string& message,
                                            std::string_view client_ip) {
  std::optional<ProfessionalGrant> grant;
  auto post = readable_post(responder, id, &grant);
  if (!post) return fail(post.error());
  if (auto s = require_not_suspended(store_, responder, post->neighbourhood_id); !s)
    return fail(s.error());
  if (post->author.id == responder)
    return fail(ErrorCode::forbidden, "You can't respond to your own post.");
  if (grant && post->kind != PostKind::ask)
    return fail(ErrorCode::forbidden, "Professionals respond to asks only.");
  FieldErrors errors;
  check_text(message, "message", 1, limits::kMessageMax, errors);
  if (auto s = errors.status(); !s) return fail(s.error());
  if (post->status != PostStatus::open && post->status != PostStatus::promised)
    return fail(ErrorCode::conflict, "This post no longer takes responses.");
  if (auto s = limiter_.hit("response-user:" + std::to_string(responder.value),
                            policy_.responses_per_user);
      !s)
    return fail(s.error());
  if (!client_ip.empty())
    if (auto s = limiter_.hit("response-ip:" + std::string(client_ip), policy_.responses_per_ip);
        !s)
      return fail(s.error());

  NewResponse response{id, responder, message, clock_.now()};
  if (grant) response.professional_organisation = grant->profile.organisation;
  auto created = store_.create_response(response);
  if (!created && created.error().code == ErrorCode::conflict)
    return fail(ErrorCode::conflict,
                "You responded to this post already, or it no longer takes responses.");
  if (created) events_.publish(NotificationEvent{post->author.id});  // stored with it
  return created;
}

Result<PostResponse> MarketService::accept(UserId author, ResponseId id) {
  auto response = store_.get_response(id);
  if (!response) {
    if (response.error().code == ErrorCode::not_found) return fail(not_found());
    return fail(response.error());
  }
  auto post = readable_post(author, response->post_id);
  if (!post) return fail(post.error());
  if (auto s = require_not_suspended(store_, author, post->neighbourhood_id); !s)
    return fail(s.error());
  if (post->author.id != author)
    return fail(ErrorCode::forbidden, "Only the post's author can accept a response.");
  if (post->status == PostStatus::expired)
    return fail(ErrorCode::conflict, "This post has expired.");
  auto accepted = store_.accept_response(id, clock_.now());
  if (!accepted && accepted.error().code == ErrorCode::conflict)
    return fail(ErrorCode::conflict,
                "This response was accepted already, or the post is done or closed.");
  if (accepted) {
    auto event = PostEvent::about(PostEventType::updated, *post);
    event.status = PostStatus::promised;  // the post is promised now
    events_.publish(event);
    events_.publish(NotificationEvent{accepted->responder.id});
  }
  return accepted;
}

Result<Completed> MarketService::complete(UserId author, PostId id, const CompleteInput& input) {
  auto post = readable_post(author, id);
  if (!post) return fail(post.error());
  if (auto s = require_not_suspended(store_, author, post->neighbourhood_id); !s)
    return fail(s.error());
  if (post->author.id != author)
    return fail(ErrorCode::forbidden, "Only the post's author can complete it.");
  FieldErrors errors;
  std::optional<std::string> thanks;
  if (input.thanks) {
    thanks = trim(*input.thanks);
    check_text(*thanks, "thanks", 0, limits::kThanksMax, errors);
    if (thanks->empty()) thanks.reset();
  }
  if (input.hours) check_hours(*input.hours, errors);
  if (auto s = errors.status(); !s) return fail(s.error());

  auto exchanges = store_.complete_post(Completion{id, thanks, input.hours, clock_.now()});
  if (!exchanges) {
    if (exchanges.error().code == ErrorCode::conflict)
      return fail(ErrorCode::conflict,
                  "Only a promised post (with an accepted response) can be completed.");
    return fail(exchanges.error());
  }
  auto done = store_.get_post(id);
  if (!done) return fail(done.error());
  events_.publish(PostEvent::about(PostEventType::updated, *done));
  // Everyone who helped was thanked (notified) with the completion.
  std::vector<UserId> thanked;
  for (const Exchange& x : *exchanges) {
    const UserId helper = x.giver.id == author ? x.receiver.id : x.giver.id;
    if (std::ranges::find(thanked, helper) == thanked.end()) thanked.push_back(helper);
  }
  for (const UserId helper : thanked) events_.publish(NotificationEvent{helper});
  auto view = view_for(author, std::move(*done));
  if (!view) return fail(view.error());
  return Completed{std::move(*view), std::move(*exchanges)};
}

Result<ExchangePage> MarketService::exchanges(UserId reader, NeighbourhoodId n,
                                              std::optional<ExchangeId> before, int limit) {
  if (auto m = require_verified_member(store_, reader, n); !m) return fail(m.error());
  auto list = store_.exchanges(n, before, limit);
  if (!list) return fail(list.error());
  ExchangePage page{std::move(*list), std::nullopt};
  if (static_cast<int>(page.exchanges.size()) == limit && !page.exchanges.empty())
    page.next_before = page.exchanges.back().id;
  return page;
}

}  // namespace noaber
