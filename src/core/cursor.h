#pragma once
// Opaque keyset cursors for paged lists. Clients must treat them as opaque;
// inside is a version byte and the last id of the previous page, so a page
// is one index range scan however deep the reader pages.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace noaber {

std::string encode_cursor(std::int64_t last_id);

// nullopt for anything encode_cursor did not make (bad base64, wrong length
// or version, an id below 1).
std::optional<std::int64_t> decode_cursor(std::string_view cursor);

}  // namespace noaber
