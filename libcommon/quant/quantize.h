#pragma once
// Where FakeQuantize goes and how it is inserted. A QuantPlan is computed on the FP32/FP16 graph
// (find_plan), filled with ranges from calibration (pot.cpp), and applied to a copy of the graph
// (apply_plan), so the accuracy-aware search can re-apply it with layers reverted to FP32.
//
// Placement (what the CPU runtime keeps in integer arithmetic, as POT's CPU preset):
//   Convolution, GroupConvolution, MatMul: the activation input(s) and the weights (Const,
//     possibly behind a decompression Convert) get FakeQuantize;
//   Add of two compute-layer outputs (residuals; not box-decoding arithmetic), MaxPool/AvgPool, Concat:
//     their activation inputs;
//   the inputs of one Concat share one range (unified scales).
// One activation tensor feeding several quantized layers gets one FakeQuantize they share.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "quant/config.h"
#include "quant/range.h"

namespace q8::quant {

struct QuantLayer {
  int node_id = -1;
  std::string name, type;
  std::vector<int> sites;    // activation sites on its inputs
  int weight_input = -1;     // input index of its Const weights (-1: none)
  int weight_const_id = -1;  // the Const node
  int channel_axis = 0;      // axis of the weights that holds output channels (per-channel ranges)
  std::vector<int64_t> range_shape;  // per-channel range constant shape, broadcastable to the weights
  FqParams weight_fq;
  int bias_const_id = -1;    // the Const of a per-channel Add right after it (FastBiasCorrection), -1 none
  int64_t channels = 0;      // output channels (the bias length)
  std::vector<float> bias_shift;  // FastBiasCorrection: added to the bias when the layer is quantized
};

struct ActivationSite {
  int producer_id = -1, port = 0;
  std::string name;  // the tensor's name (runtime::output_name)
  std::vector<std::pair<int, int>> consumers;  // (layer node id, input index) reading it through the FQ
  int group = -1;                              // Concat unification: sites with one group share a range
  // From calibration:
  bool unsigned_range = false;
  Range range;
  RangeType chosen = RangeType::kMeanMinMax;
  FqParams fq;
};

struct QuantPlan {
  std::vector<QuantLayer> layers;
  std::vector<ActivationSite> sites;
  std::set<std::string> reverted;  // layer names left in FP32 (ignored scope, accuracy-aware)
};

// Finds the layers to quantize and their activation sites. A graph that already holds
// FakeQuantize is a bad-input error. `ignored`: layer names never quantized (an unknown name is a
// usage error naming it).
QuantPlan find_plan(const Graph& g, const std::vector<std::string>& ignored);

// Inserts the FakeQuantize nodes of `plan` (skipping reverted layers; a site whose consumers are all
// reverted gets none) into `g`, which must be a copy of the graph find_plan saw (same node ids).
// Range constants have the tensor's element type (f16 in FP16 IRs). Returns the number of
// FakeQuantize nodes inserted.
int apply_plan(Graph& g, const QuantPlan& plan);

// A deep copy through IR serialization: names and data kept, node ids renumbered in topological
// order. Ids of a clone's clone equal the clone's, so pot clones the model once, plans on that copy,
// and applies plans to further clones of it.
Graph clone(const Graph& g);

}  // namespace q8::quant
