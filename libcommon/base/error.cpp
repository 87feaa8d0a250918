#include "base/error.h"

namespace q8 {

Error::Error(ErrorKind kind, std::string message)
    : std::runtime_error(message), kind_(kind), message_(std::move(message)) {
  what_ = describe();
}

void Error::add_context(std::string ctx) {
  context_.push_back(std::move(ctx));
  what_ = describe();
}

std::string Error::describe() const {
  std::string out;
  for (auto it = context_.rbegin(); it != context_.rend(); ++it) {
    out += *it;
    out += ": ";
  }
  out += message_;
  return out;
}

ExitCode exit_code_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kUsage:
      return ExitCode::kUsage;
    case ErrorKind::kBadInput:
      return ExitCode::kBadInput;
    case ErrorKind::kInternal:
      return ExitCode::kInternal;
  }
  return ExitCode::kInternal;
}

void throw_usage(std::string message) {
  throw Error(ErrorKind::kUsage, std::move(message));
}
void throw_bad_input(std::string message) {
  throw Error(ErrorKind::kBadInput, std::move(message));
}
void throw_internal(std::string message) {
  throw Error(ErrorKind::kInternal, std::move(message));
}

}  // namespace q8
