#include "apps/cocreation/live_qr.h"

#include <qrencode.h>

#include <memory>

namespace cocity::apps::cocreation {

namespace {

constexpr int kQuietZone = 4;

struct QrFree {
  void operator()(QRcode* code) const { QRcode_free(code); }
};

}  // namespace

Result<std::string> qr_svg(std::string_view text) {
  if (text.empty() || text.size() > 1000) {
    return fail(Code::kBadRequestData, "QR text must be 1..1000 bytes");
  }
  std::string data(text);
  std::unique_ptr<QRcode, QrFree> code(
      QRcode_encodeString8bit(data.c_str(), 0, QR_ECLEVEL_M));
  if (!code) return fail(Code::kInternal, "QR encoding failed");
  int width = code->width;
  int size = width + 2 * kQuietZone;
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
                    std::to_string(size) + " " + std::to_string(size) +
                    "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" "
                    "height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"";
  for (int y = 0; y < width; ++y) {
    for (int x = 0; x < width; ++x) {
      if ((code->data[y * width + x] & 1) == 0) continue;
      svg += "M" + std::to_string(x + kQuietZone) + " " +
             std::to_string(y + kQuietZone) + "h1v1h-1z";
    }
  }
  svg += "\"/></svg>\n";
  return svg;
}

}  // namespace cocity::apps::cocreation
