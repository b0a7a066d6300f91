// An e-mail as it goes over SMTP: an RFC 5322 message with one MIME text
// part (text/plain; charset=UTF-8), the body quoted-printable so that German
// umlauts and long links survive any 7-bit relay.
//
// Pure functions, no I/O; safe to call from any thread.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"
#include "core/time.h"

namespace cocity::mail {

// An address with an optional display name ("Stadt Musterstadt").
struct Mailbox {
  std::string name;     // UTF-8, may be empty
  std::string address;  // "local@domain", ASCII
};

// Parses "user@example.org" or "Display Name <user@example.org>" (the name
// may be in double quotes). kInvalidRequest when the address is not
// local@domain or holds spaces, control characters, '<', '>' or non-ASCII.
Result<Mailbox> parse_mailbox(std::string_view text);

// Checks a bare address the same way as parse_mailbox.
Status check_address(std::string_view address);

struct Message {
  Mailbox from;
  std::string to;          // bare address
  std::string subject;     // UTF-8; line breaks become spaces
  std::string body;        // UTF-8 text, "\n" or "\r\n" line ends
  TimePoint date;          // the Date header
  std::string message_id;  // "unique@domain", without angle brackets
};

// The message as sent in SMTP DATA: headers From, To, Subject, Date,
// Message-ID, MIME-Version, Content-Type, Content-Transfer-Encoding, a blank
// line and the quoted-printable body, every line ending in CRLF, none longer
// than 78 characters. No line starts with '.', so SMTP dot-stuffing never
// changes it. kBadRequestData naming the field when an address is invalid
// (no header injection is possible: names and subjects are encoded).
Result<std::string> render_message(const Message& message);

// RFC 2045 quoted-printable with CRLF hard line breaks and soft breaks
// ("=" CRLF) keeping lines at most 76 characters; a '.' starting a line is
// encoded as =2E.
std::string quoted_printable(std::string_view text);

// A header value: unchanged when it is printable ASCII, else RFC 2047
// encoded words (=?UTF-8?B?...?=) of at most 75 characters each, split at
// UTF-8 character boundaries and folded with CRLF SP.
std::string encode_header_text(std::string_view text);

// RFC 5322 date in UTC: "Wed, 25 Nov 2026 21:04:10 +0000".
std::string format_mail_date(TimePoint t);

}  // namespace cocity::mail
