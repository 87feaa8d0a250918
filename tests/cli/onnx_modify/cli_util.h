#pragma once
// Shared helpers of the onnx-modify CLI tests.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_support.h"

namespace q8::test {

inline std::string ssd(int opset) {
  return fixture("onnx/ssd_tiny_opset" + std::to_string(opset) + ".onnx");
}

inline RunResult modify(const std::vector<std::string>& args) {
  return run_tool("onnx-modify", args);
}

// Lines of stderr that report an error (warnings and the --help hint excluded).
inline int error_lines(const std::string& err) {
  int n = 0;
  size_t pos = 0;
  while ((pos = err.find("error", pos)) != std::string::npos) {
    ++n;
    pos = err.find('\n', pos);
    if (pos == std::string::npos) break;
  }
  return n;
}

// A failed run: the documented exit code, one error line naming every `parts`, and the
// directory holds exactly `files` (no output, no temporaries).
inline void expect_failure(const RunResult& r, int code, const std::vector<std::string>& parts,
                           const TempDir& dir, const std::vector<std::string>& files) {
  EXPECT_EQ(r.exit_code, code) << r.err;
  EXPECT_EQ(error_lines(r.err), 1) << r.err;
  for (const auto& p : parts) EXPECT_NE(r.err.find(p), std::string::npos) << r.err << " lacks " << p;
  EXPECT_EQ(list_dir(dir.path()), files);
}

}  // namespace q8::test
