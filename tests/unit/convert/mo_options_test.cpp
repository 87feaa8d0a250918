#include <gtest/gtest.h>

#include "base/error.h"
#include "convert/mo_options.h"

namespace q8::tools {
namespace {

TEST(MoOptions, InputsWithShapesAndTypes) {
  auto specs = parse_inputs("image[1 3 224 224]{f32},mask[1,?,4],plain");
  ASSERT_EQ(specs.size(), 3u);
  EXPECT_EQ(specs[0].name, "image");
  EXPECT_EQ(specs[0].shape->to_string(), "[1,3,224,224]");
  EXPECT_EQ(specs[0].type, ElementType::kF32);
  EXPECT_EQ(specs[1].shape->to_string(), "[1,?,4]");
  EXPECT_FALSE(specs[2].shape);
  EXPECT_THROW(parse_inputs("image[1,3"), Error);
  EXPECT_THROW(parse_inputs("image{f33}"), Error);
}

TEST(MoOptions, ShapesInEverySpelling) {
  EXPECT_EQ(parse_shapes("[1,3,1200,1200]")[0].to_string(), "[1,3,1200,1200]");
  EXPECT_EQ(parse_shapes("(1, 224, 224, 3)")[0].to_string(), "[1,224,224,3]");
  auto two = parse_shapes("[1,3,224,224],[1,10]");
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[1].to_string(), "[1,10]");
  EXPECT_THROW(parse_shapes("1,3,224,224"), Error);
  EXPECT_THROW(parse_shapes("[1,x]"), Error);
}

TEST(MoOptions, MeanAndScaleValues) {
  auto plain = parse_named_values("[123.675,116.28,103.53]", "--mean_values");
  ASSERT_EQ(plain.size(), 1u);
  EXPECT_EQ(plain[0].first, "");
  EXPECT_EQ(plain[0].second, (std::vector<double>{123.675, 116.28, 103.53}));
  auto named = parse_named_values("image[58.395,57.12,57.375],depth[1]", "--scale_values");
  ASSERT_EQ(named.size(), 2u);
  EXPECT_EQ(named[0].first, "image");
  EXPECT_EQ(named[1].second, (std::vector<double>{1}));
  EXPECT_THROW(parse_named_values("[1,a]", "--mean_values"), Error);
  EXPECT_THROW(parse_named_values("image", "--mean_values"), Error);
}

TEST(MoOptions, DataTypes) {
  EXPECT_TRUE(is_fp16("FP16"));
  EXPECT_TRUE(is_fp16("half"));
  EXPECT_FALSE(is_fp16("FP32"));
  EXPECT_FALSE(is_fp16("float"));
  EXPECT_THROW(is_fp16("DIR"), Error);
}

}  // namespace
}  // namespace q8::tools
