// A set of sequence numbers 0, 1, 2, ... that fills up mostly in order:
// a watermark below which every number is present, plus the few present
// above it. Memory is bounded by how far out of order numbers arrive (the
// events in flight), not by how many there were, so a checker can follow a
// 10,000,000-event run in constant space, and an idempotent sink can
// remember every id it applied.
#pragma once

#include <cstdint>
#include <iterator>
#include <set>
#include <vector>

namespace sluice {

class SequenceSet {
 public:
  // False when `n` was already present.
  bool insert(std::uint64_t n) {
    if (n < watermark_) return false;
    if (n == watermark_) {
      ++watermark_;
      while (!above_.empty() && *above_.begin() == watermark_) {
        above_.erase(above_.begin());
        ++watermark_;
      }
      return true;
    }
    return above_.insert(n).second;
  }
  // Moves the watermark past the lowest missing number (and the run above
  // it), as if it were present: only the idempotent_sink_forgets_gaps defect.
  void skip_lowest_gap() {
    if (above_.empty()) return;
    watermark_ = *above_.begin();
    above_.erase(above_.begin());
    insert(watermark_);
  }
  // The present numbers above the second-lowest missing one: how long a
  // second straggler has been missing, in later arrivals (0 with fewer than
  // two gaps). Linear in the numbers present; only the defect asks.
  std::size_t present_above_second_gap() const {
    if (above_.empty()) return 0;
    std::uint64_t n = watermark_ + 1;  // the watermark itself is the lowest gap
    auto it = above_.begin();
    while (it != above_.end() && *it == n) ++it, ++n;
    return static_cast<std::size_t>(std::distance(it, above_.end()));
  }
  bool contains(std::uint64_t n) const { return n < watermark_ || above_.count(n) != 0; }
  std::uint64_t watermark() const { return watermark_; }
  std::size_t sparse_size() const { return above_.size(); }

  // Numbers below `limit` that are missing, in ascending order, at most `most`.
  std::vector<std::uint64_t> missing_below(std::uint64_t limit, std::size_t most) const {
    std::vector<std::uint64_t> missing;
    std::uint64_t n = watermark_;
    auto next = above_.begin();
    while (n < limit && missing.size() < most) {
      if (next != above_.end() && *next == n) {
        ++next;
      } else {
        missing.push_back(n);
      }
      ++n;
    }
    return missing;
  }

 private:
  std::uint64_t watermark_ = 0;
  std::set<std::uint64_t> above_;
};

}  // namespace sluice
