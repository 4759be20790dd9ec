#include "services/tokens.h"

#include <array>
#include <stdexcept>

#include <sodium.h>

namespace noaber {
namespace {

std::string to_hex(const unsigned char* data, std::size_t size) {
  std::string out(size * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data, size);
  out.pop_back();
  return out;
}

std::string to_base64url(const unsigned char* data, std::size_t size) {
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_ENCODED_LEN(size, kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), data, size, kVariant);
  out.pop_back();
  return out;
}

// Domain separation: the same token hashed for storage and for CSRF must
// give unrelated values.
constexpr std::string_view kStorageKey = "noaber:stored-secret:v1:........";
constexpr std::string_view kCsrfKey = "noaber:csrf-token:v1:...........";
static_assert(kStorageKey.size() == crypto_generichash_KEYBYTES);
static_assert(kCsrfKey.size() == crypto_generichash_KEYBYTES);

std::array<unsigned char, 32> keyed_hash(std::string_view key, std::string_view data) {
  std::array<unsigned char, 32> out{};
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(data.data()),
                     data.size(), reinterpret_cast<const unsigned char*>(key.data()), key.size());
  return out;
}

}  // namespace

SystemRandom::SystemRandom() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

void SystemRandom::fill(unsigned char* out, std::size_t size) { randombytes_buf(out, size); }

std::string new_session_token(RandomSource& random) {
  std::array<unsigned char, 32> bytes{};
  random.fill(bytes.data(), bytes.size());
  return to_base64url(bytes.data(), bytes.size());
}

std::string new_invite_code(RandomSource& random) {
  constexpr std::string_view kAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";  // 31 symbols
  constexpr std::size_t kLength = 10;                                      // ~49 bits
  std::string code;
  while (code.size() < kLength) {
    unsigned char b = 0;
    random.fill(&b, 1);
    // Rejection sampling keeps every symbol equally likely.
    if (b < 248) code += kAlphabet[b % kAlphabet.size()];
  }
  return code;
}

std::string normalize_invite_code(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (c == ' ' || c == '-') continue;
    out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return out;
}

std::string hash_secret(std::string_view secret) {
  const auto h = keyed_hash(kStorageKey, secret);
  return to_hex(h.data(), h.size());
}

std::string csrf_token_for(std::string_view session_token) {
  const auto h = keyed_hash(kCsrfKey, session_token);
  return to_base64url(h.data(), h.size());
}

}  // namespace noaber
