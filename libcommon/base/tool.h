#pragma once
// The boundary of every tool: parse flags with CLI11, run one library call, map any
// failure to one line on stderr and a documented exit code (see ExitCode).
#include <CLI/CLI.hpp>
#include <functional>
#include <string>

namespace q8 {

// Adds the flags every tool has: -q/--quiet, -v/--verbose, --version. pot keeps -q for POT's
// `-q default|accuracy_aware`, so it passes short_quiet = false (--quiet only).
void add_common_flags(CLI::App& app, bool short_quiet = true);

// Parses argv into `app` and runs `body`; returns the process exit code.
// Usage errors print CLI11's message plus "run '<prog> --help'"; library errors print
// "<prog>: error: <context>: <message>".
int run_tool(CLI::App& app, int argc, char** argv, const std::function<void()>& body);

}  // namespace q8
