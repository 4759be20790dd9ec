#pragma once
// Random secrets (session tokens, invite codes) and their stored hashes.

#include <string>
#include <string_view>

namespace noaber {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual void fill(unsigned char* out, std::size_t size) = 0;
};

// libsodium's randombytes_buf: the operating system's CSPRNG.
class SystemRandom final : public RandomSource {
 public:
  SystemRandom();
  void fill(unsigned char* out, std::size_t size) override;
};

// 256 random bits as URL-safe base64 (43 characters).
std::string new_session_token(RandomSource& random);

// Ten characters from an alphabet without look-alikes (no 0/O, 1/I/L), easy
// to read out or type from a note through the letterbox.
std::string new_invite_code(RandomSource& random);

// Upper-cases an invite code and drops spaces and dashes people add.
std::string normalize_invite_code(std::string_view code);

// Hex BLAKE2b-256 of a secret: what the store keeps instead of the secret.
std::string hash_secret(std::string_view secret);

// The CSRF token of a session, derived from its token so nothing more has
// to be stored; without the session token it can't be computed.
std::string csrf_token_for(std::string_view session_token);

}  // namespace noaber
