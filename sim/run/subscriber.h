// A subscriber of the history's dispatch (sim/run/history.h): a class with an
// `on(const R&)` overload for each record kind it cares about, core records
// (core/model/records.h) and world records (sim/world/world_records.h) alike,
// and a generic no-op `template <typename R> void on(const R&) {}` for the
// rest. The history holds its subscribers by value and calls each one's
// overload from a single std::visit, so a kind a subscriber ignores resolves
// to the empty template at compile time and costs nothing.
#pragma once

#include "core/model/records.h"
#include "sim/world/world_records.h"

namespace sluice {

template <typename S>
concept Subscriber = requires(S& s, const Produced& core, const FaultBegan& world) {
  s.on(core);
  s.on(world);
};

// A writer's subscriber (`Records`: its `on(Writer&, const R&)` overloads)
// bound to a writer that may be absent (no --trace, no --perfetto).
template <typename Records, typename Writer>
class WriterSubscriber {
 public:
  template <typename... Args>
  explicit WriterSubscriber(Args&&... args) : records_(std::forward<Args>(args)...) {}
  void bind(Writer* out) { out_ = out; }
  Writer* writer() const { return out_; }
  Records& records() { return records_; }

  template <typename R>
  void on(const R& record) {
    if (out_ != nullptr) records_.on(*out_, record);
  }

 private:
  Records records_;
  Writer* out_ = nullptr;
};

}  // namespace sluice
