// What the simulation knows about one fiber it spawned.
#pragma once

#include <cstdint>
#include <string>

#include <boost/fiber/context.hpp>
#include <boost/fiber/properties.hpp>

#include "core/runtime/runtime.h"

namespace sluice {

struct FiberRecord {
  FiberId id = 0;
  NodeId node = 0;
  std::uint64_t node_epoch = 0;  // the node's epoch at spawn; a crash bumps it
  std::string name;
  bool daemon = false;
  bool blocked = false;   // parked in wait() or sleep_until()
  bool finished = false;  // the body returned or unwound
  Waiter* waiter = nullptr;      // the current wait, so a crash can unlink it
  std::uint64_t wait_generation = 0;  // timers of older waits are stale
  std::uint32_t timer_refs = 0;  // heap entries still pointing here
  boost::fibers::context* context = nullptr;
  char* stack_bottom = nullptr;  // lowest address of the fiber's stack
  std::size_t stack_size = 0;
};

// Boost.Fiber lets a scheduling algorithm attach properties to each context;
// ours point back at the record, found in O(1) from context::active().
class FiberProps final : public boost::fibers::fiber_properties {
 public:
  FiberProps(boost::fibers::context* ctx, FiberRecord* record)
      : fiber_properties(ctx), record(record) {}
  FiberRecord* record;
};

}  // namespace sluice
