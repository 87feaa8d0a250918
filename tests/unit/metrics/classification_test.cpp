#include <gtest/gtest.h>

#include <vector>

#include "metrics/classification.h"
#include "metrics_test_util.h"

namespace q8::metrics {
namespace {

using test_util::expect_error;

TEST(MetricsTopK, EmptyIsZero) {
  TopK k;
  EXPECT_EQ(k.count(), 0u);
  EXPECT_EQ(k.top1(), 0.0);
  EXPECT_EQ(k.top5(), 0.0);
}

TEST(MetricsTopK, CountsTop1AndTop5) {
  TopK k;
  const std::vector<float> s = {0.1f, 0.7f, 0.05f, 0.3f, 0.2f, 0.0f, 0.01f, 0.02f};
  k.add(s, 1, "a");  // rank 0: top-1 and top-5
  k.add(s, 4, "b");  // rank 2 (0.7, 0.3 above): top-5 only
  k.add(s, 7, "c");  // 0.02 has 5 scores above (0.7, 0.3, 0.2, 0.1, 0.05): outside the top 5
  k.add(s, 2, "d");  // 0.05 is 5th best (rank 4): top-5
  EXPECT_EQ(k.count(), 4u);
  EXPECT_DOUBLE_EQ(k.top1(), 25.0);
  EXPECT_DOUBLE_EQ(k.top5(), 75.0);
}

TEST(MetricsTopK, TiesRankLowerIndexFirst) {
  const std::vector<float> same(7, 1.0f);
  TopK first, fifth, sixth;
  first.add(same, 0, "x");  // nothing before index 0
  fifth.add(same, 4, "x");  // indices 0..3 rank before it: rank 4, still top-5
  sixth.add(same, 5, "x");  // rank 5: outside
  EXPECT_DOUBLE_EQ(first.top1(), 100.0);
  EXPECT_DOUBLE_EQ(fifth.top1(), 0.0);
  EXPECT_DOUBLE_EQ(fifth.top5(), 100.0);
  EXPECT_DOUBLE_EQ(sixth.top5(), 0.0);
  // A tie with a higher-index class does not push the label down.
  TopK k;
  k.add(std::vector<float>{0.2f, 0.5f, 0.5f}, 1, "x");
  EXPECT_DOUBLE_EQ(k.top1(), 100.0);
}

TEST(MetricsTopK, FewerThanFiveClassesAlwaysTop5) {
  TopK k;
  k.add(std::vector<float>{0.9f, 0.05f, 0.05f}, 2, "x");
  EXPECT_DOUBLE_EQ(k.top1(), 0.0);
  EXPECT_DOUBLE_EQ(k.top5(), 100.0);
}

TEST(MetricsTopK, LabelOutOfRangeNamesWhatAndRange) {
  TopK k;
  const std::vector<float> s = {0.1f, 0.2f, 0.3f};
  expect_error([&] { k.add(s, 3, "val_map.txt:12"); }, ErrorKind::kBadInput,
               {"val_map.txt:12", "3", "[0, 3)"});
  expect_error([&] { k.add(s, -1, "cat.jpg"); }, ErrorKind::kBadInput, {"cat.jpg", "-1", "[0, 3)"});
  expect_error([&] { k.add(std::vector<float>{}, 0, "empty.jpg"); }, ErrorKind::kBadInput, {"empty.jpg"});
  EXPECT_EQ(k.count(), 0u);  // failed adds do not count
}

TEST(MetricsTopK, PredictedClassCountsForBoth) {
  TopK k;
  k.add_predicted(3, 3);
  k.add_predicted(2, 3);
  k.add_predicted(7, 7);
  k.add_predicted(0, 1);
  EXPECT_EQ(k.count(), 4u);
  EXPECT_DOUBLE_EQ(k.top1(), 50.0);
  EXPECT_DOUBLE_EQ(k.top5(), 50.0);
}

}  // namespace
}  // namespace q8::metrics
