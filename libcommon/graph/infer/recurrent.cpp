// RNN/GRU/LSTM cells and sequences: outputs are [batch, hidden_size] per step state, and
// for sequences Y [batch, directions, seq_len, hidden] with final states [batch, directions, hidden].
#include "base/error.h"
#include "graph/infer/infer.h"
#include "graph/infer/infer_util.h"

namespace q8::infer {

namespace {

Dim dim_or_dynamic(const PartialShape& s, size_t i) {
  return s.rank_dynamic || i >= s.rank() ? Dim::dynamic() : s.dims[i];
}

// Cells: X [batch, input_size], H [batch, hidden] (LSTM also C); outputs [batch, hidden].
std::vector<PortInfo> cell(const Node& n, const InferInputs& in) {
  const PartialShape &x = shape_of(in, 0), &h = shape_of(in, 1);
  require_rank(x, {2}, "X");
  require_rank(h, {2}, "initial hidden state");
  int64_t hidden = n.attr<int64_t>("hidden_size");
  Dim batch = merge_dims(dim_or_dynamic(x, 0), dim_or_dynamic(h, 0), "batch of X and the hidden state");
  merge_dims(dim_or_dynamic(h, 1), Dim::fixed(hidden), "hidden state dim vs hidden_size");
  PortInfo out{type_of(in, 0), make_shape({batch, Dim::fixed(hidden)}), {}};
  return std::vector<PortInfo>(n.def().type == "LSTMCell" ? 2 : 1, out);
}

// Sequences: X [batch, seq_len, input_size], H [batch, directions, hidden], seq_lengths [batch].
std::vector<PortInfo> sequence(const Node& n, const InferInputs& in) {
  const PartialShape &x = shape_of(in, 0), &h = shape_of(in, 1);
  require_rank(x, {3}, "X");
  require_rank(h, {3}, "initial hidden state");
  bool lstm = n.def().type == "LSTMSequence";
  require_rank(shape_of(in, lstm ? 3 : 2), {1}, "sequence_lengths");
  int64_t hidden = n.attr<int64_t>("hidden_size");
  int64_t dirs = n.attr<std::string>("direction") == "bidirectional" ? 2 : 1;
  Dim batch = merge_dims(dim_or_dynamic(x, 0), dim_or_dynamic(h, 0), "batch of X and the hidden state");
  merge_dims(dim_or_dynamic(h, 1), Dim::fixed(dirs), "hidden state directions vs direction");
  merge_dims(dim_or_dynamic(h, 2), Dim::fixed(hidden), "hidden state dim vs hidden_size");
  ElementType t = type_of(in, 0);
  PortInfo y{t, make_shape({batch, Dim::fixed(dirs), dim_or_dynamic(x, 1), Dim::fixed(hidden)}), {}};
  PortInfo state{t, make_shape({batch, Dim::fixed(dirs), Dim::fixed(hidden)}), {}};
  std::vector<PortInfo> outs = {y, state};
  if (lstm) outs.push_back(state);
  return outs;
}

}  // namespace

void register_recurrent(OpRegistry& r) {
  for (const char* t : {"RNNCell", "GRUCell", "LSTMCell"}) r.set_infer(t, cell);
  for (const char* t : {"RNNSequence", "GRUSequence", "LSTMSequence"}) r.set_infer(t, sequence);
}

}  // namespace q8::infer
