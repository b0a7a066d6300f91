// Bounds-checked reading of integers from a payload, for the decoders.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace cocity::ingest {

// Reads fixed-width integers; each read checks the remaining length first
// and returns false (consuming nothing) when too few bytes are left.
class ByteReader {
 public:
  explicit ByteReader(std::span<const uint8_t> bytes) : bytes_(bytes) {}

  size_t remaining() const { return bytes_.size() - pos_; }
  size_t position() const { return pos_; }
  bool done() const { return pos_ == bytes_.size(); }

  bool u8(uint32_t* v) { return read(1, false, v); }
  bool u16_be(uint32_t* v) { return read(2, false, v); }
  bool u16_le(uint32_t* v) { return read(2, true, v); }
  bool u24_be(uint32_t* v) { return read(3, false, v); }
  bool u32_le(uint32_t* v) { return read(4, true, v); }
  // Two's complement of `width` bytes, big- or little-endian.
  bool signed_int(size_t width, bool little_endian, int32_t* v) {
    uint32_t raw = 0;
    if (!read(width, little_endian, &raw)) return false;
    uint32_t sign = 1u << (width * 8 - 1);
    *v = static_cast<int32_t>(raw ^ sign) - static_cast<int32_t>(sign);
    return true;
  }
  bool skip(size_t n) {
    if (remaining() < n) return false;
    pos_ += n;
    return true;
  }

 private:
  bool read(size_t width, bool little_endian, uint32_t* v) {
    if (remaining() < width) return false;
    uint32_t r = 0;
    for (size_t i = 0; i < width; ++i) {
      uint32_t b = bytes_[pos_ + (little_endian ? width - 1 - i : i)];
      r = (r << 8) | b;
    }
    pos_ += width;
    *v = r;
    return true;
  }

  std::span<const uint8_t> bytes_;
  size_t pos_ = 0;
};

}  // namespace cocity::ingest
