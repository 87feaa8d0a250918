#include "base/tool.h"

#include <cstdio>
#include <exception>

#include "base/error.h"
#include "base/log.h"

#ifndef Q8_VERSION
#define Q8_VERSION "0.1.0"
#endif

namespace q8 {

namespace {
bool g_quiet = false;
bool g_verbose = false;
}  // namespace

void add_common_flags(CLI::App& app, bool short_quiet) {
  // Subcommands see these flags too: `tool sub -q ...` works like `tool -q sub ...`.
  app.fallthrough();
  app.add_flag(short_quiet ? "-q,--quiet" : "--quiet", g_quiet, "Print errors only");
  app.add_flag("-v,--verbose", g_verbose, "Print debug messages");
  app.set_version_flag("--version", std::string(Q8_VERSION));
}

int run_tool(CLI::App& app, int argc, char** argv, const std::function<void()>& body) {
  log::set_program(app.get_name());
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "%s: usage error: %s\nrun '%s --help' for the options\n", app.get_name().c_str(),
                 e.what(), app.get_name().c_str());
    return static_cast<int>(ExitCode::kUsage);
  }
  if (g_quiet) log::set_level(log::Level::kError);
  if (g_verbose) log::set_level(log::Level::kDebug);
  try {
    body();
    return static_cast<int>(ExitCode::kOk);
  } catch (const Error& e) {
    log::error(e.describe());
    if (e.kind() == ErrorKind::kUsage)
      std::fprintf(stderr, "run '%s --help' for the options\n", app.get_name().c_str());
    return static_cast<int>(exit_code_for(e.kind()));
  } catch (const std::bad_alloc&) {
    log::error("out of memory");
    return static_cast<int>(ExitCode::kInternal);
  } catch (const std::exception& e) {
    log::error(std::string("internal error: ") + e.what());
    return static_cast<int>(ExitCode::kInternal);
  }
}

}  // namespace q8
