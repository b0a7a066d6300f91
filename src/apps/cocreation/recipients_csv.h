// The CSV of survey recipients a moderator imports: one row per person.
//
// Format: RFC 4180 (quoted fields, "" escapes, CRLF or LF), UTF-8, an
// optional BOM; ',' or ';' as the delimiter, taken from the header row. The
// header names the columns: "email" (required), "name" and "municipality"
// (optional, any order, case-insensitive); other columns are ignored.
// Blank lines are skipped.
//
// Limits: kMaxCsvBytes (kPayloadTooLarge, 413) and kMaxRecipients rows
// (kPayloadTooLarge). Errors name the line: "line 17: 'x@' is not an
// e-mail address", duplicates included.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace cocity::apps::cocreation {

inline constexpr size_t kMaxCsvBytes = 4 * 1024 * 1024;
inline constexpr size_t kMaxRecipients = 50000;

struct Recipient {
  std::string email;  // lower-cased
  std::string name;
  std::string municipality;
};

Result<std::vector<Recipient>> parse_recipients_csv(std::string_view text);

// A plausible e-mail address: one '@', non-empty local part, a domain with a
// dot, no spaces or control characters, at most 254 characters.
bool plausible_email(std::string_view email);

}  // namespace cocity::apps::cocreation
