// Replays every fuzz target's corpus (tests/fuzz/corpus/<target>/) and every input a fuzzer once
// crashed on (tests/fuzz/regressions/<target>/) through the target's entry function, in the normal
// build and, in CI's sanitizer stage, under ASan + UBSan: none may crash or let anything but a
// q8::Error escape. The seeds must also stay valid inputs, so that the fuzzer starts from the
// readers' real paths.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fuzz.h"
#include "test_support.h"

namespace q8::fuzz {
namespace {

struct Target {
  const char* name;
  int (*entry)(const uint8_t*, size_t);
};
// Test listings name the target, not the struct's bytes (which hold addresses).
void PrintTo(const Target& t, std::ostream* os) {
  *os << t.name;
}

constexpr Target kTargets[] = {
    {"onnx", onnx},     {"graphdef", graphdef}, {"ir_xml", ir_xml},
    {"ir_bin", ir_bin}, {"pot_json", pot_json}, {"coco_json", coco_json},
    {"jpeg", jpeg},     {"png", png},           {"npy", npy},
};

std::vector<std::string> inputs_in(const std::string& dir) {
  std::vector<std::string> paths;
  if (!test::exists(dir)) return paths;
  for (const std::string& name : test::list_dir(dir)) paths.push_back(dir + "/" + name);
  return paths;
}

// Feeds one file; returns whether the reader accepted it (no q8::Error).
bool replay(const Target& t, const std::string& path) {
  SCOPED_TRACE(path);
  std::string bytes = test::read(path);
  bool accepted = false;
  EXPECT_NO_THROW(accepted = accepts(t.entry, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
  return accepted;
}

class FuzzReplay : public ::testing::TestWithParam<Target> {};

TEST_P(FuzzReplay, CorpusSeedsAreValidInputs) {
  const Target& t = GetParam();
  auto seeds = inputs_in(std::string(Q8_FUZZ_DIR) + "/corpus/" + t.name);
  ASSERT_FALSE(seeds.empty()) << "no seeds for " << t.name;
  for (const std::string& path : seeds) EXPECT_TRUE(replay(t, path)) << path << " is rejected by " << t.name;
}

TEST_P(FuzzReplay, RegressionInputsRunCleanly) {
  const Target& t = GetParam();
  for (const std::string& path : inputs_in(std::string(Q8_FUZZ_DIR) + "/regressions/" + t.name))
    replay(t, path);
}

// Empty and one-byte inputs: the smallest cases every reader must reject cleanly.
TEST_P(FuzzReplay, TinyInputsAreRejected) {
  const Target& t = GetParam();
  const uint8_t byte = 0;
  EXPECT_FALSE(accepts(t.entry, &byte, 0));
  EXPECT_FALSE(accepts(t.entry, &byte, 1));
}

INSTANTIATE_TEST_SUITE_P(Targets, FuzzReplay, ::testing::ValuesIn(kTargets),
                         [](const ::testing::TestParamInfo<Target>& info) {
                           return std::string(info.param.name);
                         });

}  // namespace
}  // namespace q8::fuzz
