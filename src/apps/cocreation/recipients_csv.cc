#include "apps/cocreation/recipients_csv.h"

#include <algorithm>
#include <unordered_set>

#include "core/text.h"

namespace cocity::apps::cocreation {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  lower_ascii(&out);
  return out;
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return std::string(s);
}

// Reads CSV records one at a time.
class CsvReader {
 public:
  CsvReader(std::string_view text, char delimiter)
      : text_(text), delimiter_(delimiter) {}

  bool done() const { return pos_ >= text_.size(); }
  size_t line() const { return line_; }

  // The next record; kBadRequestData for an unterminated quote.
  Result<std::vector<std::string>> next() {
    std::vector<std::string> fields(1);
    record_line_ = line_;
    while (pos_ < text_.size()) {
      char c = text_[pos_++];
      if (c == '"' && fields.back().empty() && !in_field_) {
        if (auto s = quoted(&fields.back()); !s) {
          return std::unexpected(s.error());
        }
        in_field_ = true;
      } else if (c == delimiter_) {
        fields.emplace_back();
        in_field_ = false;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
        ++line_;
        break;
      } else {
        fields.back().push_back(c);
        in_field_ = true;
      }
    }
    in_field_ = false;
    return fields;
  }
  size_t record_line() const { return record_line_; }

 private:
  Status quoted(std::string* out) {
    while (pos_ < text_.size()) {
      char c = text_[pos_++];
      if (c == '"') {
        if (pos_ < text_.size() && text_[pos_] == '"') {
          out->push_back('"');
          ++pos_;
          continue;
        }
        return ok();
      }
      if (c == '\n') ++line_;
      out->push_back(c);
    }
    return fail(Code::kBadRequestData, "line " + std::to_string(record_line_) +
                                           ": a quoted field is not closed");
  }

  std::string_view text_;
  char delimiter_;
  size_t pos_ = 0;
  size_t line_ = 1;
  size_t record_line_ = 1;
  bool in_field_ = false;
};

struct Columns {
  size_t email = std::string::npos;
  size_t name = std::string::npos;
  size_t municipality = std::string::npos;
};

Result<Columns> header_columns(const std::vector<std::string>& header) {
  Columns c;
  for (size_t i = 0; i < header.size(); ++i) {
    std::string h = lower(trim(header[i]));
    if (h == "email" || h == "e-mail") c.email = i;
    if (h == "name") c.name = i;
    if (h == "municipality" || h == "kommune") c.municipality = i;
  }
  if (c.email == std::string::npos) {
    return fail(Code::kBadRequestData,
                "line 1: the header row needs an \"email\" column");
  }
  return c;
}

std::string column(const std::vector<std::string>& row, size_t i) {
  return i < row.size() ? trim(row[i]) : std::string();
}

}  // namespace

bool plausible_email(std::string_view email) {
  if (email.empty() || email.size() > 254) return false;
  size_t at = email.find('@');
  if (at == 0 || at == std::string_view::npos ||
      email.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  std::string_view domain = email.substr(at + 1);
  size_t dot = domain.find('.');
  if (dot == 0 || dot == std::string_view::npos || domain.back() == '.') {
    return false;
  }
  return std::none_of(email.begin(), email.end(), [](char c) {
    return static_cast<unsigned char>(c) <= ' ' || c == ',' || c == ';' ||
           c == '<' || c == '>' || c == '"';
  });
}

Result<std::vector<Recipient>> parse_recipients_csv(std::string_view text) {
  if (text.size() > kMaxCsvBytes) {
    return fail(Code::kPayloadTooLarge,
                "the CSV has " + std::to_string(text.size()) +
                    " bytes; the limit is " + std::to_string(kMaxCsvBytes));
  }
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::string_view first_line = text.substr(0, text.find('\n'));
  char delimiter = std::count(first_line.begin(), first_line.end(), ';') >
                           std::count(first_line.begin(), first_line.end(), ',')
                       ? ';'
                       : ',';
  CsvReader reader(text, delimiter);
  if (reader.done()) return fail(Code::kBadRequestData, "the CSV is empty");
  auto header = reader.next();
  if (!header) return std::unexpected(header.error());
  auto cols = header_columns(*header);
  if (!cols) return std::unexpected(cols.error());
  std::vector<Recipient> out;
  std::unordered_set<std::string> seen;
  while (!reader.done()) {
    auto row = reader.next();
    if (!row) return std::unexpected(row.error());
    std::string line = "line " + std::to_string(reader.record_line());
    if (row->size() == 1 && trim((*row)[0]).empty()) continue;
    Recipient r{lower(column(*row, cols->email)), column(*row, cols->name),
                column(*row, cols->municipality)};
    if (!plausible_email(r.email)) {
      return fail(Code::kBadRequestData,
                  line + ": '" + r.email + "' is not an e-mail address");
    }
    if (!seen.insert(r.email).second) {
      return fail(Code::kBadRequestData,
                  line + ": '" + r.email + "' appears twice");
    }
    if (out.size() == kMaxRecipients) {
      return fail(Code::kPayloadTooLarge, "more than " +
                                              std::to_string(kMaxRecipients) +
                                              " recipients in one import");
    }
    out.push_back(std::move(r));
  }
  if (out.empty()) return fail(Code::kBadRequestData, "the CSV has no rows");
  return out;
}

}  // namespace cocity::apps::cocreation
