// The in-process event bus, the events' wire form, and the server-sent-events
// framing of http::EventStream.

#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "events/event_bus.h"
#include "events/in_process_bus.h"
#include "http/event_stream.h"

namespace noaber {
namespace {

PostEvent sample(std::int64_t id, std::string title = "Wie leent mij een ladder?") {
  PostEvent e{PostEventType::created, PostId{id},       NeighbourhoodId{3}, RegionId{2},
              Visibility::nearby,     PostKind::offer, Category::care,     std::move(title)};
  e.author_id = UserId{5};
  return e;
}

std::int64_t post_id_of(const Event& e) { return std::get<PostEvent>(e).post_id.value; }

TEST(InProcessEventBus, DeliversToEverySubscriberInOrder) {
  InProcessEventBus bus;
  std::vector<std::int64_t> first, second;
  auto a = bus.subscribe([&](const Event& e) { first.push_back(post_id_of(e)); });
  auto b = bus.subscribe([&](const Event& e) { second.push_back(post_id_of(e)); });
  bus.publish(sample(1));
  bus.publish(sample(2));
  EXPECT_EQ(first, (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(second, (std::vector<std::int64_t>{1, 2}));
}

TEST(InProcessEventBus, AnEndedSubscriptionHearsNothingMore) {
  InProcessEventBus bus;
  int heard = 0;
  auto subscription = bus.subscribe([&](const Event&) { ++heard; });
  bus.publish(sample(1));
  EXPECT_EQ(bus.subscriber_count(), 1u);
  subscription.reset();
  EXPECT_EQ(bus.subscriber_count(), 0u);
  bus.publish(sample(2));
  EXPECT_EQ(heard, 1);
}

TEST(InProcessEventBus, PublishingWithoutSubscribersIsFine) {
  InProcessEventBus bus;
  bus.publish(sample(1));
  EXPECT_EQ(bus.subscriber_count(), 0u);
}

TEST(InProcessEventBus, AFailingSubscriberDoesNotKeepEventsFromOthers) {
  InProcessEventBus bus;
  int heard = 0;
  auto bad = bus.subscribe([](const Event&) { throw std::runtime_error("bug"); });
  auto good = bus.subscribe([&](const Event&) { ++heard; });
  bus.publish(sample(1));
  EXPECT_EQ(heard, 1);
}

TEST(InProcessEventBus, UnsubscribingWaitsForARunningHandler) {
  InProcessEventBus bus;
  std::atomic<bool> inside{false}, release{false}, finished{false};
  auto subscription = bus.subscribe([&](const Event&) {
    inside = true;
    while (!release) std::this_thread::yield();
    finished = true;
  });
  std::thread publisher([&] { bus.publish(sample(1)); });
  while (!inside) std::this_thread::yield();
  std::thread unsubscriber([&] {
    subscription.reset();
    // Only once the handler returned may the subscription be gone.
    EXPECT_TRUE(finished.load());
  });
  release = true;
  publisher.join();
  unsubscriber.join();
}

TEST(PostEventWire, RoundTrips) {
  for (auto type : {PostEventType::created, PostEventType::updated}) {
    PostEvent event = sample(42, "Soep \"voor\" twee \n\u00e9\u00e9n");
    event.type = type;
    event.status = PostStatus::expired;
    event.hidden = true;
    event.not_for_professionals = true;
    const auto back = decode(encode(event));
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, Event(event));
  }
  for (const Event& event :
       {Event(NotificationEvent{UserId{7}}), Event(AccessChangedEvent{UserId{8}}),
        Event(NotificationEvent::for_members_of(NeighbourhoodId{9}))}) {
    const auto back = decode(encode(event));
    ASSERT_TRUE(back) << encode(event);
    EXPECT_EQ(*back, event);
  }
}

TEST(PostEventWire, RejectsMalformedUserEvents) {
  EXPECT_FALSE(decode(R"({"type":"notification"})"));
  EXPECT_FALSE(decode(R"({"type":"notification","user":"7"})"));
  EXPECT_FALSE(decode(R"({"type":"notification","user":0})"));
  EXPECT_FALSE(decode(R"({"type":"access","user":-3})"));
  EXPECT_FALSE(decode(R"({"type":"access","user":1.5})"));
  EXPECT_FALSE(decode(R"({"type":"access","user":99999999999999999999999})"));
  EXPECT_FALSE(decode(R"({"type":"notifications","user":7})"));
  EXPECT_FALSE(decode(R"({"type":7,"user":7})"));
  EXPECT_FALSE(decode("{\"type\":\"access\",\"user\":7"));  // cut off
}

TEST(PostEventWire, RejectsWhatIsNoEvent) {
  EXPECT_FALSE(decode(""));
  EXPECT_FALSE(decode("not json"));
  EXPECT_FALSE(decode("[1,2]"));
  EXPECT_FALSE(decode(R"({"type":"post_created","id":1})"));
  std::string wrong_type = encode(sample(1));
  wrong_type.replace(wrong_type.find("post_created"), 12, "post_deleted");
  EXPECT_FALSE(decode(wrong_type));
  std::string wrong_kind = encode(sample(1));
  wrong_kind.replace(wrong_kind.find("\"offer\""), 7, "\"trade\"");
  EXPECT_FALSE(decode(wrong_kind));
  std::string wrong_status = encode(sample(1));
  wrong_status.replace(wrong_status.find("\"open\""), 6, "\"gone\"");
  EXPECT_FALSE(decode(wrong_status));
  std::string no_author = encode(sample(1));
  no_author.replace(no_author.find("\"author\""), 8, "\"writer\"");
  EXPECT_FALSE(decode(no_author));
  std::string hidden_as_text = encode(sample(1));
  hidden_as_text.replace(hidden_as_text.find("\"hidden\":false"), 14, "\"hidden\":\"no\"");
  EXPECT_FALSE(decode(hidden_as_text));
}

// Whatever arrives on the channel is decoded without a crash: every cut-off
// payload is refused, and a payload with one byte changed is refused or is
// an event that encodes and decodes again to itself.
TEST(PostEventWire, CutOrChangedPayloadsDecodeSafely) {
  for (const Event& event :
       {Event(sample(42)), Event(NotificationEvent{UserId{7}}), Event(AccessChangedEvent{UserId{8}}),
        Event(NotificationEvent::for_members_of(NeighbourhoodId{9}))}) {
    const std::string good = encode(event);
    for (std::size_t n = 0; n < good.size(); ++n)
      EXPECT_FALSE(decode(good.substr(0, n))) << good.substr(0, n);
    for (std::size_t i = 0; i < good.size(); ++i)
      for (const char c : {'\0', '"', '{', '}', ',', ':', '-', '0', '9', 'x', '\xff'}) {
        std::string changed = good;
        changed[i] = c;
        if (const auto back = decode(changed)) EXPECT_EQ(decode(encode(*back)), back) << changed;
      }
  }
}

TEST(PostEventWire, StaysFarBelowTheNotifyLimit) {
  // PostgreSQL's NOTIFY payload must be under 8000 bytes; a title of the
  // longest allowed length (120 characters, up to 4 bytes each) fits easily.
  std::string title;
  for (int i = 0; i < 120; ++i) title += "\U0001F600";
  PostEvent longest = sample(9'000'000'000'000'000'000, title);
  longest.neighbourhood_id = NeighbourhoodId{9'000'000'000'000'000'000};
  longest.region_id = RegionId{9'000'000'000'000'000'000};
  longest.author_id = UserId{9'000'000'000'000'000'000};
  longest.status = PostStatus::promised;
  EXPECT_LT(encode(longest).size(), 1000u);
  // Control characters are escaped as \u00XX, six bytes each.
  EXPECT_LT(encode(sample(1, std::string(120, '\x01'))).size(), 1000u);
}

TEST(EventStream, FramesEventsAsServerSentEvents) {
  http::EventStream stream;
  const std::string opening = stream.take();
  EXPECT_TRUE(opening.starts_with(":"));
  EXPECT_NE(opening.find("retry: 5000\n"), std::string::npos);
  EXPECT_TRUE(opening.ends_with("\n\n"));
  EXPECT_EQ(stream.take(), "");

  stream.send("post_created", "7", R"({"id":7})");
  stream.send("post_updated", "7", "two\nlines");
  EXPECT_EQ(stream.take(),
            "event: post_created\nid: 7\ndata: {\"id\":7}\n\n"
            "event: post_updated\nid: 7\ndata: two\ndata: lines\n\n");
  EXPECT_FALSE(stream.ended());
}

TEST(EventStream, WakesTheAttachedConnectionUntilDetached) {
  http::EventStream stream;
  int wakes = 0;
  stream.attach([&] { ++wakes; });
  stream.send("post_created", "1", "{}");
  stream.send("post_created", "2", "{}");
  stream.attach({});
  stream.send("post_created", "3", "{}");
  EXPECT_EQ(wakes, 2);
}

TEST(EventStream, EndsWhenTheClientFallsTooFarBehind) {
  http::EventStream stream(100);
  for (int i = 0; i < 10 && !stream.ended(); ++i) stream.send("post_created", "1", std::string(40, 'x'));
  EXPECT_TRUE(stream.ended());
  const std::string backlog = stream.take();
  // What was queued before the end is still delivered, whole.
  EXPECT_TRUE(backlog.ends_with("\n\n"));
  stream.send("post_created", "2", "{}");
  EXPECT_EQ(stream.take(), "");
}

TEST(EventStream, EndsWhenTold) {
  http::EventStream stream;
  int wakes = 0;
  stream.attach([&] { ++wakes; });
  stream.send("post_created", "1", "{}");
  stream.end();
  EXPECT_TRUE(stream.ended());
  EXPECT_EQ(wakes, 2);  // the end wakes the connection too
  // What was queued before the end is still delivered; nothing after it.
  EXPECT_NE(stream.take().find("event: post_created\nid: 1\n"), std::string::npos);
  stream.send("post_created", "2", "{}");
  EXPECT_EQ(stream.take(), "");
}

TEST(EventStream, ReleasesWhatFeedsItWhenDestroyed) {
  auto source = std::make_shared<int>(1);
  std::weak_ptr<int> watch = source;
  {
    http::EventStream stream;
    stream.keep(std::move(source));
    EXPECT_FALSE(watch.expired());
  }
  EXPECT_TRUE(watch.expired());
}

}  // namespace
}  // namespace noaber
