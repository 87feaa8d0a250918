// int8-run eval: top-1/top-5 and COCO mAP through the CLI on tiny hand-checked models
// (tests/fixtures/eval/gen_eval_models.py documents the expected numbers).
#include <gtest/gtest.h>

#include "dataset/coco.h"
#include "test_support.h"

namespace q8 {
namespace {

std::string eval_fx(const std::string& rel) {
  return test::fixture("eval/" + rel);
}

std::string last_line(const std::string& s) {
  size_t end = s.find_last_not_of('\n');
  if (end == std::string::npos) return "";
  size_t start = s.rfind('\n', end);
  return s.substr(start == std::string::npos ? 0 : start + 1,
                  end - (start == std::string::npos ? 0 : start + 1) + 1);
}

TEST(Int8RunEval, TopOneAndTopFiveByHand) {
  auto top1 =
      test::run_tool("int8-run", {"eval", "-m", eval_fx("scores6.onnx"), "--dataset", eval_fx("scores6.npy"),
                                  "--annotations", eval_fx("scores6_labels.txt"), "--metric", "top1"});
  ASSERT_EQ(top1.exit_code, 0) << top1.err;
  EXPECT_EQ(last_line(top1.out), "top1: 40.00") << top1.out;
  EXPECT_NE(top1.out.find("top5: 80.00"), std::string::npos) << top1.out;
  EXPECT_NE(top1.out.find("images: 5"), std::string::npos) << top1.out;
  auto top5 =
      test::run_tool("int8-run", {"eval", "-m", eval_fx("scores6.onnx"), "--dataset", eval_fx("scores6.npy"),
                                  "--annotations", eval_fx("scores6_labels.txt"), "--metric", "top5"});
  EXPECT_EQ(last_line(top5.out), "top5: 80.00") << top5.out;
  // --limit 2: rows 0 (hit) and 1 (top-5 only).
  auto two =
      test::run_tool("int8-run", {"eval", "-m", eval_fx("scores6.onnx"), "--dataset", eval_fx("scores6.npy"),
                                  "--annotations", eval_fx("scores6_labels.txt"), "--limit", "2"});
  EXPECT_EQ(last_line(two.out), "top1: 50.00") << two.out;
  // --label-offset 1 shifts every label by one: row 2's label 5 becomes 6, out of range for 6 classes.
  auto off =
      test::run_tool("int8-run", {"eval", "-m", eval_fx("scores6.onnx"), "--dataset", eval_fx("scores6.npy"),
                                  "--annotations", eval_fx("scores6_labels.txt"), "--label-offset", "1"});
  EXPECT_EQ(off.exit_code, 2) << off.err;
  EXPECT_NE(off.err.find("scores6.npy[2]"), std::string::npos) << off.err;  // label 6 of 6 classes
}

TEST(Int8RunEval, CocoMapOfAFixedDetectorByHand) {
  // fixed_det.onnx answers every image with cat 1 at the top-left quarter (.9) and cat 2 at the
  // bottom-right quarter (.8); on the 6x4 images these are [0,0,3,2] and [3,2,3,2] in pixels.
  // Image 3 (a.png) has only the cat-1 box, image 7 (b.png) both: cat 1 has AP 1; cat 2 has its
  // false positive (image 3) ranked before its true positive (same score, lower image id first),
  // so precision 1/2 at every recall: AP .5. mAP = .75 at every IoU threshold.
  test::TempDir tmp;
  test::write(tmp.file("gt.json"), R"({"images":[{"id":7,"file_name":"b.png","width":6,"height":4},
    {"id":3,"file_name":"a.png","width":6,"height":4}],
   "annotations":[{"id":1,"image_id":3,"category_id":1,"bbox":[0,0,3,2],"area":6,"iscrowd":0},
    {"id":2,"image_id":7,"category_id":1,"bbox":[0,0,3,2],"area":6,"iscrowd":0},
    {"id":3,"image_id":7,"category_id":2,"bbox":[3,2,3,2],"area":6,"iscrowd":0}],
   "categories":[{"id":1,"name":"one"},{"id":2,"name":"two"}]})");
  auto r = test::run_tool("int8-run", {"eval", "-m", eval_fx("fixed_det.onnx"), "--dataset",
                                       test::fixture("images/dir"), "--annotations", tmp.file("gt.json"),
                                       "--metric", "coco_map", "--detections", tmp.file("dets.json")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(last_line(r.out), "coco_map: 75.00") << r.out;
  EXPECT_NE(r.out.find("coco_map50: 75.00"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.750"),
            std::string::npos)
      << r.out;
  auto dets = dataset::read_coco_results(tmp.file("dets.json"));
  ASSERT_EQ(dets.size(), 4u);  // two per image; the row after the -1 terminator is not read
  EXPECT_EQ(dets[0].image_id, 7);
  EXPECT_EQ(dets[0].bbox, (std::array<double, 4>{0, 0, 3, 2}));
  EXPECT_EQ(dets[1].category_id, 2);
  EXPECT_EQ(dets[1].bbox, (std::array<double, 4>{3, 2, 3, 2}));

  // --score-threshold .85 drops the cat-2 detections: cat 2 AP 0, mAP .5.
  auto t = test::run_tool("int8-run", {"eval", "-m", eval_fx("fixed_det.onnx"), "--dataset",
                                       test::fixture("images/dir"), "--annotations", tmp.file("gt.json"),
                                       "--metric", "coco_map", "--score-threshold", "0.85"});
  EXPECT_EQ(last_line(t.out), "coco_map: 50.00") << t.out;
}

TEST(Int8RunEval, BadRequestsFailClearly) {
  struct Case {
    std::vector<std::string> args;
    int code;
    std::string expect;
  };
  test::TempDir tmp;
  test::write(tmp.file("bad.json"), R"({"images":[{"id":1,"file_name":"a.png"}],"annotations":[)");
  for (const Case& c : std::vector<Case>{
           {{"eval", "-m", eval_fx("scores6.onnx"), "--dataset", eval_fx("scores6.npy")}, 1, "needs labels"},
           {{"eval", "-m", eval_fx("scores6.onnx"), "--dataset", eval_fx("scores6.npy"), "--annotations",
             eval_fx("scores6_labels.txt"), "--metric", "top3"},
            1,
            "top3"},
           {{"eval", "-m", eval_fx("fixed_det.onnx"), "--dataset", test::fixture("images/dir"), "--metric",
             "coco_map"},
            1,
            "COCO json"},
           {{"eval", "-m", eval_fx("fixed_det.onnx"), "--dataset", test::fixture("images/dir"),
             "--annotations", tmp.file("bad.json"), "--metric", "coco_map"},
            2,
            "bad.json"},
           {{"eval", "-m", eval_fx("scores6.onnx"), "--dataset", tmp.file("none")}, 2, "does not exist"},
           {{"eval", "-m", eval_fx("scores6.onnx")}, 1, "--dataset"},
       }) {
    auto r = test::run_tool("int8-run", c.args);
    EXPECT_EQ(r.exit_code, c.code) << c.expect << ": " << r.err;
    EXPECT_NE(r.err.find(c.expect), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
  }
}

}  // namespace
}  // namespace q8
