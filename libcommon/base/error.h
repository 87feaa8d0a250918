#pragma once
// Errors carry a kind (which maps to the tool's exit code) and a chain of context
// ("while reading model.xml", "layer 'conv1' (id 3)") that is printed as one line.
#include <stdexcept>
#include <string>
#include <vector>

namespace q8 {

// Documented exit codes of every tool.
enum class ExitCode : int {
  kOk = 0,
  kUsage = 1,     // wrong or missing flags, bad command line
  kBadInput = 2,  // input file missing, truncated, malformed or unsupported
  kInternal = 3,  // a bug or an unexpected failure (I/O error on output, ...)
};

enum class ErrorKind { kUsage, kBadInput, kInternal };

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string message);

  ErrorKind kind() const { return kind_; }
  const std::string& message() const { return message_; }
  // Context is outermost-first once printed: "model.xml: layer 'x' (id 3): message".
  const std::vector<std::string>& context() const { return context_; }
  void add_context(std::string ctx);
  // Full one-line description with all context.
  std::string describe() const;
  const char* what() const noexcept override { return what_.c_str(); }

 private:
  ErrorKind kind_;
  std::string message_;
  std::vector<std::string> context_;  // innermost first
  std::string what_;
};

ExitCode exit_code_for(ErrorKind kind);

[[noreturn]] void throw_usage(std::string message);
[[noreturn]] void throw_bad_input(std::string message);
[[noreturn]] void throw_internal(std::string message);

// Runs fn; if it throws q8::Error, adds `ctx` to it and rethrows. Other std::exceptions
// are wrapped as internal errors with the context attached.
template <typename Fn>
auto with_context(const std::string& ctx, Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (Error& e) {
    e.add_context(ctx);
    throw;
  }
}

}  // namespace q8
