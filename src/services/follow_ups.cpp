#include "services/follow_ups.h"

#include <set>

#include <spdlog/spdlog.h>

namespace noaber {
namespace {

// Calls `step` (one store transaction of at most `batch` posts) until a
// batch comes back short: nothing due is left (another process may have
// taken some). Adds up how many it did.
template <typename Step>
Status drain(int batch, int& count, const std::function<bool()>& go_on, Step&& step) {
  for (;;) {
    if (go_on && !go_on()) return {};
    auto done = step();
    if (!done) return fail(done.error());
    count += static_cast<int>(done->size());
    if (static_cast<int>(done->size()) < batch) return {};
  }
}

}  // namespace

FollowUpService::FollowUpService(Store& store, const Clock& clock, EventBus& events,
                                 FollowUpPolicy policy)
    : store_(store), clock_(clock), events_(events), policy_(policy) {}

void FollowUpService::announce_expired(const std::vector<PostId>& posts) {
  for (const PostId id : posts) {
    auto post = store_.get_post(id);
    if (!post) {
      spdlog::warn("follow-ups: expired post {} not announced: {}", id.value,
                   post.error().message);
      continue;
    }
    events_.publish(PostEvent::about(PostEventType::updated, *post));
    events_.publish(NotificationEvent{post->author.id});
  }
}

void FollowUpService::announce_to_connectors(const std::vector<PostId>& posts) {
  std::set<std::int64_t> hoods;
  for (const PostId id : posts) {
    auto post = store_.get_post(id);
    if (post) hoods.insert(post->neighbourhood_id.value);
    else spdlog::warn("follow-ups: escalation of post {} not announced", id.value);
  }
  // Every connector may have been told (the asker was not, but a doorbell
  // without a new notification only makes their streams look and find none).
  std::set<std::int64_t> connectors;
  for (const std::int64_t n : hoods) {
    auto members = store_.list_members(NeighbourhoodId{n}, MemberStatus::verified);
    if (!members) continue;
    for (const Membership& m : *members)
      if (is_connector(m)) connectors.insert(m.member.id.value);
  }
  for (const std::int64_t user : connectors) events_.publish(NotificationEvent{UserId{user}});
}

void FollowUpService::announce_to_authors(const std::vector<PostId>& posts) {
  std::set<std::int64_t> authors;
  for (const PostId id : posts) {
    auto post = store_.get_post(id);
    if (post) authors.insert(post->author.id.value);
    else spdlog::warn("follow-ups: check-in on post {} not announced", id.value);
  }
  for (const std::int64_t user : authors) events_.publish(NotificationEvent{UserId{user}});
}

Result<FollowUpReport> FollowUpService::run_due(const std::function<bool()>& go_on) {
  FollowUpReport report;
  const TimePoint now = clock_.now();
  const int batch = policy_.batch;
  // Expiry first, so an ask that expires now is not escalated as well.
  if (auto s = drain(batch, report.expired, go_on,
                     [&] {
                       auto done = store_.expire_due_posts(now, batch);
                       if (done) announce_expired(*done);
                       return done;
                     });
      !s)
    return fail(s.error());
  if (auto s = drain(batch, report.escalated, go_on,
                     [&] {
                       auto done = store_.escalate_unanswered_asks(
                           now, now - policy_.unanswered_after, batch);
                       if (done) announce_to_connectors(*done);
                       return done;
                     });
      !s)
    return fail(s.error());
  if (auto s = drain(batch, report.checked_in, go_on,
                     [&] {
                       auto done =
                           store_.check_in_on_promised(now, now - policy_.check_in_after, batch);
                       if (done) announce_to_authors(*done);
                       return done;
                     });
      !s)
    return fail(s.error());
  return report;
}

}  // namespace noaber
