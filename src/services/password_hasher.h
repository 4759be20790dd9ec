#pragma once
// Password hashing with argon2id (libsodium). Deliberately slow: callers
// run it on the server's worker pool, never on an I/O thread.

#include <string>
#include <string_view>

namespace noaber {

class PasswordHasher {
 public:
  virtual ~PasswordHasher() = default;
  virtual std::string hash(std::string_view password) const = 0;
  virtual bool verify(std::string_view hash, std::string_view password) const = 0;
};

// argon2id with at least OWASP's minimum (19 MiB, 2 passes, 1 lane).
class Argon2idHasher final : public PasswordHasher {
 public:
  struct Cost {
    unsigned long long ops = 2;
    std::size_t memory_bytes = 19 * 1024 * 1024;
  };
  Argon2idHasher() : Argon2idHasher(Cost{}) {}
  explicit Argon2idHasher(Cost cost);
  std::string hash(std::string_view password) const override;
  bool verify(std::string_view hash, std::string_view password) const override;

 private:
  Cost cost_;
};

}  // namespace noaber
