// QR codes for live sessions' join links, as SVG (libqrencode).
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace cocity::apps::cocreation {

// An SVG image (black modules on white, a 4-module quiet zone, error
// correction level M) encoding `text` (at most 1,000 bytes).
// kBadRequestData when the text is too long; kInternal when encoding fails.
Result<std::string> qr_svg(std::string_view text);

}  // namespace cocity::apps::cocreation
