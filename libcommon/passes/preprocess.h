#pragma once
// Input preprocessing mo bakes into the model: x_model = (reverse(x) - mean[c]) / scale[c].
#include <string>
#include <vector>

#include "graph/graph.h"

namespace q8::passes {

struct InputPreprocess {
  std::string input;          // Parameter name
  std::vector<double> mean;   // per channel (model's channel order) or one value; empty: none
  std::vector<double> scale;  // per channel or one value; empty: none
  bool reverse_channels = false;
};

// Inserts, after each named Parameter, Gather([2,1,0]) on the channel axis (when
// reverse_channels and the input has 3 channels), Subtract(mean) and Divide(scale), as
// explicit ops so the IR computes exactly that. The channel axis is 1 (NCHW). A mean/scale
// whose length is neither 1 nor the channel count is a usage error naming the input.
void apply_preprocessing(Graph& g, const std::vector<InputPreprocess>& specs);

}  // namespace q8::passes
