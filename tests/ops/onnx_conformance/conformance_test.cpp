// ONNX backend node tests (Debian's libonnx-testdata) through the ONNX frontend and the
// reference executor. Every test whose ops are all in supported_ops() runs; one that fails to
// import, lacks a kernel, or computes something else fails, unless kKnownGaps lists it with the
// reason. A per-op pass/total table goes to stdout and to <build>/conformance.txt.
//
// Tolerances: floats |a - b| <= 1e-4 + 1e-3 * |b| (op_tolerance() overrides per op, with the
// reason); integers and booleans exact; NaN matches NaN. The reference executor computes f16
// and bf16 in f32 (runtime/reference.h), so an f32 result is compared by value with an f16/bf16
// expectation. The test data stores bfloat16 tensors as uint16 bits (NumPy has no bfloat16):
// those are reinterpreted as bf16.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "base/error.h"
#include "base/file.h"
#include "onnx/frontend.h"
#include "onnx/import/context.h"
#include "onnx/onnx_io.h"
#include "runtime/reference.h"
#include "tensor/convert.h"
#include "test_support.h"

namespace q8 {
namespace {

namespace fs = std::filesystem;

std::string data_root() {
  const char* env = std::getenv("Q8_ONNX_TESTDATA");
  return env ? env : "/usr/share/libonnx-testdata/data/node";
}

// Tests of supported ops that are known not to pass, each with why.
const std::map<std::string, std::string>& known_gaps() {
  static const std::map<std::string, std::string> gaps = {
      {"test_batchnorm_epsilon_training_mode",
       "training mode (running statistics as outputs) is not an inference op"},
      {"test_batchnorm_example_training_mode",
       "training mode (running statistics as outputs) is not an inference op"},
      {"test_cast_FLOAT_to_BFLOAT16",
       "the expected bfloat16 values are truncated; OpenVINO Convert rounds to nearest even"},
      {"test_cast_FLOAT_to_STRING", "OpenVINO has no string element type"},
      {"test_cast_STRING_to_FLOAT", "OpenVINO has no string element type"},
      {"test_castlike_BFLOAT16_to_FLOAT", "the data's 'like' tensor is [1] while the model declares [3,4]"},
      {"test_castlike_BFLOAT16_to_FLOAT_expanded",
       "the data's 'like' tensor is [1] while the model declares [3,4]"},
      {"test_castlike_FLOAT_to_BFLOAT16", "the data's 'like' tensor is [1] while the model declares [3,4]"},
      {"test_castlike_FLOAT_to_BFLOAT16_expanded",
       "the data's 'like' tensor is [1] while the model declares [3,4]"},
      {"test_castlike_FLOAT_to_STRING", "OpenVINO has no string element type"},
      {"test_castlike_FLOAT_to_STRING_expanded", "OpenVINO has no string element type"},
      {"test_castlike_STRING_to_FLOAT", "OpenVINO has no string element type"},
      {"test_castlike_STRING_to_FLOAT_expanded", "OpenVINO has no string element type"},
      {"test_identity_opt", "optional-typed inputs have no OpenVINO equivalent"},
      {"test_identity_sequence", "sequence-typed inputs have no OpenVINO equivalent"},
      {"test_maxpool_with_argmax_2d_precomputed_strides",
       "column-major indices (storage_order=1) have no OpenVINO equivalent"},
      {"test_resize_downsample_scales_cubic_A_n0p5_exclude_outside", "Interpolate-4 has no exclude_outside"},
      {"test_resize_downsample_scales_cubic_align_corners",
       "ONNX uses the unrounded in*scale length for align_corners, Interpolate-4 the output size"},
      {"test_resize_downsample_scales_linear_align_corners",
       "ONNX uses the unrounded in*scale length for align_corners, Interpolate-4 the output size"},
      {"test_resize_tf_crop_and_resize", "Interpolate-4 has no tf_crop_and_resize"},
      {"test_resize_upsample_scales_cubic_A_n0p5_exclude_outside", "Interpolate-4 has no exclude_outside"},
      {"test_scatter_elements_with_duplicate_indices",
       "reduction=add needs ScatterElementsUpdate-12, newer than the declared opsets"},
      {"test_scatternd_add", "reduction=add needs ScatterNDUpdate-15, newer than the declared opsets"},
      {"test_scatternd_multiply", "reduction=mul needs ScatterNDUpdate-15, newer than the declared opsets"},
      {"test_training_dropout", "training-mode Dropout is random, not an inference op"},
      {"test_training_dropout_default", "training-mode Dropout is random, not an inference op"},
      {"test_training_dropout_default_mask", "training-mode Dropout is random, not an inference op"},
      {"test_training_dropout_mask", "training-mode Dropout is random, not an inference op"},
      {"test_training_dropout_zero_ratio", "training-mode Dropout is random, not an inference op"},
      {"test_training_dropout_zero_ratio_mask", "training-mode Dropout is random, not an inference op"},
  };
  return gaps;
}

struct Tolerance {
  double abs, rel;
};
const std::map<std::string, Tolerance>& op_tolerance() {
  static const std::map<std::string, Tolerance> t = {
      // None needed so far: every op meets the default tolerance.
  };
  return t;
}

struct Case {
  std::string name;
  std::string op;  // the node's op type, or "(multi-node)" for expanded functions
};
void PrintTo(const Case& c, std::ostream* os) {
  *os << c.name << " (" << c.op << ")";
}

bool all_supported(const onnx::ModelProto& m, const std::set<std::string>& ops) {
  for (const auto& n : m.graph().node())
    if (!(n.domain().empty() || n.domain() == "ai.onnx") || !ops.count(n.op_type())) return false;
  return m.graph().node_size() > 0;
}

std::vector<Case> discover() {
  std::vector<Case> cases;
  if (!fs::is_directory(data_root())) return cases;
  auto list = onnxfe::supported_ops();
  std::set<std::string> ops(list.begin(), list.end());
  for (const auto& entry : fs::directory_iterator(data_root())) {
    fs::path model = entry.path() / "model.onnx";
    if (!fs::exists(model)) continue;
    onnx::ModelProto m = onnxio::load_model(model.string());
    if (!all_supported(m, ops)) continue;
    std::string op = m.graph().node_size() == 1 ? m.graph().node(0).op_type() : "(multi-node)";
    cases.push_back({entry.path().filename().string(), op});
  }
  std::sort(cases.begin(), cases.end(), [](const Case& a, const Case& b) { return a.name < b.name; });
  return cases;
}

const std::vector<Case>& cases() {
  static const std::vector<Case> c = discover();
  return c;
}

Tensor read_tensor(const std::string& path) {
  onnx::TensorProto p;
  std::string bytes = read_file(path);
  if (!p.ParseFromString(bytes)) throw_bad_input(path + ": not a TensorProto");
  return onnxfe::tensor_from_proto(p);
}

// The declared element type of a graph input/output, when it is a tensor.
ElementType declared_type(const onnx::ValueInfoProto& v) {
  if (!v.type().has_tensor_type()) return ElementType::kUndefined;
  try {
    return onnxfe::element_type_from_onnx(v.type().tensor_type().elem_type(), v.name());
  } catch (const Error&) {
    return ElementType::kUndefined;
  }
}

Tensor as_declared(Tensor t, ElementType declared) {
  if (declared == ElementType::kBF16 && t.type() == ElementType::kU16)
    return Tensor::from_bytes(declared, t.shape(), t.bytes(), t.byte_size());
  return t;
}

// Empty when equal, else what differs.
std::string compare(const Tensor& got, const Tensor& want, Tolerance tol) {
  bool widened = got.type() == ElementType::kF32 &&
                 (want.type() == ElementType::kF16 || want.type() == ElementType::kBF16);
  if (got.type() != want.type() && !widened)
    return "type " + to_string(got.type()) + ", expected " + to_string(want.type());
  if (got.shape() != want.shape())
    return "shape " + to_string(got.shape()) + ", expected " + to_string(want.shape());
  bool is_float = type_info(want.type()).is_float;
  for (int64_t i = 0; i < want.size(); ++i) {
    double a = got.value_as_double(i), b = want.value_as_double(i);
    bool ok = is_float ? (std::isnan(a) && std::isnan(b)) || a == b ||
                             std::abs(a - b) <= tol.abs + tol.rel * std::abs(b)
                       : a == b;
    if (!ok) {
      std::ostringstream s;
      s << "element " << i << " is " << a << ", expected " << b;
      return s.str();
    }
  }
  return "";
}

std::vector<std::string> data_sets(const std::string& dir) {
  std::vector<std::string> sets;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_directory() && e.path().filename().string().rfind("test_data_set_", 0) == 0)
      sets.push_back(e.path());
  std::sort(sets.begin(), sets.end());
  return sets;
}

// Runs every data set of one test; empty when all match, else the first problem.
std::string run_case(const Case& c) {
  std::string dir = data_root() + "/" + c.name;
  onnx::ModelProto m = onnxio::load_model(dir + "/model.onnx");
  Graph g = onnxfe::import_model(m, {}, c.name);
  std::set<std::string> inits;
  for (const auto& t : m.graph().initializer()) inits.insert(t.name());
  std::vector<const onnx::ValueInfoProto*> inputs;
  for (const auto& in : m.graph().input())
    if (!inits.count(in.name())) inputs.push_back(&in);
  auto tol_it = op_tolerance().find(c.op);
  Tolerance tol = tol_it != op_tolerance().end() ? tol_it->second : Tolerance{1e-4, 1e-3};
  for (const auto& set : data_sets(dir)) {
    std::vector<runtime::NamedTensor> feed;
    for (size_t i = 0; i < inputs.size(); ++i) {
      std::string f = set + "/input_" + std::to_string(i) + ".pb";
      if (fs::exists(f))
        feed.push_back({inputs[i]->name(), as_declared(read_tensor(f), declared_type(*inputs[i]))});
    }
    // One Result per graph output, in order (a pass-through output's port is named after its source).
    auto outs = runtime::run_reference(g, feed);
    if (static_cast<int>(outs.size()) != m.graph().output_size())
      return std::to_string(outs.size()) + " outputs, expected " + std::to_string(m.graph().output_size());
    for (int i = 0; i < m.graph().output_size(); ++i) {
      const auto& out = m.graph().output(i);
      const std::string& name = out.name();
      Tensor want =
          as_declared(read_tensor(set + "/output_" + std::to_string(i) + ".pb"), declared_type(out));
      std::string diff = compare(outs[static_cast<size_t>(i)].value, want, tol);
      if (!diff.empty()) return fs::path(set).filename().string() + " output '" + name + "': " + diff;
    }
  }
  return "";
}

std::string problem_of(const Case& c) {
  try {
    return run_case(c);
  } catch (const std::exception& e) {
    return e.what();
  }
}

class OnnxNodeTest : public ::testing::TestWithParam<Case> {};

TEST_P(OnnxNodeTest, MatchesExpectedOutputs) {
  const Case& c = GetParam();
  std::string problem = problem_of(c);
  auto gap = known_gaps().find(c.name);
  if (problem.empty()) {
    if (gap != known_gaps().end()) std::cout << c.name << " passes now: remove it from known_gaps()\n";
    return;
  }
  if (gap != known_gaps().end()) GTEST_SKIP() << "known gap: " << gap->second << " (" << problem << ")";
  FAIL() << c.name << " (" << c.op << "): " << problem;
}

INSTANTIATE_TEST_SUITE_P(Node, OnnxNodeTest, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<Case>& info) { return info.param.name; });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(OnnxNodeTest);

TEST(OnnxConformance, TestDataPresent) {
  if (!fs::is_directory(data_root()))
    GTEST_SKIP() << "ONNX node tests not found at " << data_root()
                 << ": install Debian's libonnx-testdata (scripts/install-deps.sh) or set Q8_ONNX_TESTDATA";
  EXPECT_FALSE(cases().empty()) << "no node test uses only supported ops";
}

struct Tally {
  int pass = 0, total = 0, gaps = 0;
};

std::string format_table(const std::map<std::string, Tally>& rows) {
  std::ostringstream s;
  Tally sum;
  s << "ONNX node tests through the frontend and the reference executor: pass/total per op\n";
  for (const auto& [op, t] : rows) {
    s << "  " << op << std::string(op.size() < 28 ? 28 - op.size() : 1, ' ') << t.pass << "/" << t.total;
    if (t.gaps) s << "  (" << t.gaps << " known gap" << (t.gaps > 1 ? "s" : "") << ")";
    s << "\n";
    sum.pass += t.pass;
    sum.total += t.total;
    sum.gaps += t.gaps;
  }
  s << "  total" << std::string(23, ' ') << sum.pass << "/" << sum.total << "  (" << sum.gaps
    << " known gaps)\n";
  return s.str();
}

// Runs every case once more in this one process (ctest runs each test above in its own) to
// print the table; the verdicts are the per-case tests'.
TEST(OnnxConformance, Table) {
  if (cases().empty()) GTEST_SKIP() << "no ONNX node tests found at " << data_root();
  std::map<std::string, Tally> rows;
  for (const Case& c : cases()) {
    Tally& t = rows[c.op];
    ++t.total;
    if (problem_of(c).empty())
      ++t.pass;
    else if (known_gaps().count(c.name))
      ++t.gaps;
  }
  std::string table = format_table(rows);
  std::cout << table;
  std::ofstream(test::bin_dir() + "/../conformance.txt") << table;
}

}  // namespace
}  // namespace q8
