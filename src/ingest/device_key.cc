#include "ingest/device_key.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <array>

namespace cocity::ingest {

namespace {

std::string hex(const unsigned char* data, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kDigits[data[i] >> 4]);
    out.push_back(kDigits[data[i] & 15]);
  }
  return out;
}

}  // namespace

Result<std::string> make_device_key() {
  std::array<unsigned char, 32> secret{};
  if (RAND_bytes(secret.data(), secret.size()) != 1) {
    return fail(Code::kInternal, "the random generator failed");
  }
  return "cd_" + hex(secret.data(), secret.size());
}

std::string hash_device_key(std::string_view key) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(key.data()), key.size(),
         digest.data());
  return hex(digest.data(), digest.size());
}

bool device_key_matches(std::string_view key, std::string_view expected_hash) {
  std::string h = hash_device_key(key);
  return h.size() == expected_hash.size() &&
         CRYPTO_memcmp(h.data(), expected_hash.data(), h.size()) == 0;
}

}  // namespace cocity::ingest
