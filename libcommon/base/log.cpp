#include "base/log.h"

#include <unistd.h>

#include <cstdio>

namespace q8::log {
namespace {
Level g_level = Level::kInfo;
std::string g_program = "q8";

void emit(Level lvl, const char* tag, const std::string& msg) {
  if (static_cast<int>(g_level) < static_cast<int>(lvl)) return;
  std::fprintf(stderr, "%s: %s%s\n", g_program.c_str(), tag, msg.c_str());
}
}  // namespace

void set_level(Level level) {
  g_level = level;
}
Level level() {
  return g_level;
}
void set_program(std::string name) {
  g_program = std::move(name);
}

void error(const std::string& msg) {
  emit(Level::kError, "error: ", msg);
}
void warn(const std::string& msg) {
  emit(Level::kWarn, "warning: ", msg);
}
void info(const std::string& msg) {
  emit(Level::kInfo, "", msg);
}
void debug(const std::string& msg) {
  emit(Level::kDebug, "debug: ", msg);
}

Progress::Progress(std::string what, int64_t total)
    : what_(std::move(what)), total_(total), tty_(isatty(STDERR_FILENO) != 0) {
  start_ = last_ = std::chrono::steady_clock::now();
}

Progress::~Progress() {
  if (!finished_ && done_ > 0) finish();
}

void Progress::advance(int64_t n) {
  done_ += n;
  auto now = std::chrono::steady_clock::now();
  auto interval = tty_ ? std::chrono::milliseconds(100) : std::chrono::milliseconds(2000);
  if (now - last_ >= interval) {
    last_ = now;
    print(false);
  }
}

void Progress::finish() {
  if (finished_) return;
  finished_ = true;
  print(true);
}

void Progress::print(bool final_line) {
  if (static_cast<int>(g_level) < static_cast<int>(Level::kInfo)) return;
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  int pct = total_ > 0 ? static_cast<int>(100 * done_ / total_) : 0;
  const char* lead = tty_ ? "\r" : "";
  const char* tail = (tty_ && !final_line) ? "" : "\n";
  // While running: the time left at the rate so far ("ETA 12s"); at the end: the time taken.
  char eta[32] = "";
  if (!final_line && done_ > 0 && done_ < total_)
    std::snprintf(eta, sizeof eta, ", ETA %.0fs",
                  secs * static_cast<double>(total_ - done_) / static_cast<double>(done_));
  std::fprintf(stderr, "%s%s: %s %lld/%lld (%d%%) %.1fs%s%s", lead, g_program.c_str(), what_.c_str(),
               static_cast<long long>(done_), static_cast<long long>(total_), pct, secs, eta, tail);
  std::fflush(stderr);
}

}  // namespace q8::log
