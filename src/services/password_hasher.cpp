#include "services/password_hasher.h"

#include <array>
#include <stdexcept>

#include <sodium.h>

namespace noaber {

Argon2idHasher::Argon2idHasher(Cost cost) : cost_(cost) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

std::string Argon2idHasher::hash(std::string_view password) const {
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), cost_.ops,
                            cost_.memory_bytes, crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw std::runtime_error("argon2id hashing ran out of memory");
  return std::string(out.data());
}

bool Argon2idHasher::verify(std::string_view hash, std::string_view password) const {
  // libsodium wants a NUL-terminated hash string.
  const std::string stored(hash);
  return crypto_pwhash_str_verify(stored.c_str(), password.data(), password.size()) == 0;
}

}  // namespace noaber
