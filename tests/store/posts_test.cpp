// Store contract: posts, their changes and the feed.

#include <algorithm>
#include <set>
#include <vector>

#include "store_contract.h"

namespace noaber::testing {
namespace {

template <typename Factory>
class Posts : public StoreContract<Factory> {
 protected:
  std::vector<std::int64_t> feed_ids(FeedQuery q) {
    std::vector<std::int64_t> ids;
    for (const Post& p : must(this->store().feed(q))) ids.push_back(p.id.value);
    return ids;
  }
};
TYPED_TEST_SUITE(Posts, StoreBackends, BackendName);

TYPED_TEST(Posts, CreatedPostCanBeReadBack) {
  const User anna = this->user("anna");
  const auto wijk = this->neighbourhood("Lombok", "Utrecht", kUtrecht, anna.id);
  NewPost draft = this->new_post(wijk.id, anna.id, Visibility::nearby, PostKind::offer,
                                 Category::knowledge);
  draft.expires_at = this->at(5000);
  const Post created = must(this->store().create_post(draft));

  EXPECT_GT(created.id.value, 0);
  const Post read = must(this->store().get_post(created.id));
  for (const Post& p : {created, read}) {
    EXPECT_EQ(p.id, created.id);
    EXPECT_EQ(p.neighbourhood_id, wijk.id);
    EXPECT_EQ(p.region_id, wijk.region_id);
    EXPECT_EQ(p.author.id, anna.id);
    EXPECT_EQ(p.author.display_name, "anna");
    EXPECT_EQ(p.kind, PostKind::offer);
    EXPECT_EQ(p.category, Category::knowledge);
    EXPECT_EQ(p.title, "Ladder lenen");
    EXPECT_EQ(p.body, "Wie heeft een *ladder*?");
    EXPECT_EQ(p.body_html, "<p>Wie heeft een <em>ladder</em>?</p>");
    EXPECT_EQ(p.visibility, Visibility::nearby);
    EXPECT_EQ(p.status, PostStatus::open);
    EXPECT_EQ(p.created_at, this->at(100));
    EXPECT_EQ(p.updated_at, this->at(100));
    EXPECT_EQ(p.expires_at, this->at(5000));
    EXPECT_EQ(p.response_count, 0);
  }
  EXPECT_EQ(this->post(wijk.id, anna.id).expires_at, std::nullopt);
}

TYPED_TEST(Posts, UnknownPostOrNeighbourhoodIsNotFound) {
  const User anna = this->user("anna");
  EXPECT_EQ(error_of(this->store().get_post(PostId{404})), ErrorCode::not_found);
  EXPECT_EQ(error_of(this->store().create_post(
                this->new_post(NeighbourhoodId{404}, anna.id, Visibility::neighbourhood))),
            ErrorCode::not_found);
  const auto wijk = this->neighbourhood("Lombok", "Utrecht", kUtrecht, anna.id);
  EXPECT_EQ(error_of(this->store().create_post(
                this->new_post(wijk.id, UserId{404}, Visibility::neighbourhood))),
            ErrorCode::not_found);
}

TYPED_TEST(Posts, FeedReachesOwnNearbyAndRegionPostsOnly) {
  const auto home = this->neighbourhood("Binnenstad", "Utrecht", kUtrecht);
  const auto near = this->neighbourhood("Oost", "Utrecht", kUtrechtEast);
  const auto far = this->neighbourhood("Zuilen", "Utrecht", kMaarssen);
  // Near, but in another region.
  const auto across = this->neighbourhood("Noord", "De Bilt", kUtrechtNorth);
  const auto elsewhere = this->neighbourhood("Centrum", "Amsterdam", kAmsterdam);
  const UserId h = this->user("h").id;
  const UserId n = this->user("n").id;
  const UserId f = this->user("f").id;
  const UserId a = this->user("a").id;
  const UserId e = this->user("e").id;

  std::set<std::int64_t> expected;
  for (Visibility v : {Visibility::neighbourhood, Visibility::nearby, Visibility::region})
    expected.insert(this->post(home.id, h, v).id.value);
  this->post(near.id, n, Visibility::neighbourhood);
  expected.insert(this->post(near.id, n, Visibility::nearby).id.value);
  expected.insert(this->post(near.id, n, Visibility::region).id.value);
  this->post(far.id, f, Visibility::neighbourhood);
  this->post(far.id, f, Visibility::nearby);
  expected.insert(this->post(far.id, f, Visibility::region).id.value);
  this->post(across.id, a, Visibility::neighbourhood);
  expected.insert(this->post(across.id, a, Visibility::nearby).id.value);
  this->post(across.id, a, Visibility::region);
  for (Visibility v : {Visibility::neighbourhood, Visibility::nearby, Visibility::region})
    this->post(elsewhere.id, e, v);

  const auto ids = this->feed_ids({.neighbourhood_id = home.id, .limit = 100});
  EXPECT_EQ(std::set<std::int64_t>(ids.begin(), ids.end()), expected);
  EXPECT_EQ(ids.size(), expected.size());
  EXPECT_TRUE(std::is_sorted(ids.rbegin(), ids.rend())) << "newest first";

  // Authors come with the posts.
  for (const Post& p : must(this->store().feed({.neighbourhood_id = home.id, .limit = 100}))) {
    EXPECT_FALSE(p.author.display_name.empty());
  }
}

TYPED_TEST(Posts, FeedOfUnknownNeighbourhoodIsNotFound) {
  EXPECT_EQ(error_of(this->store().feed({.neighbourhood_id = NeighbourhoodId{404}})),
            ErrorCode::not_found);
}

TYPED_TEST(Posts, FeedFiltersByKindCategoryAndStatus) {
  const auto home = this->neighbourhood("Binnenstad", "Utrecht", kUtrecht);
  const auto near = this->neighbourhood("Oost", "Utrecht", kUtrechtEast);
  const UserId h = this->user("h").id;
  const UserId n = this->user("n").id;
  const auto ask_goods = this->post(home.id, h, Visibility::neighbourhood, PostKind::ask,
                                    Category::goods);
  const auto offer_care = this->post(near.id, n, Visibility::nearby, PostKind::offer,
                                     Category::care);
  const auto ask_care = this->post(home.id, h, Visibility::region, PostKind::ask,
                                   Category::care);
  must(this->store().set_post_status(ask_care.id, {PostStatus::open}, PostStatus::closed,
                                     this->at(300)));

  using Ids = std::vector<std::int64_t>;
  EXPECT_EQ(this->feed_ids({.neighbourhood_id = home.id, .kind = PostKind::ask}),
            (Ids{ask_care.id.value, ask_goods.id.value}));
  EXPECT_EQ(this->feed_ids({.neighbourhood_id = home.id, .kind = PostKind::offer}),
            (Ids{offer_care.id.value}));
  EXPECT_EQ(this->feed_ids({.neighbourhood_id = home.id, .category = Category::care}),
            (Ids{ask_care.id.value, offer_care.id.value}));
  EXPECT_EQ(this->feed_ids({.neighbourhood_id = home.id, .status = PostStatus::open}),
            (Ids{offer_care.id.value, ask_goods.id.value}));
  EXPECT_EQ(this->feed_ids({.neighbourhood_id = home.id, .kind = PostKind::ask,
                            .category = Category::care, .status = PostStatus::open}),
            Ids{});
  EXPECT_EQ(this->feed_ids({.neighbourhood_id = home.id, .limit = 0}), Ids{});
}

TYPED_TEST(Posts, StatusFilterSeesOpenPostsPastTheirExpiryAsExpired) {
  const auto home = this->neighbourhood("Binnenstad", "Utrecht", kUtrecht);
  const auto near = this->neighbourhood("Oost", "Utrecht", kUtrechtEast);
  const UserId h = this->user("h").id;
  const UserId n = this->user("n").id;
  NewPost lapsing = this->new_post(home.id, h, Visibility::neighbourhood);
  lapsing.expires_at = this->at(1000);
  const Post own = must(this->store().create_post(lapsing));
  NewPost lapsing_near = this->new_post(near.id, n, Visibility::nearby);
  lapsing_near.expires_at = this->at(1000);
  const Post nearby = must(this->store().create_post(lapsing_near));
  const Post lasting = this->post(home.id, h, Visibility::neighbourhood);

  using Ids = std::vector<std::int64_t>;
  const auto before_expiry = this->at(999);
  const auto at_expiry = this->at(1000);
  EXPECT_EQ(this->feed_ids({.neighbourhood_id = home.id, .status = PostStatus::open,
                            .now = before_expiry}),
            (Ids{lasting.id.value, nearby.id.value, own.id.value}));
  EXPECT_EQ(this->feed_ids({.neighbourhood_id = home.id, .status = PostStatus::expired,
                            .now = before_expiry}),
            Ids{});
  EXPECT_EQ(this->feed_ids({.neighbourhood_id = home.id, .status = PostStatus::open,
                            .now = at_expiry}),
            (Ids{lasting.id.value}));
  EXPECT_EQ(this->feed_ids({.neighbourhood_id = home.id, .status = PostStatus::expired,
                            .now = at_expiry}),
            (Ids{nearby.id.value, own.id.value}));
}

TYPED_TEST(Posts, FeedPagesWithoutDuplicatesOrGaps) {
  const auto home = this->neighbourhood("Binnenstad", "Utrecht", kUtrecht);
  const auto near = this->neighbourhood("Oost", "Utrecht", kUtrechtEast);
  const auto far = this->neighbourhood("Zuilen", "Utrecht", kMaarssen);
  const UserId h = this->user("h").id;
  const UserId n = this->user("n").id;
  const UserId f = this->user("f").id;
  std::vector<std::int64_t> expected;
  for (int i = 0; i < 12; ++i) {
    // Interleave the three branches of the feed and some posts it must skip.
    expected.push_back(this->post(home.id, h, Visibility::neighbourhood).id.value);
    expected.push_back(this->post(near.id, n, Visibility::nearby).id.value);
    this->post(near.id, n, Visibility::neighbourhood);
    expected.push_back(this->post(far.id, f, Visibility::region).id.value);
    if (i % 3 == 0) expected.push_back(this->post(home.id, h, Visibility::region).id.value);
  }
  std::ranges::sort(expected, std::greater<>());

  for (int page_size : {1, 5, 7, 40, 100}) {
    std::vector<std::int64_t> seen;
    std::optional<PostId> cursor;
    for (int pages = 0; pages < 100; ++pages) {
      const auto page = this->feed_ids(
          {.neighbourhood_id = home.id, .before = cursor, .limit = page_size});
      ASSERT_LE(page.size(), static_cast<std::size_t>(page_size));
      seen.insert(seen.end(), page.begin(), page.end());
      if (page.size() < static_cast<std::size_t>(page_size)) break;
      cursor = PostId{page.back()};
    }
    EXPECT_EQ(seen, expected) << "page size " << page_size;
  }
}

TYPED_TEST(Posts, UpdateChangesOnlyGivenFieldsInAllowedStatuses) {
  const User anna = this->user("anna");
  const auto wijk = this->neighbourhood("Lombok", "Utrecht", kUtrecht, anna.id);
  const Post original = this->post(wijk.id, anna.id);

  const Post retitled = must(this->store().update_post(
      original.id, PostPatch{.title = "Trap lenen", .updated_at = this->at(400)},
      {PostStatus::open, PostStatus::promised}));
  EXPECT_EQ(retitled.title, "Trap lenen");
  EXPECT_EQ(retitled.body, original.body);
  EXPECT_EQ(retitled.body_html, original.body_html);
  EXPECT_EQ(retitled.expires_at, std::nullopt);
  EXPECT_EQ(retitled.updated_at, this->at(400));
  EXPECT_EQ(retitled.created_at, original.created_at);

  const Post rewritten = must(this->store().update_post(
      original.id,
      PostPatch{.body = "Nieuw", .body_html = "<p>Nieuw</p>", .expires_at = this->at(9000),
                .updated_at = this->at(401)},
      {PostStatus::open}));
  EXPECT_EQ(rewritten.title, "Trap lenen");
  EXPECT_EQ(rewritten.body, "Nieuw");
  EXPECT_EQ(rewritten.body_html, "<p>Nieuw</p>");
  EXPECT_EQ(rewritten.expires_at, this->at(9000));
  EXPECT_EQ(must(this->store().get_post(original.id)).body, "Nieuw");

  EXPECT_EQ(error_of(this->store().update_post(
                original.id, PostPatch{.title = "Nee", .updated_at = this->at(402)},
                {PostStatus::promised})),
            ErrorCode::conflict);
  EXPECT_EQ(must(this->store().get_post(original.id)).title, "Trap lenen");
  EXPECT_EQ(error_of(this->store().update_post(
                PostId{404}, PostPatch{.title = "Nee", .updated_at = this->at(402)},
                {PostStatus::open})),
            ErrorCode::not_found);
}

TYPED_TEST(Posts, StatusChangesOnlyFromAllowedStatuses) {
  const User anna = this->user("anna");
  const auto wijk = this->neighbourhood("Lombok", "Utrecht", kUtrecht, anna.id);
  const Post p = this->post(wijk.id, anna.id);

  const Post closed = must(this->store().set_post_status(
      p.id, {PostStatus::open, PostStatus::promised}, PostStatus::closed, this->at(500)));
  EXPECT_EQ(closed.status, PostStatus::closed);
  EXPECT_EQ(closed.updated_at, this->at(500));

  EXPECT_EQ(error_of(this->store().set_post_status(p.id, {PostStatus::open},
                                                   PostStatus::expired, this->at(501))),
            ErrorCode::conflict);
  EXPECT_EQ(must(this->store().get_post(p.id)).status, PostStatus::closed);
  EXPECT_EQ(error_of(this->store().set_post_status(p.id, {}, PostStatus::open, this->at(501))),
            ErrorCode::conflict);
  EXPECT_EQ(error_of(this->store().set_post_status(PostId{404}, {PostStatus::open},
                                                   PostStatus::closed, this->at(501))),
            ErrorCode::not_found);
}

}  // namespace
}  // namespace noaber::testing
