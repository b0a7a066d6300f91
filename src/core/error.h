// The one error vocabulary of cocity.
//
// Every library reports failure as an Error inside a Result<T> (an alias of
// std::expected). Codes follow the NGSI-LD problem types where one exists,
// because the API is where most errors end; the HTTP status and the
// ProblemDetails body are derived from the code in exactly one place, the
// server's problem writer (src/server/problem.h).
//
// `detail` is written for the person who sent the request: it names the
// field or parameter and the rule it broke ("attribute 'speed': 'value' is
// missing"). It never contains secrets.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <utility>

namespace cocity {

enum class Code {
  kInvalidRequest,         // malformed request: bad JSON, bad parameter syntax
  kBadRequestData,         // well-formed but semantically wrong content
  kNotFound,               // NGSI-LD ResourceNotFound
  kAlreadyExists,          // NGSI-LD AlreadyExists
  kOperationNotSupported,  // valid request that cocity does not implement
  kTooComplexQuery,
  kTooManyResults,
  kLdContextNotAvailable,
  kNonexistentTenant,
  kUnauthorized,     // no or unknown credentials (401)
  kForbidden,        // credentials valid, permission missing (403)
  kPayloadTooLarge,  // a configured limit was exceeded (413)
  kConflict,         // state conflict other than AlreadyExists (409)
  kUnavailable,      // transient: store closed, shutting down (503)
  kInternal,         // a bug or an I/O failure (500)
};

struct Error {
  Code code = Code::kInternal;
  std::string detail;
  // Optional: the offending field or parameter, echoed to clients as
  // "title" where helpful. Empty when not applicable.
  std::string title;
};

template <typename T>
using Result = std::expected<T, Error>;

// Status is Result<void>: success or an Error.
using Status = std::expected<void, Error>;

inline std::unexpected<Error> fail(Code code, std::string detail) {
  return std::unexpected<Error>(Error{code, std::move(detail), {}});
}

inline Status ok() { return {}; }

// A short, stable name for logs and metrics ("InvalidRequest", ...).
std::string_view code_name(Code code);

}  // namespace cocity
