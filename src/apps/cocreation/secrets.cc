#include "apps/cocreation/secrets.h"

#include <argon2.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <array>
#include <cstdint>

namespace cocity::apps::cocreation {

namespace {

constexpr uint32_t kTimeCost = 2;
constexpr uint32_t kMemoryKib = 19456;
constexpr uint32_t kParallelism = 1;
constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;
constexpr size_t kMinPassword = 10;
constexpr size_t kMaxPassword = 256;

std::string to_hex(const unsigned char* bytes, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 15];
  }
  return out;
}

}  // namespace

Result<std::string> hash_password(std::string_view password) {
  if (password.size() < kMinPassword || password.size() > kMaxPassword) {
    return fail(Code::kBadRequestData,
                "password: must be 10 to 256 characters long");
  }
  std::array<unsigned char, kSaltBytes> salt{};
  if (RAND_bytes(salt.data(), salt.size()) != 1) {
    return fail(Code::kInternal, "random generator failed");
  }
  size_t len = argon2_encodedlen(kTimeCost, kMemoryKib, kParallelism,
                                 kSaltBytes, kHashBytes, Argon2_id);
  std::string encoded(len, '\0');
  int rc = argon2id_hash_encoded(kTimeCost, kMemoryKib, kParallelism,
                                 password.data(), password.size(), salt.data(),
                                 salt.size(), kHashBytes, encoded.data(), len);
  if (rc != ARGON2_OK) {
    return fail(Code::kInternal,
                std::string("argon2id failed: ") + argon2_error_message(rc));
  }
  encoded.resize(encoded.find('\0'));
  return encoded;
}

bool verify_password(std::string_view password, const std::string& encoded) {
  if (password.size() > kMaxPassword) return false;
  return argon2id_verify(encoded.c_str(), password.data(), password.size()) ==
         ARGON2_OK;
}

Result<std::string> random_token() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), bytes.size()) != 1) {
    return fail(Code::kInternal, "random generator failed");
  }
  return to_hex(bytes.data(), bytes.size());
}

std::string hash_token(std::string_view token) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(),
         digest.data());
  return to_hex(digest.data(), digest.size());
}

bool equal_secrets(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace cocity::apps::cocreation
