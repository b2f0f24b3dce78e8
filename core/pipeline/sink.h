// Where events take effect. A plain sink applies each effect as it comes.
#pragma once

#include <string>

#include "core/pipeline/inlet.h"
#include "core/pipeline/observer.h"

namespace sluice {

class Sink final : public Inlet {
 public:
  Sink(Observer& observer, SinkIndex index, std::string name)
      : observer_(observer), index_(index), name_(std::move(name)) {}
  OfferResult offer(Event event) override {
    observer_.effect(index_, event);
    return OfferResult::accepted;
  }
  const std::string& name() const { return name_; }

 private:
  Observer& observer_;
  SinkIndex index_;
  std::string name_;
};

}  // namespace sluice
