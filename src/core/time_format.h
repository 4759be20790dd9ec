#pragma once
// RFC 3339 timestamps, the only time format on the wire.

#include <optional>
#include <string>
#include <string_view>

#include "core/types.h"

namespace noaber {

// "2026-11-29T19:25:33Z" (UTC, whole seconds).
std::string format_rfc3339(TimePoint t);

// Accepts "YYYY-MM-DDTHH:MM:SS" with optional fraction and a "Z" or
// "+HH:MM"/"-HH:MM" offset ("t"/"z" and a space for "T" too); the fraction is
// dropped. nullopt for anything else or an impossible date.
std::optional<TimePoint> parse_rfc3339(std::string_view text);

}  // namespace noaber
