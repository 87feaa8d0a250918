// Recurrent cells and sequences (opsets 1..5).
#include "graph/ops/ops.h"

namespace q8::ops {
using namespace decl;

namespace {
std::vector<AttrDef> rnn_attrs(std::vector<std::string> activations, bool sequence, bool gru) {
  std::vector<AttrDef> a;
  if (sequence) a.push_back(E("direction", {"forward", "reverse", "bidirectional"}));
  a.push_back(I("hidden_size"));
  a.push_back(Ss("activations", std::move(activations)));
  a.push_back(Fs("activations_alpha", {}));
  a.push_back(Fs("activations_beta", {}));
  a.push_back(F("clip", 0.0));
  if (gru) a.push_back(B("linear_before_reset", false));
  return a;
}
}  // namespace

void register_recurrent(OpRegistry& r) {
  r.add({"RNNCell", 1, rnn_attrs({"tanh"}, false, false), 5, 5, 1});
  r.add({"GRUCell", 3, rnn_attrs({"sigmoid", "tanh"}, false, true), 4, 5, 1});
  r.add({"LSTMCell", 4, rnn_attrs({"sigmoid", "tanh", "tanh"}, false, false), 6, 6, 2});
  r.add({"RNNSequence", 5, rnn_attrs({"tanh"}, true, false), 6, 6, 2});
  r.add({"GRUSequence", 5, rnn_attrs({"sigmoid", "tanh"}, true, true), 6, 6, 2});
  r.add({"LSTMSequence", 5, rnn_attrs({"sigmoid", "tanh", "tanh"}, true, false), 7, 7, 3});
}

}  // namespace q8::ops
