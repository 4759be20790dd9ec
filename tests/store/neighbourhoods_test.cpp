// Store contract: neighbourhoods, regions, nearby sets and search.

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "core/geo.h"
#include "store_contract.h"

namespace noaber::testing {
namespace {

template <typename Factory>
class Neighbourhoods : public StoreContract<Factory> {};
TYPED_TEST_SUITE(Neighbourhoods, StoreBackends, BackendName);

std::vector<std::string> names(const std::vector<Neighbourhood>& found) {
  std::vector<std::string> out;
  for (const auto& n : found) out.push_back(n.name);
  return out;
}

TYPED_TEST(Neighbourhoods, FounderBecomesVerifiedManager) {
  const User anna = this->user("anna");
  const Neighbourhood wijk = this->neighbourhood("Binnenstad", "Utrecht", kUtrecht, anna.id);
  EXPECT_GT(wijk.id.value, 0);
  EXPECT_EQ(wijk.name, "Binnenstad");
  EXPECT_EQ(wijk.region_name, "Utrecht");
  EXPECT_DOUBLE_EQ(wijk.lat, kUtrecht.lat);
  EXPECT_DOUBLE_EQ(wijk.lon, kUtrecht.lon);
  EXPECT_EQ(wijk.member_count, 1);
  EXPECT_EQ(wijk.created_at, this->at(10));

  const Membership founder = must(this->store().get_membership(wijk.id, anna.id));
  EXPECT_EQ(founder.role, Role::manager);
  EXPECT_EQ(founder.status, MemberStatus::verified);
  EXPECT_EQ(founder.member.display_name, "anna");
  EXPECT_EQ(founder.neighbourhood_name, "Binnenstad");

  const Neighbourhood read = must(this->store().get_neighbourhood(wijk.id));
  EXPECT_EQ(read.region_id, wijk.region_id);
  EXPECT_EQ(read.member_count, 1);
}

TYPED_TEST(Neighbourhoods, RegionIsCreatedOnceAndShared) {
  const auto a = this->neighbourhood("Binnenstad", "Utrecht", kUtrecht);
  const auto b = this->neighbourhood("Oost", "Utrecht", kUtrechtEast);
  const auto c = this->neighbourhood("Centrum", "Amsterdam", kAmsterdam);
  EXPECT_EQ(a.region_id, b.region_id);
  EXPECT_NE(a.region_id, c.region_id);
}

TYPED_TEST(Neighbourhoods, FounderWithAHomeElsewhereIsConflictAndNothingIsCreated) {
  const User anna = this->user("anna");
  this->neighbourhood("Binnenstad", "Utrecht", kUtrecht, anna.id);
  const auto second = this->store().create_neighbourhood(
      NewNeighbourhood{.name = "Oost", .region_name = "Nieuwegein", .lat = kUtrechtEast.lat,
                       .lon = kUtrechtEast.lon, .founder = anna.id, .created_at = this->at(11)},
      kNearbyKm);
  EXPECT_EQ(error_of(second), ErrorCode::conflict);
  EXPECT_TRUE(must(this->store().search_neighbourhoods({.name_contains = "Oost"})).empty());
  EXPECT_TRUE(must(this->store().search_neighbourhoods({.name_contains = "Nieuwegein"})).empty());
  EXPECT_EQ(must(this->store().memberships_of(anna.id)).size(), 1u);
}

TYPED_TEST(Neighbourhoods, FounderMustExist) {
  const auto created = this->store().create_neighbourhood(
      NewNeighbourhood{.name = "Oost", .region_name = "Utrecht", .lat = kUtrecht.lat,
                       .lon = kUtrecht.lon, .founder = UserId{999}, .created_at = this->at(1)},
      kNearbyKm);
  EXPECT_EQ(error_of(created), ErrorCode::not_found);
}

TYPED_TEST(Neighbourhoods, NearbySetIsSymmetricAndDistanceLimited) {
  const auto centre = this->neighbourhood("Binnenstad", "Utrecht", kUtrecht);
  const auto east = this->neighbourhood("Oost", "Utrecht", kUtrechtEast);
  const auto far = this->neighbourhood("Maarssen", "Stichtse Vecht", kMaarssen);
  // Created last, so its set is found from the others' side too.
  const auto north = this->neighbourhood("Noord", "Utrecht", kUtrechtNorth);
  ASSERT_NEAR(distance_km(kUtrecht.lat, kUtrecht.lon, kUtrechtEast.lat, kUtrechtEast.lon), 1.0,
              0.05);
  ASSERT_NEAR(distance_km(kUtrecht.lat, kUtrecht.lon, kMaarssen.lat, kMaarssen.lon), 10.0, 0.1);

  auto nearby = [&](const Neighbourhood& a, const Neighbourhood& b) {
    return must(this->store().are_nearby(a.id, b.id));
  };
  EXPECT_TRUE(nearby(centre, east));
  EXPECT_TRUE(nearby(east, centre));
  EXPECT_TRUE(nearby(centre, north));
  EXPECT_TRUE(nearby(north, centre));
  EXPECT_TRUE(nearby(east, north));  // about 1.4 km
  EXPECT_TRUE(nearby(north, east));
  EXPECT_FALSE(nearby(centre, far));
  EXPECT_FALSE(nearby(far, centre));
  EXPECT_FALSE(nearby(far, north));
  EXPECT_FALSE(nearby(centre, centre));
  EXPECT_FALSE(must(this->store().are_nearby(centre.id, NeighbourhoodId{9999})));
}

TYPED_TEST(Neighbourhoods, CornerOfTheSearchBoxIsNotNearby) {
  // 1.6 km north and 1.6 km east: inside a 2 km box, but 2.26 km away.
  const Place corner{kUtrecht.lat + 1.6 / 111.2, kUtrecht.lon + 1.6 / 68.4};
  ASSERT_GT(distance_km(kUtrecht.lat, kUtrecht.lon, corner.lat, corner.lon), kNearbyKm);
  const auto centre = this->neighbourhood("Binnenstad", "Utrecht", kUtrecht);
  const auto other = this->neighbourhood("Hoek", "Utrecht", corner);
  EXPECT_FALSE(must(this->store().are_nearby(centre.id, other.id)));
  EXPECT_FALSE(must(this->store().are_nearby(other.id, centre.id)));
}

TYPED_TEST(Neighbourhoods, EdgesOfTheCircleAreNearby) {
  // 1.95 km due north, south, east and west: just inside 2 km, at the very
  // edges of the search box.
  constexpr double kKm = 1.95;
  const double lat_step = kKm / 111.195;
  const double lon_step = kKm / (111.195 * std::cos(kUtrecht.lat * std::numbers::pi / 180));
  const auto centre = this->neighbourhood("Binnenstad", "Utrecht", kUtrecht);
  const std::vector<Place> edges{{kUtrecht.lat + lat_step, kUtrecht.lon},
                                 {kUtrecht.lat - lat_step, kUtrecht.lon},
                                 {kUtrecht.lat, kUtrecht.lon + lon_step},
                                 {kUtrecht.lat, kUtrecht.lon - lon_step}};
  int i = 0;
  for (const Place& edge : edges) {
    ASSERT_NEAR(distance_km(kUtrecht.lat, kUtrecht.lon, edge.lat, edge.lon), kKm, 0.01);
    const auto n = this->neighbourhood("Rand " + std::to_string(++i), "Utrecht", edge);
    EXPECT_TRUE(must(this->store().are_nearby(centre.id, n.id))) << "edge " << i;
  }
}

TYPED_TEST(Neighbourhoods, UnknownNeighbourhoodIsNotFound) {
  EXPECT_EQ(error_of(this->store().get_neighbourhood(NeighbourhoodId{77})), ErrorCode::not_found);
}

TYPED_TEST(Neighbourhoods, SearchByNameMatchesNameOrRegionIgnoringCase) {
  this->neighbourhood("Lombok", "Utrecht", kUtrecht);
  this->neighbourhood("Wittevrouwen", "Utrecht", kUtrechtEast);
  this->neighbourhood("De Pijp", "Amsterdam", kAmsterdam);

  EXPECT_EQ(names(must(this->store().search_neighbourhoods({.name_contains = "LOMB"}))),
            std::vector<std::string>{"Lombok"});
  // By region, ordered by name.
  EXPECT_EQ(names(must(this->store().search_neighbourhoods({.name_contains = "utrecht"}))),
            (std::vector<std::string>{"Lombok", "Wittevrouwen"}));
  EXPECT_EQ(names(must(this->store().search_neighbourhoods({.name_contains = "pij"}))),
            std::vector<std::string>{"De Pijp"});
  EXPECT_TRUE(must(this->store().search_neighbourhoods({.name_contains = "Rotterdam"})).empty());
  // Without a filter: everything, by name, up to the limit.
  EXPECT_EQ(names(must(this->store().search_neighbourhoods({.limit = 2}))),
            (std::vector<std::string>{"De Pijp", "Lombok"}));
  EXPECT_TRUE(must(this->store().search_neighbourhoods({.limit = 0})).empty());
}

TYPED_TEST(Neighbourhoods, SearchTakesLikeWildcardsLiterally) {
  this->neighbourhood("100% Buurt", "Utrecht", kUtrecht);
  this->neighbourhood("Buurt_Oost", "Utrecht", kUtrechtEast);
  this->neighbourhood("BuurtXOost", "Utrecht", kUtrechtNorth);
  this->neighbourhood("Back\\slash", "Amsterdam", kAmsterdam);

  EXPECT_EQ(names(must(this->store().search_neighbourhoods({.name_contains = "%"}))),
            std::vector<std::string>{"100% Buurt"});
  EXPECT_EQ(names(must(this->store().search_neighbourhoods({.name_contains = "_"}))),
            std::vector<std::string>{"Buurt_Oost"});
  EXPECT_EQ(names(must(this->store().search_neighbourhoods({.name_contains = "\\"}))),
            std::vector<std::string>{"Back\\slash"});
}

TYPED_TEST(Neighbourhoods, SearchNearIsNearestFirstWithinDistance) {
  this->neighbourhood("Maarssen", "Stichtse Vecht", kMaarssen);
  this->neighbourhood("Oost", "Utrecht", kUtrechtEast);
  this->neighbourhood("Centrum", "Amsterdam", kAmsterdam);
  this->neighbourhood("Binnenstad", "Utrecht", kUtrecht);

  const NeighbourhoodSearch::Near near_dom{kUtrecht.lat, kUtrecht.lon, 15};
  EXPECT_EQ(names(must(this->store().search_neighbourhoods({.near = near_dom}))),
            (std::vector<std::string>{"Binnenstad", "Oost", "Maarssen"}));
  EXPECT_EQ(names(must(this->store().search_neighbourhoods({.near = near_dom, .limit = 2}))),
            (std::vector<std::string>{"Binnenstad", "Oost"}));
  EXPECT_EQ(names(must(this->store().search_neighbourhoods(
                {.near = NeighbourhoodSearch::Near{kUtrecht.lat, kUtrecht.lon, 0.5}}))),
            std::vector<std::string>{"Binnenstad"});
  // Name and distance together.
  EXPECT_EQ(names(must(this->store().search_neighbourhoods(
                {.name_contains = "utrecht", .near = near_dom}))),
            (std::vector<std::string>{"Binnenstad", "Oost"}));
  EXPECT_EQ(names(must(this->store().search_neighbourhoods(
                {.near = NeighbourhoodSearch::Near{kUtrecht.lat, kUtrecht.lon, 100}}))),
            (std::vector<std::string>{"Binnenstad", "Oost", "Maarssen", "Centrum"}));
}

TYPED_TEST(Neighbourhoods, SearchResultsCarryMemberCounts) {
  const auto a = this->neighbourhood("Binnenstad", "Utrecht", kUtrecht);
  this->member(a.id, this->user("bert").id);
  this->member(a.id, this->user("cor").id, Role::resident, MemberStatus::pending);
  const auto found = must(this->store().search_neighbourhoods({.name_contains = "Binnen"}));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].member_count, 2);
}

}  // namespace
}  // namespace noaber::testing
