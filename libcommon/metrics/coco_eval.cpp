#include "metrics/coco_eval.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <unordered_map>

#include "base/error.h"

namespace q8::metrics {

namespace {

using dataset::CocoAnnotation;
using dataset::Detection;

// maskApi.c's bbIou for one pair, in its order of operations (the threshold comparisons are exact,
// so an IoU of exactly 0.6 must come out as the same double the reference gets).
double box_iou(const std::array<double, 4>& d, const std::array<double, 4>& g, bool crowd) {
  const double w = std::min(d[2] + d[0], g[2] + g[0]) - std::max(d[0], g[0]);
  if (w <= 0) return 0;
  const double h = std::min(d[3] + d[1], g[3] + g[1]) - std::max(d[1], g[1]);
  if (h <= 0) return 0;
  const double inter = w * h;
  const double da = d[2] * d[3];
  const double u = crowd ? da : da + g[2] * g[3] - inter;
  return inter / u;
}

// numpy's pairwise summation (what np.mean uses on a float64 array), so means agree to the last
// bit rather than to ~1e-16.
double pairwise_sum(const double* a, size_t n) {
  if (n < 8) {
    double res = 0.;
    for (size_t i = 0; i < n; ++i) res += a[i];
    return res;
  }
  if (n <= 128) {
    double r[8];
    for (size_t j = 0; j < 8; ++j) r[j] = a[j];
    size_t i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (size_t j = 0; j < 8; ++j) r[j] += a[i + j];
    }
    double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) res += a[i];
    return res;
  }
  size_t n2 = n / 2;
  n2 -= n2 % 8;
  return pairwise_sum(a, n2) + pairwise_sum(a + n2, n - n2);
}

// -1 when nothing is > -1, like summarize()'s `s[s>-1]`.
double mean_defined(const std::vector<double>& v) {
  std::vector<double> kept;
  kept.reserve(v.size());
  for (double x : v) {
    if (x > -1) kept.push_back(x);
  }
  if (kept.empty()) return -1;
  // The reduction runs over numpy's 8192-element buffers, each summed pairwise into the total.
  double sum = 0;
  for (size_t i = 0; i < kept.size(); i += 8192)
    sum += pairwise_sum(kept.data() + i, std::min<size_t>(8192, kept.size() - i));
  return sum / static_cast<double>(kept.size());
}

// Per-detection state after matching at one IoU threshold.
enum : uint8_t { kIgnored = 0, kTruePositive = 1, kFalsePositive = 2 };

// What evaluateImg() keeps for one (category, area range, image): its detections (score order,
// at most max_dets.back()) and their state per IoU threshold.
struct ImageEval {
  size_t first = 0;  // into Pool::scores; states at first*T
  size_t count = 0;
};

struct Pool {
  std::vector<double> scores;
  std::vector<uint8_t> states;  // [detection][threshold]
  std::vector<ImageEval> images;
  int64_t npig = 0;  // non-ignored gts over all images
};

}  // namespace

std::vector<double> linspace(double start, double stop, int num) {
  std::vector<double> y;
  if (num <= 0) return y;
  if (num == 1) return {start};
  const double step = (stop - start) / static_cast<double>(num - 1);
  y.resize(static_cast<size_t>(num));
  for (int i = 0; i < num; ++i) {
    // Two roundings like numpy's `arange * step` then `+= start` (no fused multiply-add here).
    volatile double prod = static_cast<double>(i) * step;
    y[static_cast<size_t>(i)] = prod + start;
  }
  y.back() = stop;
  return y;
}

CocoEvalParams::CocoEvalParams()
    : iou_thresholds(linspace(0.5, 0.95, 10)), recall_thresholds(linspace(0.0, 1.0, 101)) {}

CocoEvalResult evaluate_bbox(const dataset::CocoGroundTruth& gt, const std::vector<Detection>& dets,
                             const CocoEvalParams& p) {
  if (p.iou_thresholds.empty() || p.recall_thresholds.empty()) {
    throw_usage("cocoeval: IoU and recall thresholds must not be empty");
  }
  const std::vector<double>& iou_thrs = p.iou_thresholds;
  const std::vector<double>& rec_thrs = p.recall_thresholds;
  std::array<int, 3> max_dets = p.max_dets;
  std::sort(max_dets.begin(), max_dets.end());  // evaluate() sorts them too
  const size_t T = iou_thrs.size(), R = rec_thrs.size(), A = p.area_ranges.size(), M = max_dets.size();
  const size_t max_det_all = static_cast<size_t>(std::max(0, max_dets.back()));

  // Images and categories: the gt's, sorted and de-duplicated.
  std::vector<int64_t> img_ids, cat_ids;
  for (const auto& im : gt.images) img_ids.push_back(im.id);
  for (const auto& c : gt.categories) cat_ids.push_back(c.id);
  for (auto* v : {&img_ids, &cat_ids}) {
    std::sort(v->begin(), v->end());
    v->erase(std::unique(v->begin(), v->end()), v->end());
  }
  const size_t I = img_ids.size(), K = cat_ids.size();
  std::unordered_map<int64_t, size_t> img_index, cat_index;
  img_index.reserve(I);
  for (size_t i = 0; i < I; ++i) img_index.emplace(img_ids[i], i);
  for (size_t k = 0; k < K; ++k) cat_index.emplace(cat_ids[k], k);

  for (size_t j = 0; j < dets.size(); ++j) {
    if (!img_index.count(dets[j].image_id)) {
      throw_bad_input("detection " + std::to_string(j) + ": image id " + std::to_string(dets[j].image_id) +
                      " is not in the ground truth (pycocotools' loadRes rejects it)");
    }
  }

  // Bucket gts and dts by (category, image) once, keeping json order inside a bucket (the stable
  // sorts below depend on it). Without categories the key is (image, category), so one image's
  // items are one contiguous run in category order, as computeIoU() concatenates them.
  const size_t keys = I * K;
  auto key_of = [&](size_t k, size_t i) { return p.use_categories ? k * I + i : i * K + k; };
  auto bucket = [&](auto const& items, std::vector<size_t>& offsets, std::vector<size_t>& order) {
    std::vector<size_t> item_key(items.size(), SIZE_MAX);
    offsets.assign(keys + 1, 0);
    for (size_t j = 0; j < items.size(); ++j) {
      auto c = cat_index.find(items[j].category_id);
      auto im = img_index.find(items[j].image_id);
      if (c == cat_index.end() || im == img_index.end()) continue;  // not evaluated, as in _prepare()
      item_key[j] = key_of(c->second, im->second);
      ++offsets[item_key[j] + 1];
    }
    for (size_t q = 0; q < keys; ++q) offsets[q + 1] += offsets[q];
    order.assign(offsets[keys], 0);
    std::vector<size_t> fill(offsets.begin(), offsets.end() - 1);
    for (size_t j = 0; j < items.size(); ++j) {
      if (item_key[j] != SIZE_MAX) order[fill[item_key[j]]++] = j;
    }
  };
  std::vector<size_t> gt_off, gt_order, dt_off, dt_order;
  bucket(gt.annotations, gt_off, gt_order);
  bucket(dets, dt_off, dt_order);

  const size_t KE = p.use_categories ? K : 1;  // categories as accumulate() sees them
  std::vector<double> precision(T * R * KE * A * M, -1.0);
  std::vector<double> recall(T * KE * A * M, -1.0);
  auto prec_at = [&](size_t t, size_t r, size_t k, size_t a, size_t m) -> double& {
    return precision[(((t * R + r) * KE + k) * A + a) * M + m];
  };
  auto rec_at = [&](size_t t, size_t k, size_t a, size_t m) -> double& {
    return recall[((t * KE + k) * A + a) * M + m];
  };

  std::vector<Pool> pools(A);
  std::vector<size_t> g_idx, d_idx, g_sorted;
  std::vector<double> ious;
  std::vector<uint8_t> g_ign, g_crowd, g_matched;
  std::vector<int64_t> d_match_id;
  std::vector<uint8_t> d_ign;
  for (size_t k = 0; k < KE; ++k) {
    for (auto& pool : pools) pool = Pool{};
    for (size_t i = 0; i < I; ++i) {
      // evaluateImg() for (image i, category k) and every area range.
      const size_t lo = p.use_categories ? key_of(k, i) : i * K;
      const size_t hi = p.use_categories ? lo + 1 : lo + K;
      g_idx.assign(gt_order.begin() + static_cast<ptrdiff_t>(gt_off[lo]),
                   gt_order.begin() + static_cast<ptrdiff_t>(gt_off[hi]));
      d_idx.assign(dt_order.begin() + static_cast<ptrdiff_t>(dt_off[lo]),
                   dt_order.begin() + static_cast<ptrdiff_t>(dt_off[hi]));
      if (g_idx.empty() && d_idx.empty()) continue;  // evaluateImg() returns None
      // Score descending, stable (np.argsort(-score, kind='mergesort')), cut to the largest maxDet.
      std::stable_sort(d_idx.begin(), d_idx.end(),
                       [&](size_t x, size_t y) { return -dets[x].score < -dets[y].score; });
      if (d_idx.size() > max_det_all) d_idx.resize(max_det_all);
      const size_t G = g_idx.size(), D = d_idx.size();
      ious.assign(D * G, 0.0);
      for (size_t d = 0; d < D; ++d) {
        for (size_t g = 0; g < G; ++g) {
          const CocoAnnotation& a = gt.annotations[g_idx[g]];
          ious[d * G + g] = box_iou(dets[d_idx[d]].bbox, a.bbox, a.iscrowd);
        }
      }
      for (size_t ar = 0; ar < A; ++ar) {
        const double amin = p.area_ranges[ar][0], amax = p.area_ranges[ar][1];
        // gts: ignored ones last (stable), as np.argsort(_ignore, kind='mergesort') orders them.
        g_sorted.clear();
        g_ign.clear();
        g_crowd.clear();
        for (int pass = 0; pass < 2; ++pass) {
          for (size_t g = 0; g < G; ++g) {
            const CocoAnnotation& a = gt.annotations[g_idx[g]];
            const bool ignore = a.iscrowd || (p.honor_ignore_field && a.ignore);
            const bool ig = ignore || a.area < amin || a.area > amax;
            if (ig != (pass == 1)) continue;
            g_sorted.push_back(g);
            g_ign.push_back(ig);
            g_crowd.push_back(a.iscrowd);
          }
        }
        Pool& pool = pools[ar];
        ImageEval rec{pool.scores.size(), D};
        for (size_t g = 0; g < G; ++g) pool.npig += g_ign[g] ? 0 : 1;
        for (size_t d = 0; d < D; ++d) pool.scores.push_back(dets[d_idx[d]].score);
        pool.states.resize(pool.states.size() + D * T);
        uint8_t* states = pool.states.data() + rec.first * T;
        for (size_t t = 0; t < T; ++t) {
          g_matched.assign(G, 0);
          d_match_id.assign(D, 0);
          d_ign.assign(D, 0);
          if (G > 0 && D > 0) {
            for (size_t d = 0; d < D; ++d) {
              double best = std::min(iou_thrs[t], 1 - 1e-10);
              ptrdiff_t m = -1;
              for (size_t g = 0; g < G; ++g) {
                if (g_matched[g] && !g_crowd[g]) continue;
                // Once matched to a regular gt, stop at the ignored ones (they come last).
                if (m > -1 && !g_ign[static_cast<size_t>(m)] && g_ign[g]) break;
                const double v = ious[d * G + g_sorted[g]];
                if (v < best) continue;
                best = v;
                m = static_cast<ptrdiff_t>(g);
              }
              if (m == -1) continue;
              d_ign[d] = g_ign[static_cast<size_t>(m)];
              // pycocotools records the gt's "id" and later tests it for != 0: a gt with id 0
              // counts as unmatched there. Reproduced on purpose.
              d_match_id[d] = gt.annotations[g_idx[g_sorted[static_cast<size_t>(m)]]].id;
              g_matched[static_cast<size_t>(m)] = 1;
            }
          }
          for (size_t d = 0; d < D; ++d) {
            const auto& b = dets[d_idx[d]].bbox;
            const double area = b[2] * b[3];  // loadRes() sets a result's area to w*h
            const bool unmatched = d_match_id[d] == 0;
            const bool ig = d_ign[d] || (unmatched && (area < amin || area > amax));
            states[d * T + t] = ig ? kIgnored : (unmatched ? kFalsePositive : kTruePositive);
          }
        }
        pool.images.push_back(rec);
      }
    }

    // accumulate() for category k.
    std::vector<size_t> pick;
    std::vector<double> rc, pr;
    for (size_t ar = 0; ar < A; ++ar) {
      const Pool& pool = pools[ar];
      if (pool.images.empty() || pool.npig == 0) continue;  // stays -1
      const auto npig = static_cast<double>(pool.npig);
      for (size_t m = 0; m < M; ++m) {
        const size_t cap = static_cast<size_t>(std::max(0, max_dets[m]));
        pick.clear();
        for (const ImageEval& e : pool.images) {
          for (size_t d = 0; d < std::min(e.count, cap); ++d) pick.push_back(e.first + d);
        }
        std::stable_sort(pick.begin(), pick.end(),
                         [&](size_t x, size_t y) { return -pool.scores[x] < -pool.scores[y]; });
        const size_t nd = pick.size();
        for (size_t t = 0; t < T; ++t) {
          rc.resize(nd);
          pr.resize(nd);
          double tp = 0, fp = 0;
          for (size_t j = 0; j < nd; ++j) {
            const uint8_t s = pool.states[pick[j] * T + t];
            tp += s == kTruePositive;
            fp += s == kFalsePositive;
            rc[j] = tp / npig;
            pr[j] = tp / (fp + tp + 2.220446049250313e-16);  // np.spacing(1)
          }
          rec_at(t, k, ar, m) = nd ? rc.back() : 0;
          for (size_t j = nd; j-- > 1;) {
            if (pr[j] > pr[j - 1]) pr[j - 1] = pr[j];
          }
          for (size_t r = 0; r < R; ++r) {
            // np.searchsorted(rc, thr, side='left'); past the end -> 0.
            const size_t at =
                static_cast<size_t>(std::lower_bound(rc.begin(), rc.end(), rec_thrs[r]) - rc.begin());
            prec_at(t, r, k, ar, m) = at < nd ? pr[at] : 0;
          }
        }
      }
    }
  }

  // summarize()
  CocoEvalResult res;
  res.iou_first = iou_thrs.front();
  res.iou_last = iou_thrs.back();
  res.max_dets = max_dets;
  auto summarize = [&](bool ap, const double* iou_thr, size_t area, int max_det) {
    std::vector<size_t> ts, ms;
    for (size_t t = 0; t < T; ++t) {
      if (!iou_thr || iou_thrs[t] == *iou_thr) ts.push_back(t);  // exact, like np.where(iouThr == iouThrs)
    }
    for (size_t m = 0; m < M; ++m) {
      if (max_dets[m] == max_det) ms.push_back(m);
    }
    std::vector<double> s;
    for (size_t t : ts) {
      if (ap) {
        for (size_t r = 0; r < R; ++r) {
          for (size_t k = 0; k < KE; ++k) {
            for (size_t m : ms) s.push_back(prec_at(t, r, k, area, m));
          }
        }
      } else {
        for (size_t k = 0; k < KE; ++k) {
          for (size_t m : ms) s.push_back(rec_at(t, k, area, m));
        }
      }
    }
    return mean_defined(s);
  };
  const double i50 = .5, i75 = .75;
  res.stats[0] = summarize(true, nullptr, 0, 100);  // summarize()'s default maxDets=100, not maxDets[2]
  res.stats[1] = summarize(true, &i50, 0, max_dets[2]);
  res.stats[2] = summarize(true, &i75, 0, max_dets[2]);
  res.stats[3] = summarize(true, nullptr, 1, max_dets[2]);
  res.stats[4] = summarize(true, nullptr, 2, max_dets[2]);
  res.stats[5] = summarize(true, nullptr, 3, max_dets[2]);
  res.stats[6] = summarize(false, nullptr, 0, max_dets[0]);
  res.stats[7] = summarize(false, nullptr, 0, max_dets[1]);
  res.stats[8] = summarize(false, nullptr, 0, max_dets[2]);
  res.stats[9] = summarize(false, nullptr, 1, max_dets[2]);
  res.stats[10] = summarize(false, nullptr, 2, max_dets[2]);
  res.stats[11] = summarize(false, nullptr, 3, max_dets[2]);

  // Per category: what COCOeval gives for stats[0] with params.catIds = [that category].
  if (p.use_categories) {
    for (size_t k = 0; k < K; ++k) {
      std::vector<double> s;
      for (size_t t = 0; t < T; ++t) {
        for (size_t r = 0; r < R; ++r) {
          for (size_t m = 0; m < M; ++m) {
            if (max_dets[m] == 100) s.push_back(prec_at(t, r, k, 0, m));
          }
        }
      }
      res.category_ids.push_back(cat_ids[k]);
      res.category_ap.push_back(mean_defined(s));
    }
  }
  return res;
}

std::string CocoEvalResult::summary() const {
  struct Line {
    bool ap;
    int iou;  // -1 all thresholds, else the percent
    const char* area;
    int max_det;
  };
  const Line lines[12] = {{true, -1, "all", 100},
                          {true, 50, "all", max_dets[2]},
                          {true, 75, "all", max_dets[2]},
                          {true, -1, "small", max_dets[2]},
                          {true, -1, "medium", max_dets[2]},
                          {true, -1, "large", max_dets[2]},
                          {false, -1, "all", max_dets[0]},
                          {false, -1, "all", max_dets[1]},
                          {false, -1, "all", max_dets[2]},
                          {false, -1, "small", max_dets[2]},
                          {false, -1, "medium", max_dets[2]},
                          {false, -1, "large", max_dets[2]}};
  std::string out;
  char iou[32], buf[160];
  for (size_t j = 0; j < 12; ++j) {
    const Line& l = lines[j];
    if (l.iou < 0) {
      std::snprintf(iou, sizeof iou, "%0.2f:%0.2f", iou_first, iou_last);
    } else {
      std::snprintf(iou, sizeof iou, "%0.2f", l.iou / 100.0);
    }
    std::snprintf(buf, sizeof buf, " %-18s %s @[ IoU=%-9s | area=%6s | maxDets=%3d ] = %0.3f\n",
                  l.ap ? "Average Precision" : "Average Recall", l.ap ? "(AP)" : "(AR)", iou, l.area,
                  l.max_det, stats[j]);
    out += buf;
  }
  return out;
}

}  // namespace q8::metrics
