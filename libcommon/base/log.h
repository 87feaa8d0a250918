#pragma once
// Diagnostics and progress go to stderr; data goes to stdout or files.
#include <chrono>
#include <cstdint>
#include <string>

namespace q8::log {

enum class Level { kQuiet = 0, kError = 1, kWarn = 2, kInfo = 3, kDebug = 4 };

void set_level(Level level);
Level level();
void set_program(std::string name);  // prefix of every message, e.g. "mo"

void error(const std::string& msg);
void warn(const std::string& msg);
void info(const std::string& msg);
void debug(const std::string& msg);

// Progress of a long job on stderr: "\r<what> 120/500 (24%)" on a terminal, a line
// every ~2 seconds otherwise. Silent below Level::kInfo.
class Progress {
 public:
  Progress(std::string what, int64_t total);
  ~Progress();
  void advance(int64_t n = 1);
  void finish();

 private:
  void print(bool final_line);
  std::string what_;
  int64_t total_;
  int64_t done_ = 0;
  bool finished_ = false;
  bool tty_;
  std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace q8::log
