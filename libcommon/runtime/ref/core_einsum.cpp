// Einsum-7 for any number of operands: every label combination is visited once and the
// product of operand elements is added to the output element its output labels name.
// Repeated labels take diagonals, "..." dims broadcast numpy-style (right-aligned).
#include <algorithm>
#include <map>

#include "runtime/ref/families.h"
#include "runtime/ref/util.h"

namespace q8::ref {
namespace {

constexpr int kEllipsisLabel = 1000;  // ellipsis dim k (right-aligned) is label kEllipsisLabel + k

// Parses one term ("ab...c") into labels, expanding "..." to `rank` minus the letters.
std::vector<int> parse_term(const std::string& term, int64_t rank, int64_t& ellipsis_dims,
                            int64_t max_ellipsis) {
  std::vector<int> letters_before, letters_after;
  bool seen = false;
  for (size_t i = 0; i < term.size(); ++i) {
    if (term.compare(i, 3, "...") == 0) {
      if (seen) throw_bad_input("Einsum term '" + term + "' has two ellipses");
      seen = true;
      i += 2;
    } else if (std::isalpha(static_cast<unsigned char>(term[i]))) {
      (seen ? letters_after : letters_before).push_back(term[i]);
    } else if (term[i] != ' ') {
      throw_bad_input("Einsum term '" + term + "' has an invalid character");
    }
  }
  int64_t letters = static_cast<int64_t>(letters_before.size() + letters_after.size());
  ellipsis_dims = seen ? (rank < 0 ? max_ellipsis : rank - letters) : 0;
  if (ellipsis_dims < 0 || (rank >= 0 && !seen && letters != rank))
    throw_bad_input("Einsum term '" + term + "' does not match an operand of rank " + std::to_string(rank));
  std::vector<int> labels = letters_before;
  for (int64_t k = max_ellipsis - ellipsis_dims; k < max_ellipsis; ++k)
    labels.push_back(kEllipsisLabel + static_cast<int>(k));
  labels.insert(labels.end(), letters_after.begin(), letters_after.end());
  return labels;
}

std::vector<std::string> split_terms(const std::string& s) {
  std::vector<std::string> terms{""};
  for (char c : s) {
    if (c == ',')
      terms.emplace_back();
    else
      terms.back() += c;
  }
  return terms;
}

// Implicit output: ellipsis dims, then letters used exactly once, alphabetically.
std::vector<int> implicit_output(const std::vector<std::vector<int>>& terms, int64_t max_ellipsis) {
  std::map<int, int> uses;
  for (const auto& t : terms)
    for (int l : t) uses[l]++;
  std::vector<int> out;
  for (int64_t k = 0; k < max_ellipsis; ++k) out.push_back(kEllipsisLabel + static_cast<int>(k));
  for (const auto& [l, count] : uses)
    if (l < kEllipsisLabel && count == 1) out.push_back(l);
  return out;
}

std::vector<Tensor> einsum(const Node& n, const std::vector<Tensor>& in) {
  expect_inputs(in, 1);
  std::string eq = n.attr<std::string>("equation");
  size_t arrow = eq.find("->");
  std::vector<std::string> terms = split_terms(eq.substr(0, arrow));
  if (terms.size() != in.size())
    throw_bad_input("Einsum equation '" + eq + "' does not match the input count");
  int64_t max_ellipsis = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    int64_t e = 0;
    parse_term(terms[i], static_cast<int64_t>(in[i].shape().size()), e, 1 << 20);
    max_ellipsis = std::max(max_ellipsis, e);
  }
  std::vector<std::vector<int>> labels;
  std::map<int, int64_t> dims;
  for (size_t i = 0; i < in.size(); ++i) {
    int64_t e = 0;
    labels.push_back(parse_term(terms[i], static_cast<int64_t>(in[i].shape().size()), e, max_ellipsis));
    for (size_t d = 0; d < labels[i].size(); ++d) {
      int64_t size = in[i].shape()[d];
      int64_t& known = dims.emplace(labels[i][d], size).first->second;
      if (known == 1)
        known = size;
      else if (size != known && size != 1)
        throw_bad_input("Einsum label sizes differ in '" + eq + "'");
    }
  }
  int64_t unused = 0;
  std::vector<int> out_labels = arrow == std::string::npos
                                    ? implicit_output(labels, max_ellipsis)
                                    : parse_term(eq.substr(arrow + 2), -1, unused, max_ellipsis);
  Shape out_shape;
  for (int l : out_labels) {
    if (!dims.count(l)) throw_bad_input("Einsum output label is not in any input of '" + eq + "'");
    out_shape.push_back(dims[l]);
  }
  // Every label gets a position in one odometer; operands and output read positions through strides.
  std::vector<int> all;
  Shape all_dims;
  for (const auto& [l, size] : dims) all.push_back(l), all_dims.push_back(size);
  auto pos_of = [&](int l) {
    return static_cast<size_t>(std::find(all.begin(), all.end(), l) - all.begin());
  };
  auto strides_for = [&](const std::vector<int>& ls, const Shape& shape) {
    Shape own = strides_of(shape), st(all.size(), 0);
    for (size_t d = 0; d < ls.size(); ++d)
      if (shape[d] != 1) st[pos_of(ls[d])] += own[d];
    return st;
  };
  std::vector<Shape> in_st;
  std::vector<std::vector<double>> values;
  for (size_t i = 0; i < in.size(); ++i) {
    in_st.push_back(strides_for(labels[i], in[i].shape()));
    std::vector<double> v(static_cast<size_t>(in[i].size()));
    for (size_t k = 0; k < v.size(); ++k) v[k] = in[i].value_as_double(static_cast<int64_t>(k));
    values.push_back(std::move(v));
  }
  Shape out_st = strides_for(out_labels, out_shape);
  std::vector<double> acc(static_cast<size_t>(num_elements(out_shape)));
  for_each_index(all_dims, [&](const Shape& idx, int64_t) {
    double prod = 1;
    for (size_t i = 0; i < in.size(); ++i) {
      int64_t off = 0;
      for (size_t d = 0; d < idx.size(); ++d) off += idx[d] * in_st[i][d];
      prod *= values[i][static_cast<size_t>(off)];
    }
    int64_t o = 0;
    for (size_t d = 0; d < idx.size(); ++d) o += idx[d] * out_st[d];
    acc[static_cast<size_t>(o)] += prod;
  });
  Tensor out(in[0].type(), out_shape);
  dispatch_type(out.type(), [&](auto tag) {
    using T = decltype(tag);
    for (size_t k = 0; k < acc.size(); ++k) out.mutable_data<T>()[k] = saturate_cast<T>(acc[k]);
  });
  return {out};
}

}  // namespace

void register_einsum(KernelTable& t) {
  t.add("Einsum", einsum);
}

}  // namespace q8::ref
