// The byte-level pieces of the store's binary encodings (history_codec.h,
// entity_codec.h): LEB128 varints, zigzag signed varints, little-endian
// doubles, length-prefixed bytes, and a bounds-checked reader.
#pragma once

#include <bit>
#include <cstdint>
#include <string>
#include <string_view>

namespace cocity::store {

inline void put_varint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

inline void put_zigzag(int64_t v, std::string* out) {
  put_varint((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63),
             out);
}

inline void put_double(double d, std::string* out) {
  auto bits = std::bit_cast<uint64_t>(d);
  for (int i = 0; i < 8; ++i)
    out->push_back(static_cast<char>(bits >> (8 * i)));
}

inline void put_bytes(std::string_view s, std::string* out) {
  put_varint(s.size(), out);
  out->append(s);
}

// Reads from a byte range; any overrun sets bad() and yields zeros, so that
// damaged bytes give an error, never a crash.
class ByteReader {
 public:
  explicit ByteReader(std::string_view data) : data_(data) {}
  bool done() const { return pos_ >= data_.size(); }
  bool bad() const { return bad_; }

  uint64_t varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= data_.size()) break;
      auto byte = static_cast<uint8_t>(data_[pos_++]);
      v |= uint64_t{byte & 0x7fu} << shift;
      if ((byte & 0x80) == 0) return v;
    }
    bad_ = true;
    return 0;
  }
  int64_t zigzag() {
    uint64_t v = varint();
    return static_cast<int64_t>((v >> 1) ^ (~(v & 1) + 1));
  }
  uint8_t byte() {
    if (pos_ >= data_.size()) {
      bad_ = true;
      return 0;
    }
    return static_cast<uint8_t>(data_[pos_++]);
  }
  double float64() {
    uint64_t bits = 0;
    for (int i = 0; i < 8; ++i) bits |= uint64_t{byte()} << (8 * i);
    return std::bit_cast<double>(bits);
  }
  std::string_view bytes(uint64_t n) {
    if (n > data_.size() - pos_) {
      bad_ = true;
      pos_ = data_.size();
      return {};
    }
    std::string_view s = data_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  // A length-prefixed byte string (put_bytes).
  std::string_view bytes() { return bytes(varint()); }

 private:
  std::string_view data_;
  size_t pos_ = 0;
  bool bad_ = false;
};

}  // namespace cocity::store
