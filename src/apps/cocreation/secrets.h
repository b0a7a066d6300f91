// Secrets of the co-creation app: password hashes (argon2id) and random
// tokens (sessions, invitations) of which only a SHA-256 hash is stored.
//
// All functions are thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace cocity::apps::cocreation {

// argon2id with t=2 passes, m=19 MiB, p=1 (the OWASP baseline), a random
// 16-byte salt, encoded as "$argon2id$v=19$m=19456,t=2,p=1$...".
// kBadRequestData when the password is shorter than 10 or longer than 256
// bytes; kInternal when hashing fails.
Result<std::string> hash_password(std::string_view password);

// Whether `password` matches `encoded`. False for a malformed encoding.
bool verify_password(std::string_view password, const std::string& encoded);

// 32 random bytes (OpenSSL RAND_bytes) as 64 lower-case hex characters.
Result<std::string> random_token();

// Lower-case hex SHA-256 of `token`: what is stored instead of the token.
std::string hash_token(std::string_view token);

// Constant-time comparison of two strings of equal length.
bool equal_secrets(std::string_view a, std::string_view b);

}  // namespace cocity::apps::cocreation
