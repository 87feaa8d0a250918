// The example pipelines (examples/*/Makefile over Makefile.inc) run with make, re-running does nothing,
// and a failing step leaves no target behind. The Fashion-MNIST and SSD pipelines take tens of
// seconds: they run in the Release stage of CI only (scripts/test.sh).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <regex>

#include "test_support.h"

namespace q8 {
namespace {

test::RunResult make_example(const std::string& example, const std::string& out,
                             const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"-C", test::source_dir() + "/examples/" + example,
                                   "Q8_BIN=" + test::bin_dir(), "OUT=" + out};
  args.insert(args.end(), extra.begin(), extra.end());
  return test::run_program("make", args);
}

// `make -q` answers whether everything is up to date (exit 0) without running anything.
bool up_to_date(const std::string& example, const std::string& out,
                const std::vector<std::string>& vars = {}) {
  std::vector<std::string> args = vars;
  args.insert(args.begin(), {"-q", "all"});
  return make_example(example, out, args).exit_code == 0;
}

double score_in(const std::string& eval_file) {
  std::smatch m;
  const std::string text = test::read(eval_file);
  static const std::regex re(R"((top1|coco_map): ([0-9.]+)\s*$)");
  if (!std::regex_search(text, m, re)) return -1;
  return std::stod(m[2]);
}

TEST(ExamplesMake, ResnetTfPipelineRunsAndRerunDoesNothing) {
  test::TempDir dir;
  const std::string out = dir.file("out");
  auto r = make_example("resnet50-tf", out, {"-j2", "NITER=20", "all"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  for (const char* f :
       {"resnet50_v1_fp32argmax.pb", "resnet50_v1_fp32argmax.xml", "resnet50_v1_fp32argmax_int8.xml",
        "resnet50_v1_fp32argmax_int8.bin", "resnet50_v1_fp32argmax_int8.bench.json"})
    EXPECT_TRUE(test::exists(out + "/" + f)) << f;
  // change-dtype made the ArgMax output FP32; the benchmark printed its median latency.
  EXPECT_NE(test::read(out + "/resnet50_v1_fp32argmax_int8.infer.txt").find("ArgMax: f32[1]"),
            std::string::npos);
  EXPECT_NE(test::read(out + "/resnet50_v1_fp32argmax_int8.bench.txt").find("Median latency:"),
            std::string::npos);
  EXPECT_TRUE(up_to_date("resnet50-tf", out));
  // Nothing is redone: the INT8 model keeps its time stamp through a second make.
  const auto before = std::filesystem::last_write_time(out + "/resnet50_v1_fp32argmax_int8.xml");
  r = make_example("resnet50-tf", out, {"all"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(std::filesystem::last_write_time(out + "/resnet50_v1_fp32argmax_int8.xml"), before);
  // A newer pot config redoes pot and what follows, not mo.
  std::filesystem::last_write_time(out + "/resnet50_v1_fp32argmax.pot.json",
                                   before + std::chrono::seconds(5));
  EXPECT_FALSE(up_to_date("resnet50-tf", out));
}

TEST(ExamplesMake, FailedStepLeavesNoTarget) {
  test::TempDir dir;
  const std::string out = dir.file("out");
  test::write(dir.file("garbage.pb"), "this is not a GraphDef");
  auto r = make_example("resnet50-tf", out, {"RESNET_PB=" + dir.file("garbage.pb"), "all"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("resnet50_v1.pb: not a valid TensorFlow GraphDef"), std::string::npos) << r.err;
  EXPECT_FALSE(test::exists(out + "/resnet50_v1_fp32argmax.pb"));
  EXPECT_FALSE(test::exists(out + "/resnet50_v1_fp32argmax.xml"));
}

TEST(ExamplesMake, FashionMnistPipelineKeepsAccuracyAndQdqMatches) {
  if (!test::exists("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"))
    GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  test::TempDir dir;
  const std::string out = dir.file("out");
  const std::vector<std::string> vars = {"LIMIT=1000", "NITER=50"};
  std::vector<std::string> args = vars;
  args.insert(args.end(), {"-j2", "table"});
  auto r = make_example("fashion-mnist", out, args);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  std::printf("%s", r.out.c_str());
  const double fp32 = score_in(out + "/fmnist_cnn.eval.txt");
  const double int8 = score_in(out + "/fmnist_cnn_int8.eval.txt");
  const double aa = score_in(out + "/fmnist_cnn_aa_int8.eval.txt");
  const double qdq = score_in(out + "/fmnist_cnn_qdq.eval.txt");
  EXPECT_GT(fp32, 88.0);
  EXPECT_NEAR(int8, fp32, 1.0);
  EXPECT_GE(aa, fp32 - 1.0);
  EXPECT_NEAR(qdq, int8, 0.3);  // the exported QDQ model computes what the INT8 IR does
  EXPECT_NE(r.out.find("INT8 QDQ ONNX (export-qdq)"), std::string::npos) << r.out;
  EXPECT_TRUE(up_to_date("fashion-mnist", out, vars));
}

TEST(ExamplesMake, SsdSeedPipelineRuns) {
  test::TempDir dir;
  const std::string out = dir.file("out");
  auto r = make_example("ssd-resnet34", out, {"-j2", "NITER=2", "all"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  // get-annotations kept the 10 listed images of 12; the seed's mo flags made an FP16 IR.
  const std::string cal = test::read(out + "/annotations/instances_cali.json");
  size_t images = 0;
  for (size_t at = cal.find("\"file_name\""); at != std::string::npos; at = cal.find("\"file_name\"", at + 1))
    ++images;
  EXPECT_EQ(images, 10u);
  EXPECT_NE(test::read(out + "/FP16/ssd-resnet34_fp16.xml").find("element_type=\"f16\""), std::string::npos);
  EXPECT_TRUE(test::exists(out + "/results/ssd-resnet34_int8.xml"));
  EXPECT_GE(score_in(out + "/results/ssd-resnet34_int8.eval.txt"), 0.0);
  EXPECT_TRUE(up_to_date("ssd-resnet34", out));
}

}  // namespace
}  // namespace q8
