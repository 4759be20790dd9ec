// noaber: the server binary and its maintenance commands.

#include <charconv>
#include <cstdlib>
#include <iostream>

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "app/app.h"
#include "app/seed_demo.h"
#include "app/seed_synthetic.h"
#include "store/sqlite/backup.h"

namespace {

// "HOST:PORT" or "[IPv6]:PORT".
bool parse_listen(const std::string& text, std::string& host, std::uint16_t& port) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  const std::string p = text.substr(colon + 1);
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
  if (ec != std::errc() || end != p.data() + p.size() || value > 65535) return false;
  port = static_cast<std::uint16_t>(value);
  return true;
}

// "--rate-limit login-email=10/300": at most 10 events per 300 seconds.
std::string apply_rate_limit(noaber::AppConfig& config, const std::string& spec) {
  const auto eq = spec.find('=');
  const auto slash = spec.find('/', eq == std::string::npos ? 0 : eq);
  if (eq == std::string::npos || slash == std::string::npos)
    return "expected NAME=COUNT/SECONDS, e.g. login-email=10/300";
  const std::string name = spec.substr(0, eq);
  int count = 0, seconds = 0;
  const std::string count_text = spec.substr(eq + 1, slash - eq - 1);
  const std::string seconds_text = spec.substr(slash + 1);
  const auto [c_end, c_ec] = std::from_chars(count_text.data(), count_text.data() + count_text.size(), count);
  const auto [s_end, s_ec] =
      std::from_chars(seconds_text.data(), seconds_text.data() + seconds_text.size(), seconds);
  if (c_ec != std::errc() || c_end != count_text.data() + count_text.size() || count < 1 ||
      s_ec != std::errc() || s_end != seconds_text.data() + seconds_text.size() || seconds < 1)
    return "COUNT and SECONDS must be whole numbers of at least 1";
  const noaber::RateLimit limit{count, std::chrono::seconds(seconds)};
  const std::pair<const char*, noaber::RateLimit*> known[] = {
      {"register-ip", &config.accounts.register_per_ip},
      {"register-email", &config.accounts.register_per_email},
      {"login-ip", &config.accounts.login_per_ip},
      {"login-email", &config.accounts.login_per_email},
      {"password-user", &config.accounts.password_per_user},
      {"posts-user", &config.market.posts_per_user},
      {"responses-user", &config.market.responses_per_user},
      {"invites-user", &config.neighbourhoods.invites_per_user},
      {"posts-ip", &config.market.posts_per_ip},
      {"responses-ip", &config.market.responses_per_ip},
      {"invites-ip", &config.neighbourhoods.invites_per_ip},
      {"reports-user", &config.moderation.reports_per_user},
      {"reports-ip", &config.moderation.reports_per_ip},
  };
  for (const auto& [known_name, target] : known)
    if (name == known_name) {
      *target = limit;
      return "";
    }
  return "unknown limit '" + name +
         "' (known: register-ip, register-email, login-ip, login-email, password-user, "
         "posts-user, responses-user, invites-user, posts-ip, responses-ip, invites-ip, "
         "reports-user, reports-ip)";
}

// The database as it may appear in output: a URL's password is masked.
std::string shown(const std::string& db) {
  const auto scheme = db.find("://");
  const auto at = db.find('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) return db;
  const auto colon = db.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return db;
  return db.substr(0, colon + 1) + "***" + db.substr(at);
}

void add_db_option(CLI::App& cmd, std::string& db) {
  cmd.add_option("--db", db,
                 "Database: a file path for SQLite, or a postgresql://USER:PASSWORD@HOST/NAME URL")
      ->envname("NOABER_DB")
      ->capture_default_str();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Noaber: resident-led online neighbourhood communities.", "noaber"};
  cli.set_version_flag("--version", std::string("noaber ") + NOABER_VERSION);
  cli.require_subcommand(1);
  cli.fallthrough();  // global options (--log-level) may follow the subcommand too
  std::string log_level = "info";
  cli.add_option("--log-level", log_level, "trace, debug, info, warn, error or off")
      ->envname("NOABER_LOG_LEVEL")
      ->capture_default_str();

  noaber::AppConfig config;
  std::string listen = "127.0.0.1:8080";
  std::string web_dir = "web/dist";

  auto* serve = cli.add_subcommand("serve", "Serve the API and the web app over HTTP");
  add_db_option(*serve, config.db);
  serve->add_option("--listen", listen, "Address to listen on, HOST:PORT")
      ->envname("NOABER_LISTEN")
      ->capture_default_str();
  serve->add_option("--web", web_dir, "Directory of the built web app (with index.html)")
      ->envname("NOABER_WEB")
      ->capture_default_str();
  serve->add_option("--nearby-km", config.neighbourhoods.nearby_km,
                    "Neighbourhoods whose centroids lie this close are each other's nearby set")
      ->check(CLI::Range(0.0, 50.0))
      ->capture_default_str();
  serve->add_option("--threads", config.io_threads, "I/O threads (0 = one per core)")
      ->check(CLI::Range(0, 256))
      ->capture_default_str();
  serve->add_option("--read-connections", config.read_connections,
                    "Database connections for reads (SQLite); on PostgreSQL the pool is this plus one")
      ->check(CLI::Range(0, 256))
      ->capture_default_str();
  serve->add_option("--feed-cache-entries", config.feed_cache_entries,
                    "First feed pages kept in memory for the readers who share them (SQLite "
                    "only; 0 = none)")
      ->check(CLI::Range(0, 1'000'000))
      ->capture_default_str();
  serve->add_option_function<int>(
          "--follow-ups-every",
          [&config](int seconds) { config.follow_up_interval = std::chrono::seconds(seconds); },
          "Seconds between runs of the follow-ups (expiry, escalation, check-in); 0 = never. Safe with "
          "several server processes on one database")
      ->check(CLI::Range(0, 86400))
      ->default_str("60");
  serve->add_option_function<int>(
          "--escalate-after-hours",
          [&config](int hours) { config.follow_ups.unanswered_after = std::chrono::hours(hours); },
          "Hours after which an ask without any response is brought to the neighbourhood's "
          "connectors")
      ->check(CLI::Range(1, 24 * 60))
      ->default_str("48");
  serve->add_option("--write-threads", config.write_threads,
                    "Threads for requests that change data; they mostly wait for a durable"
                    " commit, which the SQLite store shares between the writes that wait")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  serve->add_option("--hash-threads", config.worker_threads,
                    "Threads for password hashing (each uses 19 MiB while hashing)")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  serve->add_option_function<std::vector<std::string>>(
      "--rate-limit",
      [&config](const std::vector<std::string>& specs) {
        for (const auto& spec : specs)
          if (auto problem = apply_rate_limit(config, spec); !problem.empty())
            throw CLI::ValidationError("--rate-limit " + spec, problem);
      },
      "Change an abuse limit, NAME=COUNT/SECONDS (repeatable); names: register-ip, "
      "register-email, login-ip, login-email, password-user, posts-user, responses-user, "
      "invites-user, posts-ip, responses-ip, invites-ip");
  int session_idle_days = 14;
  int session_max_days = 90;
  serve->add_option("--session-idle-days", session_idle_days,
                    "A session ends after this many days without a request")
      ->check(CLI::Range(1, 365))
      ->capture_default_str();
  serve->add_option("--session-max-days", session_max_days,
                    "A session ends this many days after its login, however active")
      ->check(CLI::Range(1, 3650))
      ->capture_default_str();
  serve->add_option("--max-streams", config.live_feed.max_streams,
                    "Open event streams (live feeds) this process serves at most; beyond, 503")
      ->check(CLI::Range(0, 1'000'000))
      ->capture_default_str();
  serve->add_option("--max-streams-per-user", config.live_feed.max_streams_per_user,
                    "Open event streams one account may hold in this process; beyond, 429")
      ->check(CLI::Range(0, 1000))
      ->capture_default_str();
  int heartbeat_seconds = static_cast<int>(config.stream_heartbeat.count());
  serve->add_option("--stream-heartbeat", heartbeat_seconds,
                    "Seconds between keep-alive comments on a quiet event stream")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  serve->add_flag("--secure-cookies", config.secure_cookies,
                  "Mark the session cookie Secure (when served over HTTPS)");
  serve->add_flag("--public-metrics", config.public_metrics,
                  "Serve /metrics to every client, not only to loopback");

  auto* migrate = cli.add_subcommand("migrate", "Create or upgrade the database schema");
  add_db_option(*migrate, config.db);

  auto* seed = cli.add_subcommand("seed-demo", "Fill an empty database with a Dutch demo community");
  add_db_option(*seed, config.db);

  noaber::SyntheticOptions synthetic;
  auto* synth = cli.add_subcommand(
      "seed-synthetic",
      "Fill a new SQLite database with a deterministic, country-sized synthetic data set "
      "(residents log in as r<i>@example.org with the password synthetic-password; "
      "PostgreSQL is not supported)");
  add_db_option(*synth, config.db);
  synth->add_option("--residents", synthetic.residents, "Residents (users), at least one per neighbourhood")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{100'000'000}))
      ->capture_default_str();
  synth->add_option("--neighbourhoods", synthetic.neighbourhoods,
                    "Neighbourhoods, in regions of 20 to 200")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{10'000'000}))
      ->capture_default_str();
  synth->add_option("--posts", synthetic.posts, "Asks and offers")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{1'000'000'000}))
      ->capture_default_str();
  synth->add_option("--seed", synthetic.seed, "The same seed gives the same data")
      ->capture_default_str();
  synth->add_option("--nearby-km", synthetic.nearby_km,
                    "Neighbourhoods whose centroids lie this close are each other's nearby set "
                    "(as serve --nearby-km)")
      ->check(CLI::Range(0.0, 50.0))
      ->capture_default_str();

  std::string backup_out;
  auto* backup = cli.add_subcommand(
      "backup", "Copy the database consistently, also while the server runs");
  add_db_option(*backup, config.db);
  backup->add_option("--out", backup_out, "File to write the backup to")->required();

  std::string restore_from;
  bool restore_force = false;
  auto* restore = cli.add_subcommand(
      "restore", "Put a backup in place of the database (stop the server first)");
  add_db_option(*restore, config.db);
  restore->add_option("--from", restore_from, "The backup file")->required()->check(
      CLI::ExistingFile);
  restore->add_flag("--force", restore_force, "Replace a database that already exists");

  CLI11_PARSE(cli, argc, argv);

  config.accounts.session_idle = std::chrono::days(session_idle_days);
  config.accounts.session_absolute = std::chrono::days(session_max_days);
  config.stream_heartbeat = std::chrono::seconds(heartbeat_seconds);

  spdlog::set_level(spdlog::level::from_str(log_level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);

  try {
    if (*migrate) {
      auto opened = noaber::open_store(config.db);
      std::cout << "Applied " << opened.migrations_applied << " migration(s) to " << shown(config.db)
                << ".\n";
      return EXIT_SUCCESS;
    }
    if ((*backup || *restore) && config.db.find("://") != std::string::npos) {
      std::cerr << "backup and restore are for SQLite files; for PostgreSQL use pg_dump and "
                   "pg_restore.\n";
      return EXIT_FAILURE;
    }
    if (*backup) {
      const auto started = std::chrono::steady_clock::now();
      const auto done = noaber::backup_database(config.db, backup_out);
      const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
      std::cout << "Backed up " << shown(config.db) << " (schema version " << done.schema_version
                << ", " << done.pages << " pages, " << done.bytes / 1024 << " KiB) to "
                << backup_out << " in " << took.count() << " s; integrity checked.\n";
      return EXIT_SUCCESS;
    }
    if (*restore) {
      if (std::filesystem::exists(config.db) && !restore_force) {
        std::cerr << config.db << " exists. Stop the server, then run again with --force to "
                  << "replace it with " << restore_from << ".\n";
        return EXIT_FAILURE;
      }
      const auto done = noaber::restore_database(restore_from, config.db);
      std::cout << "Restored " << restore_from << " (schema version " << done.schema_version
                << ", " << done.pages << " pages) to " << config.db
                << "; integrity checked. Start the server to apply newer migrations.\n";
      return EXIT_SUCCESS;
    }
    if (*synth) {
      const bool terminal = isatty(STDERR_FILENO) == 1;
      const auto counts = noaber::seed_synthetic(
          config.db, synthetic, std::cerr,
          terminal ? noaber::ProgressStyle::bar : noaber::ProgressStyle::lines);
      std::cout << "Synthetic data (seed " << synthetic.seed << ") in " << shown(config.db) << ": "
                << counts.regions << " regions, " << counts.neighbourhoods << " neighbourhoods ("
                << counts.nearby_pairs << " nearby pairs), " << counts.residents << " residents ("
                << counts.pending_members << " waiting for approval), " << counts.posts
                << " asks and offers, " << counts.responses << " responses, " << counts.exchanges
                << " exchanges.\n"
                << "Took " << counts.seconds << " s: "
                << static_cast<std::int64_t>(static_cast<double>(counts.posts) / counts.seconds)
                << " posts per second of wall time (rows inserted in " << counts.load_seconds
                << " s, the rest hashing, indexes and statistics).\n"
                << "Log in as r1@example.org .. r" << counts.residents
                << "@example.org with the password " << noaber::kSyntheticPassword << ".\n";
      return EXIT_SUCCESS;
    }
    if (*seed) {
      // The demo signs up thirty people at once; the sign-up limits are for
      // strangers on the internet, not for this.
      config.accounts.register_per_ip.max_events = 1'000'000;
      noaber::App app(config);
      noaber::seed_demo(app, std::cout);
      return EXIT_SUCCESS;
    }
    if (!parse_listen(listen, config.host, config.port)) {
      std::cerr << "--listen must be HOST:PORT, e.g. 127.0.0.1:8080\n";
      return EXIT_FAILURE;
    }
    if (std::filesystem::exists(std::filesystem::path(web_dir) / "index.html"))
      config.web_dir = web_dir;
    else
      spdlog::info("no web app at {} (build it with make); serving the API only", web_dir);
    noaber::App app(config);
    const auto port = app.start();
    spdlog::info("noaber {} serving http://{}:{}/ with database {}", NOABER_VERSION, config.host,
                 port, shown(config.db));
    app.wait_for_signal();
    spdlog::info("stopped cleanly");
    return EXIT_SUCCESS;
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return EXIT_FAILURE;
  }
}
