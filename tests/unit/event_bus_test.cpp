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
  return PostEvent{PostEventType::created, PostId{id},       NeighbourhoodId{3}, RegionId{2},
                   Visibility::nearby,     PostKind::offer, Category::care,     std::move(title)};
}

TEST(InProcessEventBus, DeliversToEverySubscriberInOrder) {
  InProcessEventBus bus;
  std::vector<std::int64_t> first, second;
  auto a = bus.subscribe([&](const PostEvent& e) { first.push_back(e.post_id.value); });
  auto b = bus.subscribe([&](const PostEvent& e) { second.push_back(e.post_id.value); });
  bus.publish(sample(1));
  bus.publish(sample(2));
  EXPECT_EQ(first, (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(second, (std::vector<std::int64_t>{1, 2}));
}

TEST(InProcessEventBus, AnEndedSubscriptionHearsNothingMore) {
  InProcessEventBus bus;
  int heard = 0;
  auto subscription = bus.subscribe([&](const PostEvent&) { ++heard; });
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
  auto bad = bus.subscribe([](const PostEvent&) { throw std::runtime_error("bug"); });
  auto good = bus.subscribe([&](const PostEvent&) { ++heard; });
  bus.publish(sample(1));
  EXPECT_EQ(heard, 1);
}

TEST(InProcessEventBus, UnsubscribingWaitsForARunningHandler) {
  InProcessEventBus bus;
  std::atomic<bool> inside{false}, release{false}, finished{false};
  auto subscription = bus.subscribe([&](const PostEvent&) {
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
    const auto back = decode(encode(event));
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, event);
  }
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
}

TEST(PostEventWire, StaysFarBelowTheNotifyLimit) {
  // PostgreSQL's NOTIFY payload must be under 8000 bytes; a title of the
  // longest allowed length (120 characters, up to 4 bytes each) fits easily.
  std::string title;
  for (int i = 0; i < 120; ++i) title += "\U0001F600";
  EXPECT_LT(encode(sample(9'000'000'000'000'000'000, title)).size(), 1000u);
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
