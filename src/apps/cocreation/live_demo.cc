#include "apps/cocreation/live_demo.h"

#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <random>

#include "apps/cocreation/accounts.h"
#include "apps/cocreation/ideas.h"
#include "apps/cocreation/live_sessions.h"
#include "apps/cocreation/processes.h"
#include "apps/cocreation/secrets.h"
#include "apps/cocreation/survey.h"
#include "apps/cocreation/surveys.h"

namespace cocity::apps::cocreation {

namespace {

constexpr int kResponses = 320;
constexpr const char* kEmail = "moderation@demo.cocity.de";
constexpr const char* kLiveTitle = "Live-Abstimmung Bürgermeister-Dialog";

// Mean rating per idea (index in the catalogue): a few clear favourites,
// a tied middle field, a few clearly behind.
double idea_quality(size_t index) {
  static constexpr double kQuality[] = {4.1, 3.6, 3.4, 3.9, 2.7, 3.6, 4.3, 3.0,
                                        3.8, 2.9, 3.5, 3.4, 2.6, 4.0, 3.6, 2.8,
                                        3.1, 3.5, 3.7, 3.2, 4.4, 3.5};
  return kQuality[index % std::size(kQuality)];
}

template <typename T, size_t N>
std::string_view pick(std::mt19937& rng, const T (&values)[N],
                      const std::vector<double>& weights) {
  std::discrete_distribution<size_t> d(weights.begin(), weights.end());
  return values[d(rng) % N];
}

json::object one_response(std::mt19937& rng, const json::array& ideas) {
  // Weights roughly by number of municipalities per state and size class.
  std::vector<double> states = {11, 20, 1,  4, 1, 1, 4,  7,
                                9,  4,  23, 1, 4, 2, 11, 6};
  json::object attributes{
      {"state", pick(rng, kStates, states)},
      {"size_class", pick(rng, kSizeClasses, {40, 35, 18, 5, 2})},
      {"role", pick(rng, kRespondentRoles, {30, 15, 35, 12, 3, 5})}};
  std::normal_distribution<double> noise(0, 0.9);
  std::uniform_real_distribution<double> u(0, 1);
  json::object ratings;
  for (size_t i = 0; i < ideas.size(); ++i) {
    json::object by_criterion;
    double offset = 0;
    for (std::string_view c : kCriteria) {
      if (u(rng) < 0.04) {
        by_criterion[c] = "dont_know";
        continue;
      }
      double v = idea_quality(i) + offset + noise(rng);
      by_criterion[c] = std::clamp<int64_t>(std::lround(v), 1, 5);
      offset -= 0.15;  // cost and feasibility rate a little lower
    }
    ratings[ideas[i].at("id").as_string()] = std::move(by_criterion);
  }
  double readiness = 3.2 + noise(rng);
  json::object answers{
      {"ratings", std::move(ratings)},
      {"readiness", std::clamp<int64_t>(std::lround(readiness), 1, 5)}};
  return json::object{{"attributes", std::move(attributes)},
                      {"answers", std::move(answers)}};
}

json::object survey_body(const json::array& ideas) {
  json::array ids;
  for (const auto& idea : ideas) ids.push_back(idea.at("id"));
  return json::object{
      {"title", "Online-Befragung Frühjahr 2026 (Demo)"},
      {"anonymous", true},
      {"questions",
       json::array{
           json::object{
               {"id", "ratings"},
               {"type", "idea_rating"},
               {"text", "Wie bewerten Sie die Ideen für Ihre Kommune?"},
               {"ideas", std::move(ids)}},
           json::object{
               {"id", "readiness"},
               {"type", "likert"},
               {"text", "Unsere Kommune ist bereit für IoT-Pilotprojekte."}}}}};
}

Status seed_survey(store::CocreationStore* db, Ideas* ideas,
                   const Caller& caller, int64_t process_id,
                   const json::array& catalogue, int64_t* responses) {
  Surveys surveys(db, ideas, Clock::system());
  auto survey = surveys.create(caller, process_id, survey_body(catalogue));
  if (!survey) return std::unexpected(survey.error());
  int64_t id = survey->at("id").as_int64();
  std::mt19937 rng(20260301);
  std::vector<store::CcResponse> batch;
  TimePoint start = Clock::system()->now() - std::chrono::hours(24 * 30);
  for (int i = 0; i < kResponses; ++i) {
    json::object r = one_response(rng, catalogue);
    TimePoint day = start + std::chrono::hours(24 * (i % 28));
    batch.push_back({0, id, std::nullopt, to_json(r.at("attributes")),
                     to_json(r.at("answers")), day});
  }
  if (auto s = db->import_responses(batch); !s) return s;
  *responses = kResponses;
  auto closed = surveys.update(caller, id, json::object{{"status", "closed"}});
  if (!closed) return std::unexpected(closed.error());
  return ok();
}

Result<std::string> seed_live(const std::shared_ptr<store::CocreationStore>& db,
                              const IdeaCatalogue& catalogue,
                              const Caller& caller, int64_t process_id) {
  LiveSessions live(&catalogue, Clock::system());
  auto s = live.create(
      db, "", caller, process_id,
      json::object{
          {"title", kLiveTitle},
          {"ideas",
           json::array{"smart-street-lighting", "broadband-5g-planning",
                       "air-quality-network", "smart-parking"}},
          {"criterion", "benefit"}});
  if (!s) return std::unexpected(s.error());
  return std::string(s->at("code").as_string());
}

// A seeded directory: the login file and the newest active demo session.
Result<DemoLogin> existing(const std::shared_ptr<store::CocreationStore>& db,
                           const std::string& login_file) {
  DemoLogin out;
  out.email = kEmail;
  std::ifstream in(login_file);
  std::getline(in, out.password);
  auto sessions = db->list_live_sessions();
  if (!sessions) return std::unexpected(sessions.error());
  for (const auto& s : *sessions) {
    if (s.title == kLiveTitle && s.status == "active") out.live_code = s.code;
  }
  return out;
}

}  // namespace

Result<DemoLogin> seed_cocreation_demo(const std::string& data_dir,
                                       const std::string& catalogue_path) {
  auto catalogue = IdeaCatalogue::load(catalogue_path);
  if (!catalogue) return std::unexpected(catalogue.error());
  auto stores = store::open_sqlite_cocreation_stores(data_dir);
  if (!stores) return std::unexpected(stores.error());
  auto db = (*stores)->tenant("", true);
  if (!db) return std::unexpected(db.error());
  std::string login_file = data_dir + "/cocreation/demo-login.txt";
  auto n = (*db)->count_accounts();
  if (!n) return std::unexpected(n.error());
  if (*n > 0) return existing(*db, login_file);

  DemoLogin out;
  out.email = kEmail;
  auto token = random_token();
  if (!token) return std::unexpected(token.error());
  out.password = "demo-" + token->substr(0, 12);
  Accounts accounts(db->get(), Clock::system());
  auto admin =
      accounts.bootstrap_admin(json::object{{"email", kEmail},
                                            {"name", "Demo-Moderation"},
                                            {"password", out.password}});
  if (!admin) return std::unexpected(admin.error());
  {
    std::ofstream f(login_file, std::ios::trunc);
    f << out.password << "\n";
  }
  ::chmod(login_file.c_str(), 0600);
  Caller caller{admin->id, AccountRole::kAdmin, admin->email, admin->name, ""};
  auto process =
      Processes(db->get(), Clock::system())
          .create(caller,
                  json::object{{"title", "Bürgermeister-Dialog 2026 (Demo)"},
                               {"description",
                                "Welche Digitalisierungsideen packen "
                                "die Kommunen zuerst an?"},
                               {"status", "active"}});
  if (!process) return std::unexpected(process.error());
  int64_t pid = process->at("id").as_int64();
  Ideas ideas(db->get(), &*catalogue, Clock::system());
  if (auto s = seed_survey(db->get(), &ideas, caller, pid, catalogue->ideas(),
                           &out.responses);
      !s) {
    return std::unexpected(s.error());
  }
  auto code = seed_live(*db, *catalogue, caller, pid);
  if (!code) return std::unexpected(code.error());
  out.live_code = *code;
  return out;
}

}  // namespace cocity::apps::cocreation
