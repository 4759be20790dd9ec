#include "http/json_io.h"

#include <vector>

#include <gtest/gtest.h>

namespace noaber::http {
namespace {

TEST(QueryParams, ReadsOnlyTheGivenBytes) {
  // No NUL after the query: Boost.URL 1.81 alone would strlen past the end
  // (AddressSanitizer reports it under `make sanitize`).
  const std::vector<char> bytes{'a', '=', '1', '&', 'b', '=', 'x', '+', 'y'};
  auto params = QueryParams::parse(std::string_view(bytes.data(), bytes.size()));
  ASSERT_TRUE(params.has_value());
  EXPECT_EQ(params->get("a"), "1");
  EXPECT_EQ(params->get("b"), "x y");
  EXPECT_FALSE(params->get("c").has_value());
}

}  // namespace
}  // namespace noaber::http
