#include "core/cursor.h"

#include <array>

#include <sodium.h>

namespace noaber {
namespace {
constexpr unsigned char kCursorVersion = 1;
constexpr std::size_t kPayloadSize = 9;  // version + 8 bytes of id
constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
}  // namespace

std::string encode_cursor(std::int64_t last_id) {
  std::array<unsigned char, kPayloadSize> payload{};
  payload[0] = kCursorVersion;
  auto id = static_cast<std::uint64_t>(last_id);
  for (int i = 8; i >= 1; --i) {
    payload[i] = static_cast<unsigned char>(id & 0xff);
    id >>= 8;
  }
  std::array<char, sodium_base64_ENCODED_LEN(kPayloadSize, kVariant)> text{};
  sodium_bin2base64(text.data(), text.size(), payload.data(), payload.size(), kVariant);
  return std::string(text.data());
}

std::optional<std::int64_t> decode_cursor(std::string_view cursor) {
  // 9 bytes encode to exactly 12 characters; reject anything else early.
  if (cursor.size() != sodium_base64_ENCODED_LEN(kPayloadSize, kVariant) - 1)
    return std::nullopt;
  // libsodium 1.0.18 reads every byte from 0x80 up as '_', so check the
  // alphabet ourselves: one id, one cursor (found by fuzz/fuzz_cursor).
  for (const char c : cursor)
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
          c == '-' || c == '_'))
      return std::nullopt;
  std::array<unsigned char, kPayloadSize> payload{};
  std::size_t decoded = 0;
  if (sodium_base642bin(payload.data(), payload.size(), cursor.data(), cursor.size(),
                        nullptr, &decoded, nullptr, kVariant) != 0 ||
      decoded != kPayloadSize || payload[0] != kCursorVersion)
    return std::nullopt;
  std::uint64_t id = 0;
  for (int i = 1; i <= 8; ++i) id = (id << 8) | payload[i];
  if (id < 1 || id > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
  return static_cast<std::int64_t>(id);
}

}  // namespace noaber
