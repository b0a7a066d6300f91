#include <CLI/CLI.hpp>

#include <cstdio>

#include "cli/commands.h"
#include "server/api_keys.h"
#include "server/config.h"
#include "store/store.h"

namespace cocity::cli {
namespace {

struct KeyFlags {
  std::string config_file;
  std::string data_dir;
  std::string tenant;
  std::string role = "read";
  std::string key_id;
};

// Opens the store of the configured data directory, or prints why not.
std::unique_ptr<store::Store> open_store(const KeyFlags& f) {
  server::ServerConfig c;
  if (!f.config_file.empty()) {
    if (auto s = server::apply_config_file(f.config_file, &c); !s) {
      std::fprintf(stderr, "cocity key: %s\n", s.error().detail.c_str());
      return nullptr;
    }
  }
  if (auto s = server::apply_environment(&c); !s) {
    std::fprintf(stderr, "cocity key: %s\n", s.error().detail.c_str());
    return nullptr;
  }
  if (!f.data_dir.empty()) c.data_dir = f.data_dir;
  store::StoreOptions options;
  options.data_dir = c.data_dir;
  auto s = store::open_sqlite_store(options);
  if (!s) {
    std::fprintf(stderr, "cocity key: cannot open '%s': %s\n",
                 c.data_dir.c_str(), s.error().detail.c_str());
    return nullptr;
  }
  return std::move(*s);
}

int create_key(const KeyFlags& f) {
  auto key = server::make_api_key(f.tenant, f.role);
  if (!key) {
    std::fprintf(stderr, "cocity key create: %s\n", key.error().detail.c_str());
    return 2;
  }
  auto store = open_store(f);
  if (!store) return 1;
  if (auto s = store->keys().add(key->record); !s) {
    std::fprintf(stderr, "cocity key create: %s\n", s.error().detail.c_str());
    return 1;
  }
  std::printf("%s\n", key->key.c_str());
  std::fprintf(stderr,
               "Key %s created for tenant '%s' with role %s. It is shown only "
               "this once; send it as 'Authorization: Bearer <key>'.\n",
               key->record.key_id.c_str(), key->record.tenant.c_str(),
               key->record.role.c_str());
  return 0;
}

int list_keys(const KeyFlags& f) {
  auto store = open_store(f);
  if (!store) return 1;
  auto keys = store->keys().list();
  if (!keys) {
    std::fprintf(stderr, "cocity key list: %s\n", keys.error().detail.c_str());
    return 1;
  }
  std::printf("%-14s %-20s %-6s %-25s %s\n", "KEY ID", "TENANT", "ROLE",
              "CREATED", "STATUS");
  for (const auto& k : *keys) {
    std::printf("%-14s %-20s %-6s %-25s %s\n", k.key_id.c_str(),
                k.tenant.empty() ? "(default)" : k.tenant.c_str(),
                k.role.c_str(), format_iso_time(k.created_at).c_str(),
                k.revoked ? "revoked" : "active");
  }
  return 0;
}

int revoke_key(const KeyFlags& f) {
  auto store = open_store(f);
  if (!store) return 1;
  if (auto s = store->keys().revoke(f.key_id); !s) {
    std::fprintf(stderr, "cocity key revoke: %s\n", s.error().detail.c_str());
    return s.error().code == Code::kNotFound ? 2 : 1;
  }
  std::fprintf(stderr,
               "Key %s revoked; running servers refuse it within 2 s.\n",
               f.key_id.c_str());
  return 0;
}

void add_common(CLI::App* cmd, KeyFlags* f) {
  cmd->add_option("--config", f->config_file, "TOML configuration file");
  cmd->add_option("--data-dir", f->data_dir,
                  "Folder of the tenants' databases");
}

}  // namespace

void add_key_command(CLI::App& app) {
  auto* key = app.add_subcommand("key", "Create, list and revoke API keys");
  key->require_subcommand(1);
  auto f = std::make_shared<KeyFlags>();

  auto* create =
      key->add_subcommand("create", "Create a key and print it once");
  add_common(create, f.get());
  create
      ->add_option("--tenant", f->tenant,
                   "Tenant the key is for ('*' for every tenant)")
      ->required();
  create->add_option("--role", f->role, "read, write or admin")
      ->check(CLI::IsMember({"read", "write", "admin"}));
  create->callback([f] { set_exit_code(create_key(*f)); });

  auto* list = key->add_subcommand("list", "List keys (never their secrets)");
  add_common(list, f.get());
  list->callback([f] { set_exit_code(list_keys(*f)); });

  auto* revoke = key->add_subcommand("revoke", "Revoke a key by its id");
  add_common(revoke, f.get());
  revoke->add_option("key_id", f->key_id, "The key id shown by 'key list'")
      ->required();
  revoke->callback([f] { set_exit_code(revoke_key(*f)); });
}

}  // namespace cocity::cli
