#include "store/sqlite/cocreation_sqlite.h"

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <functional>

#include "store/sqlite/sqlite_db.h"
#include "store/store.h"

namespace cocity::store::sqlite {

namespace {

constexpr int kSchemaVersion = 1;

constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS accounts(
  id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
  role TEXT NOT NULL, municipality TEXT NOT NULL, password_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS sessions(
  token_hash TEXT PRIMARY KEY, account_id INTEGER NOT NULL,
  expires_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS sessions_account ON sessions(account_id);
CREATE TABLE IF NOT EXISTS account_invitations(
  token_hash TEXT PRIMARY KEY, email TEXT NOT NULL, role TEXT NOT NULL,
  municipality TEXT NOT NULL, invited_by INTEGER NOT NULL,
  expires_at INTEGER NOT NULL, used_at INTEGER);
CREATE TABLE IF NOT EXISTS processes(
  id INTEGER PRIMARY KEY, title TEXT NOT NULL, description TEXT NOT NULL,
  status TEXT NOT NULL, phases TEXT NOT NULL, municipalities TEXT NOT NULL,
  created_by INTEGER NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS challenges(
  id INTEGER PRIMARY KEY, process_id INTEGER NOT NULL, title TEXT NOT NULL,
  description TEXT NOT NULL, municipality TEXT NOT NULL, status TEXT NOT NULL,
  cluster TEXT NOT NULL, priority INTEGER NOT NULL, author_id INTEGER,
  created_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS challenges_process ON challenges(process_id);
CREATE TABLE IF NOT EXISTS ideas(
  id INTEGER PRIMARY KEY, data TEXT NOT NULL, author_id INTEGER,
  created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS surveys(
  id INTEGER PRIMARY KEY, process_id INTEGER NOT NULL, title TEXT NOT NULL,
  status TEXT NOT NULL, anonymous INTEGER NOT NULL, questions TEXT NOT NULL,
  published TEXT NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS invitations(
  id INTEGER PRIMARY KEY, survey_id INTEGER NOT NULL, email TEXT NOT NULL,
  name TEXT NOT NULL, municipality TEXT NOT NULL, used_at INTEGER,
  UNIQUE(survey_id, email));
CREATE TABLE IF NOT EXISTS invitation_tokens(
  token_hash TEXT PRIMARY KEY, invitation_id INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS drafts(
  invitation_id INTEGER PRIMARY KEY, attributes TEXT NOT NULL,
  answers TEXT NOT NULL, updated_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS responses(
  id INTEGER PRIMARY KEY, survey_id INTEGER NOT NULL, invitation_id INTEGER,
  attributes TEXT NOT NULL, answers TEXT NOT NULL,
  submitted_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS responses_survey ON responses(survey_id);
CREATE TABLE IF NOT EXISTS comments(
  id INTEGER PRIMARY KEY, target TEXT NOT NULL, text TEXT NOT NULL,
  status TEXT NOT NULL, author_id INTEGER, created_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS comments_target ON comments(target);
CREATE TABLE IF NOT EXISTS contacts(
  id INTEGER PRIMARY KEY, municipality TEXT NOT NULL, name TEXT NOT NULL,
  region TEXT NOT NULL, contact TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS live_sessions(
  id INTEGER PRIMARY KEY, process_id INTEGER NOT NULL, code TEXT NOT NULL,
  title TEXT NOT NULL, status TEXT NOT NULL, items TEXT NOT NULL,
  state TEXT NOT NULL, created_by INTEGER NOT NULL,
  created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS live_participants(
  session_id INTEGER NOT NULL, id INTEGER NOT NULL,
  token_hash TEXT NOT NULL UNIQUE, joined_at INTEGER NOT NULL,
  PRIMARY KEY(session_id, id));
CREATE TABLE IF NOT EXISTS live_votes(
  session_id INTEGER NOT NULL, participant_id INTEGER NOT NULL,
  item TEXT NOT NULL, value TEXT NOT NULL, cast_at INTEGER NOT NULL,
  PRIMARY KEY(session_id, participant_id, item)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS outbox(
  id INTEGER PRIMARY KEY, recipient TEXT NOT NULL, subject TEXT NOT NULL,
  body TEXT NOT NULL, created_at INTEGER NOT NULL, sent_at INTEGER);
)sql";

std::optional<int64_t> opt_int(const Statement& s, int col) {
  if (s.column_is_null(col)) return std::nullopt;
  return s.column_int(col);
}

void bind_opt(Statement& s, int index, std::optional<int64_t> v) {
  if (v) {
    s.bind_int(index, *v);
  } else {
    s.bind_null(index);
  }
}

Status as_status(const Result<bool>& r) {
  if (!r) return std::unexpected(r.error());
  return ok();
}

std::string text(const Statement& s, int col) {
  return std::string(s.column_text(col));
}

CcAccount read_account(const Statement& s) {
  return CcAccount{s.column_int(0),
                   text(s, 1),
                   text(s, 2),
                   text(s, 3),
                   text(s, 4),
                   text(s, 5),
                   from_micros(s.column_int(6))};
}
constexpr std::string_view kAccountCols =
    "id,email,name,role,municipality,password_hash,created_at";

CcProcess read_process(const Statement& s) {
  return CcProcess{s.column_int(0), text(s, 1),
                   text(s, 2),      text(s, 3),
                   text(s, 4),      text(s, 5),
                   s.column_int(6), from_micros(s.column_int(7))};
}
constexpr std::string_view kProcessCols =
    "id,title,description,status,phases,municipalities,created_by,created_at";

CcChallenge read_challenge(const Statement& s) {
  return CcChallenge{s.column_int(0), s.column_int(1),
                     text(s, 2),      text(s, 3),
                     text(s, 4),      text(s, 5),
                     text(s, 6),      s.column_int(7),
                     opt_int(s, 8),   from_micros(s.column_int(9))};
}
constexpr std::string_view kChallengeCols =
    "id,process_id,title,description,municipality,status,cluster,priority,"
    "author_id,created_at";

CcSurvey read_survey(const Statement& s) {
  return CcSurvey{s.column_int(0),      s.column_int(1),
                  text(s, 2),           text(s, 3),
                  s.column_int(4) != 0, text(s, 5),
                  text(s, 6),           from_micros(s.column_int(7))};
}
constexpr std::string_view kSurveyCols =
    "id,process_id,title,status,anonymous,questions,published,created_at";

CcInvitation read_invitation(const Statement& s) {
  CcInvitation inv{s.column_int(0), s.column_int(1), text(s, 2),
                   text(s, 3),      text(s, 4),      std::nullopt};
  if (!s.column_is_null(5)) inv.used_at = from_micros(s.column_int(5));
  return inv;
}
constexpr std::string_view kInvitationCols =
    "id,survey_id,email,name,municipality,used_at";

CcComment read_comment(const Statement& s) {
  return CcComment{s.column_int(0), text(s, 1),
                   text(s, 2),      text(s, 3),
                   opt_int(s, 4),   from_micros(s.column_int(5))};
}
constexpr std::string_view kCommentCols =
    "id,target,text,status,author_id,created_at";

class SqliteCocreationStore final : public CocreationStore {
 public:
  explicit SqliteCocreationStore(Database db) : db_(std::move(db)) {}

  Result<int64_t> add_account(const CcAccount& a) override {
    return in_tx<int64_t>([&]() -> Result<int64_t> {
      auto found = find_account_locked(a.email);
      if (!found) return std::unexpected(found.error());
      if (*found) {
        return fail(Code::kAlreadyExists,
                    "an account with e-mail '" + a.email + "' exists");
      }
      return insert_account(a);
    });
  }

  Result<std::optional<CcAccount>> find_account(
      std::string_view email) override {
    std::lock_guard lock(mutex_);
    return find_account_locked(email);
  }

  Result<CcAccount> get_account(int64_t id) override {
    std::lock_guard lock(mutex_);
    auto rows = query<CcAccount>(
        "SELECT " + std::string(kAccountCols) + " FROM accounts WHERE id=?",
        [&](Statement& s) { s.bind_int(1, id); }, read_account);
    return one(std::move(rows), "account " + std::to_string(id));
  }

  Result<std::vector<CcAccount>> list_accounts() override {
    std::lock_guard lock(mutex_);
    return query<CcAccount>(
        "SELECT " + std::string(kAccountCols) + " FROM accounts ORDER BY id",
        {}, read_account);
  }

  Result<int64_t> count_accounts() override {
    std::lock_guard lock(mutex_);
    auto rows =
        query<int64_t>("SELECT count(*) FROM accounts", {},
                       [](const Statement& s) { return s.column_int(0); });
    if (!rows) return std::unexpected(rows.error());
    return rows->front();
  }

  Status delete_account(int64_t id) override {
    return as_status(in_tx<bool>([&]() -> Result<bool> {
      for (const char* sql :
           {"UPDATE challenges SET author_id=NULL WHERE author_id=?",
            "UPDATE ideas SET author_id=NULL WHERE author_id=?",
            "UPDATE comments SET author_id=NULL WHERE author_id=?",
            "DELETE FROM sessions WHERE account_id=?"}) {
        if (auto s = exec(sql, [&](Statement& st) { st.bind_int(1, id); });
            !s) {
          return std::unexpected(s.error());
        }
      }
      auto n = exec_changes("DELETE FROM accounts WHERE id=?",
                            [&](Statement& st) { st.bind_int(1, id); });
      if (!n) return std::unexpected(n.error());
      if (*n == 0) {
        return fail(Code::kNotFound,
                    "account " + std::to_string(id) + " not found");
      }
      return true;
    }));
  }

  Status add_session(const CcSession& session) override {
    std::lock_guard lock(mutex_);
    return exec(
        "INSERT INTO sessions(token_hash,account_id,expires_at) VALUES(?,?,?)",
        [&](Statement& s) {
          s.bind_text(1, session.token_hash);
          s.bind_int(2, session.account_id);
          s.bind_int(3, to_micros(session.expires_at));
        });
  }

  Result<std::optional<CcSession>> find_session(
      std::string_view token_hash) override {
    std::lock_guard lock(mutex_);
    auto rows = query<CcSession>(
        "SELECT token_hash,account_id,expires_at FROM sessions WHERE "
        "token_hash=?",
        [&](Statement& s) { s.bind_text(1, token_hash); },
        [](const Statement& s) {
          return CcSession{text(s, 0), s.column_int(1),
                           from_micros(s.column_int(2))};
        });
    return first(std::move(rows));
  }

  Status delete_session(std::string_view token_hash) override {
    std::lock_guard lock(mutex_);
    return exec("DELETE FROM sessions WHERE token_hash=?",
                [&](Statement& s) { s.bind_text(1, token_hash); });
  }

  Status add_account_invitation(const CcAccountInvitation& inv) override {
    std::lock_guard lock(mutex_);
    return exec(
        "INSERT INTO account_invitations(token_hash,email,role,municipality,"
        "invited_by,expires_at) VALUES(?,?,?,?,?,?)",
        [&](Statement& s) {
          s.bind_text(1, inv.token_hash);
          s.bind_text(2, inv.email);
          s.bind_text(3, inv.role);
          s.bind_text(4, inv.municipality);
          s.bind_int(5, inv.invited_by);
          s.bind_int(6, to_micros(inv.expires_at));
        });
  }

  Result<CcAccount> accept_account_invitation(std::string_view token_hash,
                                              CcAccount account,
                                              TimePoint now) override {
    return in_tx<CcAccount>([&]() -> Result<CcAccount> {
      auto rows = query<CcAccountInvitation>(
          "SELECT token_hash,email,role,municipality,invited_by,expires_at "
          "FROM account_invitations WHERE token_hash=? AND used_at IS NULL",
          [&](Statement& s) { s.bind_text(1, token_hash); },
          [](const Statement& s) {
            return CcAccountInvitation{
                text(s, 0), text(s, 1),      text(s, 2),
                text(s, 3), s.column_int(4), from_micros(s.column_int(5))};
          });
      if (!rows) return std::unexpected(rows.error());
      if (rows->empty() || rows->front().expires_at < now) {
        return fail(Code::kNotFound,
                    "the invitation is unknown, used or expired");
      }
      const auto& inv = rows->front();
      account.email = inv.email;
      account.role = inv.role;
      account.municipality = inv.municipality;
      auto found = find_account_locked(account.email);
      if (!found) return std::unexpected(found.error());
      if (*found) {
        return fail(Code::kAlreadyExists,
                    "an account with e-mail '" + account.email + "' exists");
      }
      auto id = insert_account(account);
      if (!id) return std::unexpected(id.error());
      account.id = *id;
      if (auto s = exec(
              "UPDATE account_invitations SET used_at=? WHERE token_hash=?",
              [&](Statement& st) {
                st.bind_int(1, to_micros(now));
                st.bind_text(2, token_hash);
              });
          !s) {
        return std::unexpected(s.error());
      }
      return account;
    });
  }

  Result<int64_t> add_process(const CcProcess& p) override {
    std::lock_guard lock(mutex_);
    return insert(
        "INSERT INTO processes(title,description,status,phases,municipalities,"
        "created_by,created_at) VALUES(?,?,?,?,?,?,?)",
        [&](Statement& s) {
          s.bind_text(1, p.title);
          s.bind_text(2, p.description);
          s.bind_text(3, p.status);
          s.bind_text(4, p.phases_json);
          s.bind_text(5, p.municipalities_json);
          s.bind_int(6, p.created_by);
          s.bind_int(7, to_micros(p.created_at));
        });
  }

  Result<CcProcess> get_process(int64_t id) override {
    std::lock_guard lock(mutex_);
    return one(query<CcProcess>(
                   "SELECT " + std::string(kProcessCols) +
                       " FROM processes WHERE id=?",
                   [&](Statement& s) { s.bind_int(1, id); }, read_process),
               "process " + std::to_string(id));
  }

  Result<std::vector<CcProcess>> list_processes() override {
    std::lock_guard lock(mutex_);
    return query<CcProcess>(
        "SELECT " + std::string(kProcessCols) + " FROM processes ORDER BY id",
        {}, read_process);
  }

  Status update_process(const CcProcess& p) override {
    std::lock_guard lock(mutex_);
    return update_one(
        "UPDATE processes SET title=?,description=?,status=?,phases=?,"
        "municipalities=? WHERE id=?",
        [&](Statement& s) {
          s.bind_text(1, p.title);
          s.bind_text(2, p.description);
          s.bind_text(3, p.status);
          s.bind_text(4, p.phases_json);
          s.bind_text(5, p.municipalities_json);
          s.bind_int(6, p.id);
        },
        "process " + std::to_string(p.id));
  }

  Result<int64_t> add_challenge(const CcChallenge& c) override {
    std::lock_guard lock(mutex_);
    return insert(
        "INSERT INTO challenges(process_id,title,description,municipality,"
        "status,cluster,priority,author_id,created_at) "
        "VALUES(?,?,?,?,?,?,?,?,?)",
        [&](Statement& s) {
          s.bind_int(1, c.process_id);
          s.bind_text(2, c.title);
          s.bind_text(3, c.description);
          s.bind_text(4, c.municipality);
          s.bind_text(5, c.status);
          s.bind_text(6, c.cluster);
          s.bind_int(7, c.priority);
          bind_opt(s, 8, c.author_id);
          s.bind_int(9, to_micros(c.created_at));
        });
  }

  Result<CcChallenge> get_challenge(int64_t id) override {
    std::lock_guard lock(mutex_);
    return one(query<CcChallenge>(
                   "SELECT " + std::string(kChallengeCols) +
                       " FROM challenges WHERE id=?",
                   [&](Statement& s) { s.bind_int(1, id); }, read_challenge),
               "challenge " + std::to_string(id));
  }

  Result<std::vector<CcChallenge>> list_challenges(
      int64_t process_id) override {
    std::lock_guard lock(mutex_);
    return query<CcChallenge>(
        "SELECT " + std::string(kChallengeCols) +
            " FROM challenges WHERE process_id=? ORDER BY id",
        [&](Statement& s) { s.bind_int(1, process_id); }, read_challenge);
  }

  Status update_challenge(const CcChallenge& c) override {
    std::lock_guard lock(mutex_);
    return update_one(
        "UPDATE challenges SET title=?,description=?,municipality=?,status=?,"
        "cluster=?,priority=? WHERE id=?",
        [&](Statement& s) {
          s.bind_text(1, c.title);
          s.bind_text(2, c.description);
          s.bind_text(3, c.municipality);
          s.bind_text(4, c.status);
          s.bind_text(5, c.cluster);
          s.bind_int(6, c.priority);
          s.bind_int(7, c.id);
        },
        "challenge " + std::to_string(c.id));
  }

  Result<int64_t> add_idea(const CcIdea& idea) override {
    std::lock_guard lock(mutex_);
    return insert("INSERT INTO ideas(data,author_id,created_at) VALUES(?,?,?)",
                  [&](Statement& s) {
                    s.bind_text(1, idea.data_json);
                    bind_opt(s, 2, idea.author_id);
                    s.bind_int(3, to_micros(idea.created_at));
                  });
  }

  Result<std::vector<CcIdea>> list_ideas() override {
    std::lock_guard lock(mutex_);
    return query<CcIdea>(
        "SELECT id,data,author_id,created_at FROM ideas ORDER BY id", {},
        [](const Statement& s) {
          return CcIdea{s.column_int(0), text(s, 1), opt_int(s, 2),
                        from_micros(s.column_int(3))};
        });
  }

  Result<int64_t> add_survey(const CcSurvey& v) override {
    std::lock_guard lock(mutex_);
    return insert(
        "INSERT INTO surveys(process_id,title,status,anonymous,questions,"
        "published,created_at) VALUES(?,?,?,?,?,?,?)",
        [&](Statement& s) {
          s.bind_int(1, v.process_id);
          s.bind_text(2, v.title);
          s.bind_text(3, v.status);
          s.bind_int(4, v.anonymous ? 1 : 0);
          s.bind_text(5, v.questions_json);
          s.bind_text(6, v.published_json);
          s.bind_int(7, to_micros(v.created_at));
        });
  }

  Result<CcSurvey> get_survey(int64_t id) override {
    std::lock_guard lock(mutex_);
    return one(
        query<CcSurvey>(
            "SELECT " + std::string(kSurveyCols) + " FROM surveys WHERE id=?",
            [&](Statement& s) { s.bind_int(1, id); }, read_survey),
        "survey " + std::to_string(id));
  }

  Result<std::vector<CcSurvey>> list_surveys(int64_t process_id) override {
    std::lock_guard lock(mutex_);
    return query<CcSurvey>(
        "SELECT " + std::string(kSurveyCols) +
            " FROM surveys WHERE process_id=? ORDER BY id",
        [&](Statement& s) { s.bind_int(1, process_id); }, read_survey);
  }

  Status update_survey(const CcSurvey& v) override {
    std::lock_guard lock(mutex_);
    return update_one(
        "UPDATE surveys SET title=?,status=?,anonymous=?,questions=?,"
        "published=? WHERE id=?",
        [&](Statement& s) {
          s.bind_text(1, v.title);
          s.bind_text(2, v.status);
          s.bind_int(3, v.anonymous ? 1 : 0);
          s.bind_text(4, v.questions_json);
          s.bind_text(5, v.published_json);
          s.bind_int(6, v.id);
        },
        "survey " + std::to_string(v.id));
  }

  Status add_invitations(std::vector<CcNewInvitation> batch) override {
    return as_status(in_tx<bool>([&]() -> Result<bool> {
      auto ins = db_.prepare(
          "INSERT OR IGNORE INTO invitations(survey_id,email,name,"
          "municipality) VALUES(?,?,?,?)");
      auto tok = db_.prepare(
          "INSERT INTO invitation_tokens(token_hash,invitation_id) "
          "VALUES(?,?)");
      if (!ins || !tok) return fail(Code::kInternal, db_.error_message());
      for (auto& item : batch) {
        const auto& inv = item.invitation;
        ins->bind_int(1, inv.survey_id);
        ins->bind_text(2, inv.email);
        ins->bind_text(3, inv.name);
        ins->bind_text(4, inv.municipality);
        if (auto s = ins->run(); !s) return std::unexpected(s.error());
        if (sqlite3_changes(db_.handle()) == 0) {
          return fail(Code::kAlreadyExists,
                      "'" + inv.email + "' is already invited to this survey");
        }
        int64_t id = db_.last_insert_rowid();
        tok->bind_text(1, item.token_hash);
        tok->bind_int(2, id);
        if (auto s = tok->run(); !s) return std::unexpected(s.error());
        if (auto s = insert_mail(item.mail); !s) {
          return std::unexpected(s.error());
        }
      }
      return true;
    }));
  }

  Result<std::optional<CcInvitation>> find_invitation(
      std::string_view token_hash) override {
    std::lock_guard lock(mutex_);
    return first(query<CcInvitation>(
        "SELECT i.id,i.survey_id,i.email,i.name,i.municipality,i.used_at FROM "
        "invitation_tokens t JOIN invitations i ON i.id=t.invitation_id "
        "WHERE t.token_hash=?",
        [&](Statement& s) { s.bind_text(1, token_hash); }, read_invitation));
  }

  Result<std::vector<CcInvitation>> list_invitations(
      int64_t survey_id) override {
    std::lock_guard lock(mutex_);
    return query<CcInvitation>(
        "SELECT " + std::string(kInvitationCols) +
            " FROM invitations WHERE survey_id=? ORDER BY id",
        [&](Statement& s) { s.bind_int(1, survey_id); }, read_invitation);
  }

  Status add_reminder(int64_t invitation_id, std::string_view token_hash,
                      const CcMail& mail) override {
    return as_status(in_tx<bool>([&]() -> Result<bool> {
      if (auto s =
              exec("INSERT INTO invitation_tokens(token_hash,invitation_id) "
                   "VALUES(?,?)",
                   [&](Statement& st) {
                     st.bind_text(1, token_hash);
                     st.bind_int(2, invitation_id);
                   });
          !s) {
        return std::unexpected(s.error());
      }
      if (auto s = insert_mail(mail); !s) {
        return std::unexpected(s.error());
      }
      return true;
    }));
  }

  Status save_draft(int64_t invitation_id, const CcDraft& d) override {
    std::lock_guard lock(mutex_);
    return exec(
        "INSERT OR REPLACE INTO drafts(invitation_id,attributes,answers,"
        "updated_at) VALUES(?,?,?,?)",
        [&](Statement& s) {
          s.bind_int(1, invitation_id);
          s.bind_text(2, d.attributes_json);
          s.bind_text(3, d.answers_json);
          s.bind_int(4, to_micros(d.updated_at));
        });
  }

  Result<std::optional<CcDraft>> get_draft(int64_t invitation_id) override {
    std::lock_guard lock(mutex_);
    return first(query<CcDraft>(
        "SELECT attributes,answers,updated_at FROM drafts WHERE "
        "invitation_id=?",
        [&](Statement& s) { s.bind_int(1, invitation_id); },
        [](const Statement& s) {
          return CcDraft{text(s, 0), text(s, 1), from_micros(s.column_int(2))};
        }));
  }

  Result<int64_t> submit_response(const CcResponse& r, int64_t invitation_id,
                                  bool anonymous, TimePoint now) override {
    return in_tx<int64_t>([&]() -> Result<int64_t> {
      auto n = exec_changes(
          "UPDATE invitations SET used_at=? WHERE id=? AND used_at IS NULL",
          [&](Statement& s) {
            s.bind_int(1, to_micros(now));
            s.bind_int(2, invitation_id);
          });
      if (!n) return std::unexpected(n.error());
      if (*n == 0) {
        return fail(Code::kConflict,
                    "this invitation was used already: one response per "
                    "invitation");
      }
      if (auto s = exec("DELETE FROM drafts WHERE invitation_id=?",
                        [&](Statement& st) { st.bind_int(1, invitation_id); });
          !s) {
        return std::unexpected(s.error());
      }
      return insert(
          "INSERT INTO responses(survey_id,invitation_id,attributes,answers,"
          "submitted_at) VALUES(?,?,?,?,?)",
          [&](Statement& s) {
            s.bind_int(1, r.survey_id);
            bind_opt(s, 2,
                     anonymous ? std::nullopt
                               : std::optional<int64_t>(invitation_id));
            s.bind_text(3, r.attributes_json);
            s.bind_text(4, r.answers_json);
            // Anonymous: the submission time is rounded to the day so that
            // it cannot be matched against the invitation's used_at.
            int64_t t = to_micros(r.submitted_at);
            if (anonymous) t -= t % (int64_t{86400} * 1000000);
            s.bind_int(5, t);
          });
    });
  }

  Result<std::vector<CcResponse>> list_responses(int64_t survey_id) override {
    std::lock_guard lock(mutex_);
    return query<CcResponse>(
        "SELECT id,survey_id,invitation_id,attributes,answers,submitted_at "
        "FROM responses WHERE survey_id=? ORDER BY id",
        [&](Statement& s) { s.bind_int(1, survey_id); },
        [](const Statement& s) {
          return CcResponse{s.column_int(0), s.column_int(1),
                            opt_int(s, 2),   text(s, 3),
                            text(s, 4),      from_micros(s.column_int(5))};
        });
  }

  Result<int64_t> add_comment(const CcComment& c) override {
    std::lock_guard lock(mutex_);
    return insert(
        "INSERT INTO comments(target,text,status,author_id,created_at) "
        "VALUES(?,?,?,?,?)",
        [&](Statement& s) {
          s.bind_text(1, c.target);
          s.bind_text(2, c.text);
          s.bind_text(3, c.status);
          bind_opt(s, 4, c.author_id);
          s.bind_int(5, to_micros(c.created_at));
        });
  }

  Result<CcComment> get_comment(int64_t id) override {
    std::lock_guard lock(mutex_);
    return one(
        query<CcComment>(
            "SELECT " + std::string(kCommentCols) + " FROM comments WHERE id=?",
            [&](Statement& s) { s.bind_int(1, id); }, read_comment),
        "comment " + std::to_string(id));
  }

  Result<std::vector<CcComment>> list_comments(
      std::string_view target) override {
    std::lock_guard lock(mutex_);
    return query<CcComment>(
        "SELECT " + std::string(kCommentCols) +
            " FROM comments WHERE target=? ORDER BY id",
        [&](Statement& s) { s.bind_text(1, target); }, read_comment);
  }

  Result<std::vector<CcComment>> list_comments_by(int64_t author_id) override {
    std::lock_guard lock(mutex_);
    return query<CcComment>(
        "SELECT " + std::string(kCommentCols) +
            " FROM comments WHERE author_id=? ORDER BY id",
        [&](Statement& s) { s.bind_int(1, author_id); }, read_comment);
  }

  Status set_comment_status(int64_t id, std::string_view status) override {
    std::lock_guard lock(mutex_);
    return update_one(
        "UPDATE comments SET status=? WHERE id=?",
        [&](Statement& s) {
          s.bind_text(1, status);
          s.bind_int(2, id);
        },
        "comment " + std::to_string(id));
  }

  Result<int64_t> add_contact(const CcContact& c) override {
    std::lock_guard lock(mutex_);
    return insert(
        "INSERT INTO contacts(municipality,name,region,contact) "
        "VALUES(?,?,?,?)",
        [&](Statement& s) {
          s.bind_text(1, c.municipality);
          s.bind_text(2, c.name);
          s.bind_text(3, c.region);
          s.bind_text(4, c.contact);
        });
  }

  Result<std::vector<CcContact>> list_contacts() override {
    std::lock_guard lock(mutex_);
    return query<CcContact>(
        "SELECT id,municipality,name,region,contact FROM contacts "
        "ORDER BY municipality,id",
        {}, [](const Statement& s) {
          return CcContact{s.column_int(0), text(s, 1), text(s, 2), text(s, 3),
                           text(s, 4)};
        });
  }

  Status add_mail(const CcMail& mail) override {
    std::lock_guard lock(mutex_);
    return insert_mail(mail);
  }

  Result<std::vector<CcMail>> list_outbox(size_t limit) override {
    std::lock_guard lock(mutex_);
    return query<CcMail>(
        "SELECT id,recipient,subject,body,created_at,sent_at FROM outbox "
        "ORDER BY sent_at IS NOT NULL, id LIMIT ?",
        [&](Statement& s) { s.bind_int(1, static_cast<int64_t>(limit)); },
        [](const Statement& s) {
          CcMail m{s.column_int(0),
                   text(s, 1),
                   text(s, 2),
                   text(s, 3),
                   from_micros(s.column_int(4)),
                   std::nullopt};
          if (!s.column_is_null(5)) m.sent_at = from_micros(s.column_int(5));
          return m;
        });
  }

  Status mark_sent(int64_t mail_id, TimePoint now) override {
    std::lock_guard lock(mutex_);
    return update_one(
        "UPDATE outbox SET sent_at=? WHERE id=?",
        [&](Statement& s) {
          s.bind_int(1, to_micros(now));
          s.bind_int(2, mail_id);
        },
        "mail " + std::to_string(mail_id));
  }

  Status import_responses(const std::vector<CcResponse>& responses) override {
    return as_status(in_tx<bool>([&]() -> Result<bool> {
      for (const CcResponse& r : responses) {
        if (auto s =
                exec("INSERT INTO responses(survey_id,invitation_id,attributes,"
                     "answers,submitted_at) VALUES(?,NULL,?,?,?)",
                     [&](Statement& st) {
                       st.bind_int(1, r.survey_id);
                       st.bind_text(2, r.attributes_json);
                       st.bind_text(3, r.answers_json);
                       st.bind_int(4, to_micros(r.submitted_at));
                     });
            !s) {
          return std::unexpected(s.error());
        }
      }
      return true;
    }));
  }

  Result<int64_t> add_live_session(const CcLiveSession& v) override {
    std::lock_guard lock(mutex_);
    return insert(
        "INSERT INTO live_sessions(process_id,code,title,status,items,state,"
        "created_by,created_at) VALUES(?,?,?,?,?,?,?,?)",
        [&](Statement& s) {
          s.bind_int(1, v.process_id);
          s.bind_text(2, v.code);
          s.bind_text(3, v.title);
          s.bind_text(4, v.status);
          s.bind_text(5, v.items_json);
          s.bind_text(6, v.state_json);
          s.bind_int(7, v.created_by);
          s.bind_int(8, to_micros(v.created_at));
        });
  }

  Status update_live_session(const CcLiveSession& v) override {
    std::lock_guard lock(mutex_);
    return update_one(
        "UPDATE live_sessions SET status=?,state=? WHERE id=?",
        [&](Statement& s) {
          s.bind_text(1, v.status);
          s.bind_text(2, v.state_json);
          s.bind_int(3, v.id);
        },
        "live session " + std::to_string(v.id));
  }

  Result<std::vector<CcLiveSession>> list_live_sessions() override {
    std::lock_guard lock(mutex_);
    return query<CcLiveSession>(
        "SELECT id,process_id,code,title,status,items,state,created_by,"
        "created_at FROM live_sessions ORDER BY id",
        {}, [](const Statement& s) {
          return CcLiveSession{
              s.column_int(0), s.column_int(1), text(s, 2),
              text(s, 3),      text(s, 4),      text(s, 5),
              text(s, 6),      s.column_int(7), from_micros(s.column_int(8))};
        });
  }

  Result<std::vector<CcLiveParticipant>> list_live_participants(
      int64_t session_id) override {
    std::lock_guard lock(mutex_);
    return query<CcLiveParticipant>(
        "SELECT id,session_id,token_hash,joined_at FROM live_participants "
        "WHERE session_id=? ORDER BY id",
        [&](Statement& s) { s.bind_int(1, session_id); },
        [](const Statement& s) {
          return CcLiveParticipant{s.column_int(0), s.column_int(1), text(s, 2),
                                   from_micros(s.column_int(3))};
        });
  }

  Status add_live_records(const std::vector<CcLiveParticipant>& participants,
                          const std::vector<CcLiveVote>& votes) override {
    return as_status(in_tx<bool>([&]() -> Result<bool> {
      for (const CcLiveParticipant& p : participants) {
        if (auto s =
                exec("INSERT INTO live_participants(session_id,id,token_hash,"
                     "joined_at) VALUES(?,?,?,?)",
                     [&](Statement& st) {
                       st.bind_int(1, p.session_id);
                       st.bind_int(2, p.id);
                       st.bind_text(3, p.token_hash);
                       st.bind_int(4, to_micros(p.joined_at));
                     });
            !s) {
          return std::unexpected(s.error());
        }
      }
      if (votes.empty()) return true;
      auto st = db_.prepare(
          "INSERT OR IGNORE INTO live_votes(session_id,participant_id,item,"
          "value,cast_at) VALUES(?,?,?,?,?)");
      if (!st) return std::unexpected(st.error());
      for (const CcLiveVote& v : votes) {
        st->reset();
        st->bind_int(1, v.session_id);
        st->bind_int(2, v.participant_id);
        st->bind_text(3, v.item);
        st->bind_text(4, v.value);
        st->bind_int(5, to_micros(v.cast_at));
        if (auto s = st->run(); !s) return std::unexpected(s.error());
      }
      return true;
    }));
  }

  Result<std::vector<CcLiveVote>> list_live_votes(int64_t session_id) override {
    std::lock_guard lock(mutex_);
    return query<CcLiveVote>(
        "SELECT session_id,participant_id,item,value,cast_at FROM live_votes "
        "WHERE session_id=?",
        [&](Statement& s) { s.bind_int(1, session_id); },
        [](const Statement& s) {
          return CcLiveVote{s.column_int(0), s.column_int(1), text(s, 2),
                            text(s, 3), from_micros(s.column_int(4))};
        });
  }

 private:
  using Binder = std::function<void(Statement&)>;

  // Runs `body` inside BEGIN IMMEDIATE ... COMMIT, rolling back on error.
  template <typename T>
  Result<T> in_tx(const std::function<Result<T>()>& body) {
    std::lock_guard lock(mutex_);
    if (auto s = db_.exec("BEGIN IMMEDIATE"); !s) {
      return std::unexpected(s.error());
    }
    Result<T> r = body();
    if (!r) {
      (void)db_.exec("ROLLBACK");
      return r;
    }
    if (auto s = db_.exec("COMMIT"); !s) {
      (void)db_.exec("ROLLBACK");
      return std::unexpected(s.error());
    }
    return r;
  }

  template <typename T>
  Result<std::vector<T>> query(const std::string& sql, const Binder& bind,
                               const std::function<T(const Statement&)>& read) {
    auto st = db_.prepare(sql);
    if (!st) return std::unexpected(st.error());
    if (bind) bind(*st);
    std::vector<T> rows;
    while (true) {
      auto more = st->step();
      if (!more) return std::unexpected(more.error());
      if (!*more) break;
      rows.push_back(read(*st));
    }
    return rows;
  }

  template <typename T>
  static Result<T> one(Result<std::vector<T>> rows, const std::string& what) {
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return fail(Code::kNotFound, what + " not found");
    return std::move(rows->front());
  }

  template <typename T>
  static Result<std::optional<T>> first(Result<std::vector<T>> rows) {
    if (!rows) return std::unexpected(rows.error());
    if (rows->empty()) return std::optional<T>();
    return std::optional<T>(std::move(rows->front()));
  }

  Status exec(std::string_view sql, const Binder& bind) {
    auto st = db_.prepare(sql);
    if (!st) return std::unexpected(st.error());
    bind(*st);
    return st->run();
  }

  Result<int> exec_changes(std::string_view sql, const Binder& bind) {
    if (auto s = exec(sql, bind); !s) return std::unexpected(s.error());
    return sqlite3_changes(db_.handle());
  }

  Result<int64_t> insert(std::string_view sql, const Binder& bind) {
    if (auto s = exec(sql, bind); !s) return std::unexpected(s.error());
    return db_.last_insert_rowid();
  }

  Status update_one(std::string_view sql, const Binder& bind,
                    const std::string& what) {
    auto n = exec_changes(sql, bind);
    if (!n) return std::unexpected(n.error());
    if (*n == 0) return fail(Code::kNotFound, what + " not found");
    return ok();
  }

  Result<std::optional<CcAccount>> find_account_locked(std::string_view email) {
    return first(query<CcAccount>(
        "SELECT " + std::string(kAccountCols) + " FROM accounts WHERE email=?",
        [&](Statement& s) { s.bind_text(1, email); }, read_account));
  }

  Result<int64_t> insert_account(const CcAccount& a) {
    return insert(
        "INSERT INTO accounts(email,name,role,municipality,password_hash,"
        "created_at) VALUES(?,?,?,?,?,?)",
        [&](Statement& s) {
          s.bind_text(1, a.email);
          s.bind_text(2, a.name);
          s.bind_text(3, a.role);
          s.bind_text(4, a.municipality);
          s.bind_text(5, a.password_hash);
          s.bind_int(6, to_micros(a.created_at));
        });
  }

  Status insert_mail(const CcMail& m) {
    return exec(
        "INSERT INTO outbox(recipient,subject,body,created_at) VALUES(?,?,?,?)",
        [&](Statement& s) {
          s.bind_text(1, m.to);
          s.bind_text(2, m.subject);
          s.bind_text(3, m.body);
          s.bind_int(4, to_micros(m.created_at));
        });
  }

  std::mutex mutex_;
  Database db_;  // guarded by mutex_
};

}  // namespace

SqliteCocreationStores::SqliteCocreationStores(std::string data_dir)
    : dir_(std::move(data_dir)) {}

Result<std::shared_ptr<CocreationStore>> SqliteCocreationStores::tenant(
    std::string_view tenant, bool create) {
  if (!tenant.empty() && !valid_tenant_name(tenant)) {
    return fail(Code::kBadRequestData,
                "'" + std::string(tenant) + "' is not a valid tenant name");
  }
  std::lock_guard lock(mutex_);
  std::string key(tenant);
  if (auto it = tenants_.find(key); it != tenants_.end()) return it->second;
  std::string path =
      dir_ + "/" + (key.empty() ? std::string("_default") : key) + ".db";
  std::error_code ec;
  if (!create && !std::filesystem::exists(path, ec)) {
    return fail(Code::kNonexistentTenant,
                "tenant '" + key +
                    "' has no co-creation accounts yet (an admin starts with "
                    "POST /api/v1/cocreation/bootstrap)");
  }
  std::filesystem::create_directories(dir_, ec);
  if (ec) {
    return fail(Code::kInternal,
                "cannot create '" + dir_ + "': " + ec.message());
  }
  auto db = open_cocreation_db(path);
  if (!db) return std::unexpected(db.error());
  tenants_.emplace(key, *db);
  return *db;
}

Result<std::vector<std::string>> SqliteCocreationStores::list_tenants() {
  std::vector<std::string> out;
  std::error_code ec;
  std::filesystem::directory_iterator it(dir_, ec);
  if (ec == std::errc::no_such_file_or_directory) return out;
  for (; !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    const auto& path = it->path();
    if (path.extension() != ".db") continue;
    std::string name = path.stem().string();
    if (name == "_default") {
      out.emplace_back();
    } else if (valid_tenant_name(name)) {
      out.push_back(std::move(name));
    }
  }
  if (ec) {
    return fail(Code::kInternal, "cannot list '" + dir_ + "': " + ec.message());
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<std::shared_ptr<CocreationStore>> open_cocreation_db(
    const std::string& path) {
  auto db = Database::open(path, Database::Mode::kCreate);
  if (!db) return std::unexpected(db.error());
  for (std::string_view pragma :
       {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL",
        "PRAGMA foreign_keys=ON"}) {
    if (auto s = db->exec(pragma); !s) return std::unexpected(s.error());
  }
  if (auto s = db->exec(kSchema); !s) return std::unexpected(s.error());
  if (auto s =
          db->exec("PRAGMA user_version = " + std::to_string(kSchemaVersion));
      !s) {
    return std::unexpected(s.error());
  }
  return std::make_shared<SqliteCocreationStore>(std::move(*db));
}

}  // namespace cocity::store::sqlite

namespace cocity::store {

Result<std::unique_ptr<CocreationStores>> open_sqlite_cocreation_stores(
    const std::string& data_dir) {
  return std::make_unique<sqlite::SqliteCocreationStores>(data_dir +
                                                          "/cocreation");
}

}  // namespace cocity::store
