#pragma once
// Small pieces the handlers share.

#include <cstdint>
#include <optional>

#include "http/json_io.h"
#include "http/router.h"

namespace noaber::http::handlers {

struct Paging {
  int limit = 20;
  std::optional<std::int64_t> before;  // from the opaque cursor
};

// limit (1..100, default 20) and cursor from the query; bad_request otherwise.
Result<Paging> parse_paging(const QueryParams& query);

}  // namespace noaber::http::handlers
