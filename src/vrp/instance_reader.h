// Reads a problem file of any supported format, chosen by extension:
// .txt Solomon, .vrp CVRPLIB, .json cocity JSON (see docs/vrp.md).
#pragma once

#include <string>

#include "core/error.h"
#include "vrp/problem.h"

namespace cocity::vrp {

// Files larger than 256 MiB are rejected (kPayloadTooLarge). Unreadable
// files give kNotFound. The problem is validated before it is returned.
Result<Problem> read_problem_file(const std::string& path);

}  // namespace cocity::vrp
