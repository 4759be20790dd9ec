// Keyset cursors come back from clients, so decode_cursor sees anything.
// Properties: no crash or sanitizer report; a cursor that decodes is one
// encode_cursor made (encode(decode(x)) == x) and names an id above zero;
// and, reading the input's first 8 bytes as an id, decode(encode(id)) == id
// for every id above zero.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "core/cursor.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (const auto id = noaber::decode_cursor(input))
    if (*id < 1 || noaber::encode_cursor(*id) != input) std::abort();

  if (size >= sizeof(std::int64_t)) {
    std::int64_t id = 0;
    std::memcpy(&id, data, sizeof id);
    if (id >= 1 && noaber::decode_cursor(noaber::encode_cursor(id)) != id) std::abort();
  }
  return 0;
}
