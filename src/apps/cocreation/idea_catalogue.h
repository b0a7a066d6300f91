// Ideas: the catalogue shipped in data/ideas/catalogue.json (22 ideas,
// German and English) and the checks every idea (shipped or a tenant's own)
// must pass.
//
// Idea JSON: {"id", "domain", "title": {"de","en"}, "description":
// {"de","en"}, "benefits": {"de": [..], "en": [..]}, "cost_eur": {"min",
// "max"}, "prerequisites": {"connectivity": [LoRaWAN|NB-IoT|LTE/5G|fibre],
// "power", "data"}, "kpis": [{"de","en"}]}. Texts need at least one of
// "de" and "en".
//
// An IdeaCatalogue is immutable after loading; share it between threads.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"
#include "core/json.h"

namespace cocity::apps::cocreation {

// Checks an idea. With `need_id` the "id" member must be a valid id (shipped
// ideas); without it an "id" member is an error (the server assigns ids to
// a tenant's ideas). kBadRequestData naming the member ("idea.cost_eur.min:
// ...") on error.
Status validate_idea(const json::value& idea, bool need_id);

class IdeaCatalogue {
 public:
  IdeaCatalogue() = default;

  // Parses and checks a catalogue document {"version": 1, "ideas": [...]}.
  static Result<IdeaCatalogue> parse(std::string_view text);
  // Reads and parses the file; kNotFound when it cannot be read.
  static Result<IdeaCatalogue> load(const std::string& path);

  const json::array& ideas() const { return ideas_; }
  // The idea with this id, or nullptr.
  const json::object* find(std::string_view id) const;

 private:
  json::array ideas_;
};

}  // namespace cocity::apps::cocreation
