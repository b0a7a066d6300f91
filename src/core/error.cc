#include "core/error.h"

namespace cocity {

std::string_view code_name(Code code) {
  switch (code) {
    case Code::kInvalidRequest:
      return "InvalidRequest";
    case Code::kBadRequestData:
      return "BadRequestData";
    case Code::kNotFound:
      return "ResourceNotFound";
    case Code::kAlreadyExists:
      return "AlreadyExists";
    case Code::kOperationNotSupported:
      return "OperationNotSupported";
    case Code::kTooComplexQuery:
      return "TooComplexQuery";
    case Code::kTooManyResults:
      return "TooManyResults";
    case Code::kLdContextNotAvailable:
      return "LdContextNotAvailable";
    case Code::kNonexistentTenant:
      return "NonexistentTenant";
    case Code::kUnauthorized:
      return "Unauthorized";
    case Code::kForbidden:
      return "Forbidden";
    case Code::kPayloadTooLarge:
      return "PayloadTooLarge";
    case Code::kConflict:
      return "Conflict";
    case Code::kUnavailable:
      return "Unavailable";
    case Code::kInternal:
      return "InternalError";
  }
  return "InternalError";
}

}  // namespace cocity
