// Einsum-7: the output shape follows from the equation's subscripts. Each letter names one
// dim (equal wherever it appears); "..." covers broadcast dims shared by every operand.
#include <cctype>
#include <map>

#include "base/error.h"
#include "base/strings.h"
#include "graph/infer/infer_util.h"

namespace q8::infer {

namespace {

// One operand's subscript split into letters, with "..." kept as the token '.'.
std::string tokens(std::string_view sub) {
  std::string out;
  for (size_t i = 0; i < sub.size(); ++i) {
    if (sub.substr(i, 3) == "...") {
      if (out.find('.') != std::string::npos) throw_bad_input("Einsum subscript has two ellipses");
      out += '.';
      i += 2;
    } else if (std::isalpha(static_cast<unsigned char>(sub[i]))) {
      out += sub[i];
    } else {
      throw_bad_input("Einsum subscript has an invalid character '" + std::string(1, sub[i]) + "'");
    }
  }
  return out;
}

// Implicit output: the ellipsis, then letters used exactly once, in alphabetical order.
std::string implicit_output(const std::vector<std::string>& inputs) {
  std::map<char, int> uses;
  bool ellipsis = false;
  for (const auto& t : inputs)
    for (char c : t) c == '.' ? void(ellipsis = true) : void(++uses[c]);
  std::string out = ellipsis ? "." : "";
  for (const auto& [c, count] : uses)
    if (count == 1) out += c;
  return out;
}

struct Labels {
  std::map<char, Dim> dims;
  PartialShape ellipsis;  // broadcast of every operand's ellipsis dims
  bool dynamic = false;   // an operand of dynamic rank hides its dims
};

void bind_operand(Labels& l, const std::string& sub, const PartialShape& s) {
  if (s.rank_dynamic) {
    l.dynamic = true;
    return;
  }
  size_t fixed = sub.size() - (sub.find('.') != std::string::npos ? 1 : 0);
  size_t ell_rank = s.rank() >= fixed ? s.rank() - fixed : 0;
  if (s.rank() < fixed || (ell_rank > 0 && sub.find('.') == std::string::npos))
    throw_bad_input("Einsum subscript '" + sub + "' does not match an operand of shape " + s.to_string());
  size_t d = 0;
  for (char c : sub) {
    if (c == '.') {
      PartialShape e;
      e.dims.assign(s.dims.begin() + static_cast<long>(d), s.dims.begin() + static_cast<long>(d + ell_rank));
      l.ellipsis = broadcast(l.ellipsis, e, "numpy");
      d += ell_rank;
      continue;
    }
    auto it = l.dims.find(c);
    Dim v = s.dims[d++];
    l.dims[c] = it == l.dims.end() ? v : merge_dims(it->second, v, std::string("Einsum label '") + c + "'");
  }
}

}  // namespace

std::vector<PortInfo> einsum(const Node& n, const InferInputs& in) {
  std::string eq;
  for (char c : n.attr<std::string>("equation"))
    if (c != ' ') eq += c;
  size_t arrow = eq.find("->");
  std::vector<std::string> subs;
  for (const auto& s : split(eq.substr(0, arrow), ',')) subs.push_back(tokens(s));
  if (subs.size() != in.ports.size())
    throw_bad_input("Einsum equation has " + std::to_string(subs.size()) + " operands, the node " +
                    std::to_string(in.ports.size()));
  std::string out_sub = arrow == std::string::npos ? implicit_output(subs) : tokens(eq.substr(arrow + 2));
  Labels l;
  for (size_t i = 0; i < subs.size(); ++i) bind_operand(l, subs[i], shape_of(in, i));
  if (l.dynamic) return one(type_of(in, 0), PartialShape::dynamic_rank());
  PartialShape out;
  for (char c : out_sub) {
    if (c == '.') {
      out.dims.insert(out.dims.end(), l.ellipsis.dims.begin(), l.ellipsis.dims.end());
    } else if (!l.dims.count(c)) {
      throw_bad_input(std::string("Einsum output label '") + c + "' is not in any input");
    } else {
      out.dims.push_back(l.dims[c]);
    }
  }
  return one(type_of(in, 0), out);
}

}  // namespace q8::infer
