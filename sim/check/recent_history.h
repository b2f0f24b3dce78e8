// The last few hundred history records, kept so a checker's first violation
// can show what happened just before it to the same key: the context a
// person needs to find the bug. Constant memory; formatting only on demand.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/model/event.h"

namespace sluice {

class RecentHistory {
 public:
  // `kind` and `part` must outlive the history (string literals, part names).
  void remember(const char* kind, Nanos t, const Event& event, const std::string* part) {
    records_[next_++ % records_.size()] = Record{kind, t, event.id, event.key, part};
  }

  // The remembered records of the event's key, oldest first, at most `most`.
  std::vector<std::string> context_for(const Event& event, std::size_t most = 12) const {
    std::vector<std::string> lines;
    std::size_t count = std::min<std::size_t>(next_, records_.size());
    for (std::size_t back = 1; back <= count && lines.size() < most; ++back) {
      const Record& r = records_[(next_ - back) % records_.size()];
      if (r.key != event.key) continue;
      lines.push_back("t=" + std::to_string(r.t) + "ns " + r.kind + " event " + std::to_string(source_of(r.id)) + ":" +
                      std::to_string(sequence_of(r.id)) + " (key " + std::to_string(r.key) + ")" +
                      (r.part ? " at '" + *r.part + "'" : std::string()));
    }
    return {lines.rbegin(), lines.rend()};
  }

 private:
  struct Record {
    const char* kind = "";
    Nanos t = 0;
    EventId id = 0;
    std::uint64_t key = 0;
    const std::string* part = nullptr;
  };
  std::array<Record, 256> records_{};
  std::size_t next_ = 0;
};

}  // namespace sluice
