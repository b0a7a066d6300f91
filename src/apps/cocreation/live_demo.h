// The co-creation part of `cocity demo`: a demo process in the default
// tenant with the 22 catalogue ideas, a closed survey (idea ratings on the
// four criteria, a likert question, respondent attributes) with a few
// hundred generated responses from fictitious municipalities (fixed seed:
// some ideas clearly ahead, some statistically tied), and an active live
// session over a few ideas that anyone can join. Written through the
// domain and store APIs before the server starts.
//
// A data directory seeded before is left as it is: the login and the live
// session found there are returned again.
#pragma once

#include <string>

#include "core/error.h"

namespace cocity::apps::cocreation {

struct DemoLogin {
  std::string email;
  std::string password;  // random at first seeding; kept in
                         // <data_dir>/cocreation/demo-login.txt
  std::string live_code;
  int64_t responses = 0;
};

Result<DemoLogin> seed_cocreation_demo(const std::string& data_dir,
                                       const std::string& catalogue_path);

}  // namespace cocity::apps::cocreation
