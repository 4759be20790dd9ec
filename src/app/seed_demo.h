#pragma once

#include <ostream>

#include "app/app.h"

namespace noaber {

inline constexpr std::string_view kDemoPassword = "noaber-demo";

// Fills an empty database with a small, realistic Dutch community: one
// region (Zutphen) with three neighbourhoods, about thirty residents
// (managers among them), asks and offers in all five categories, some
// completed with thanks. Everything goes through the services, so the demo
// obeys the same rules as real use. Prints the demo logins. Returns false
// (and changes nothing) when the database already holds users.
bool seed_demo(App& app, std::ostream& out);

}  // namespace noaber
