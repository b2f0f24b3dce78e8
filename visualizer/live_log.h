// The live run's event log: the newest records the run dispatched (its
// record tap, visualizer/live_records.h, hands each one over), kept as
// typed copies (kept_record.h) in a ring of fixed capacity so a long run
// holds bounded memory. A record's trace.jsonl line is written only when
// the log needs it: a row shown (text) or, while a filter is set, a record
// the filter has not yet seen; the line comes from the trace's one producer
// (sim/run/trace_records.h) with the time and depth captured at dispatch, so
// it reads as a recorded run's trace.jsonl has it. Records are numbered
// from the run's start; a record's number is its line id in the log panel.
// Everything here runs on the GUI thread, as the simulation does.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "core/runtime/runtime.h"
#include "sim/run/pipeline_metrics.h"
#include "sim/run/trace_records.h"
#include "sim/run/trace_writer.h"
#include "sim/watch/part_names.h"
#include "visualizer/event_filter.h"
#include "visualizer/kept_record.h"
#include "visualizer/log_rows.h"

namespace sluice::viz {

class LiveLog : public LogRows {
 public:
  static constexpr std::size_t kDefaultCapacity = 10000;
  // What a line reads: the run's clock, part names and metrics (they must outlive the log).
  LiveLog(const Runtime& runtime, const PartNames& names, const PipelineMetrics& metrics,
          std::size_t capacity = kDefaultCapacity);
  LiveLog(const LiveLog&) = delete;
  LiveLog& operator=(const LiveLog&) = delete;

  // Keeps one dispatched record if it has a trace line (the oldest kept is
  // dropped when full); a transaction marker becomes one row per record it
  // resolved, as in trace.jsonl.
  template <typename Variant>
  void keep(const Variant& record) {
    std::visit([this](const auto& r) { keep_one(r); }, record);
  }

  std::size_t capacity() const { return rows_.size(); }
  // Rows kept since the start, and the number of the oldest one kept.
  std::uint64_t total() const { return total_; }
  std::uint64_t first_kept() const { return total_ > rows_.size() ? total_ - rows_.size() : 0; }

  // --- LogRows: the kept records matching the filter ------------------------
  void set_filter(const EventFilter& filter) override;
  const EventFilter& filter() const override { return filter_; }
  bool scanning() const override { return false; }
  double progress() const override { return 1.0; }
  std::uint64_t size() const override;
  std::uint64_t line_of(std::uint64_t row) const override;
  // The record's trace.jsonl line, written now if it was not yet.
  std::string_view text(std::uint64_t line) const override;
  std::uint64_t row_at_time(Nanos t) const override;
  std::uint64_t lines() const override { return total_ - first_kept(); }
  const std::array<std::uint64_t, kTraceKinds>& kind_counts() const override { return kind_counts_; }

  // Which of the event log's kinds a record's line is, or none for a record
  // with no line. The kinds the filter offers are a handful of the trace's
  // (trace_line.h); the rest are `other`. live_records_test checks this
  // against the lines themselves.
  template <typename R>
  std::optional<TraceKind> kind_of(const R& record) const;

 private:
  struct Row {
    TraceRecords::Moment moment;
    KeptRecord record;  // monostate until the ring reaches the slot
  };
  // The formatter's output: the one line it is handed.
  struct LineCatcher : TraceLineSink {
    std::string* into = nullptr;
    void line(std::string_view text) override {
      if (into != nullptr) into->assign(text.data(), text.size());
    }
  };

  template <typename R>
  void keep_one(const R& record);
  template <typename R>
  void push(TraceKind kind, const R& record);
  void catch_up();
  std::size_t slot(std::uint64_t line) const { return static_cast<std::size_t>(line % rows_.size()); }

  mutable TraceRecords lines_;
  const PartNames& names_;
  mutable LineCatcher catcher_;
  mutable TraceWriter writer_{catcher_, ""};  // its header goes nowhere: catcher_.into is null then
  std::vector<Row> rows_;
  mutable std::vector<std::string> texts_;        // a slot's line, once written
  mutable std::vector<std::uint64_t> text_of_;    // which line texts_[slot] holds (~0: none)
  std::uint64_t total_ = 0;
  std::array<std::uint64_t, kTraceKinds> kind_counts_{};
  EventFilter filter_;
  bool identity_ = true;
  std::deque<std::uint64_t> matches_;  // line numbers, ascending
  std::uint64_t scanned_ = 0;          // records before this have been matched
};

template <typename R>
void LiveLog::keep_one(const R& record) {
  const std::optional<TraceKind> kind = kind_of(record);
  if (!kind) return;
  if constexpr (std::is_same_v<R, TxnMarkerWritten>) {
    for (std::size_t i = 0; i < record.records.size(); ++i) {
      const std::vector<Event> one{record.records[i]};
      const std::vector<std::uint64_t> offset{i < record.offsets.size() ? record.offsets[i] : 0};
      push(*kind, TxnMarkerWritten{record.partition, record.writer, record.epoch, record.txn, record.commit,
                                   record.written, one, offset});
    }
  } else {
    push(*kind, record);
  }
}

template <typename R>
void LiveLog::push(TraceKind kind, const R& record) {
  const std::size_t at = slot(total_);
  Row& row = rows_[at];
  row.moment = lines_.moment_of(record);
  row.record.template emplace<Kept<R>>(record);
  text_of_[at] = ~std::uint64_t{0};
  ++kind_counts_[static_cast<std::size_t>(kind)];
  ++total_;
}

template <typename R>
std::optional<TraceKind> LiveLog::kind_of(const R& r) const {
  // Bookkeeping TraceRecords writes no line for.
  if constexpr (std::is_same_v<R, Released> || std::is_same_v<R, CheckpointWork> ||
                std::is_same_v<R, StateSnapshotted> || std::is_same_v<R, RestoredBy> ||
                std::is_same_v<R, StateRebuilt> || std::is_same_v<R, Perturbed>) {
    return std::nullopt;
  } else if constexpr (std::is_same_v<R, Produced>) {
    return TraceKind::produce;
  } else if constexpr (std::is_same_v<R, Acked>) {
    return TraceKind::ack;
  } else if constexpr (std::is_same_v<R, SourceFinished>) {
    return TraceKind::source_finished;
  } else if constexpr (std::is_same_v<R, Enqueued>) {
    return TraceKind::enqueue;
  } else if constexpr (std::is_same_v<R, Dequeued>) {
    return TraceKind::dequeue;
  } else if constexpr (std::is_same_v<R, Shed>) {
    return TraceKind::shed;
  } else if constexpr (std::is_same_v<R, ServiceStarted>) {
    return TraceKind::deliver;
  } else if constexpr (std::is_same_v<R, ServiceFinished>) {
    return TraceKind::processed;
  } else if constexpr (std::is_same_v<R, ServiceAborted>) {
    return TraceKind::aborted;
  } else if constexpr (std::is_same_v<R, Effect>) {
    // A dead-letter sink's line is "parked", not an effect.
    return names_.sink_is_dead_letter[r.sink] ? TraceKind::other : TraceKind::effect;
  } else if constexpr (std::is_same_v<R, OffsetCommitted>) {
    return TraceKind::commit;
  } else if constexpr (std::is_same_v<R, CheckpointCompleted>) {
    return TraceKind::checkpoint;
  } else if constexpr (std::is_same_v<R, StateRestored>) {
    return TraceKind::restore;
  } else if constexpr (std::is_same_v<R, ScalingDecided>) {
    return TraceKind::scaled;
  } else if constexpr (std::is_same_v<R, ReplicaChanged>) {
    return TraceKind::replica;
  } else if constexpr (std::is_same_v<R, FaultBegan>) {
    return TraceKind::fault;
  } else if constexpr (std::is_same_v<R, FaultHealed>) {
    return TraceKind::heal;
  } else if constexpr (std::is_same_v<R, AlertChanged>) {
    return TraceKind::alert;
  } else {
    return TraceKind::other;
  }
}

}  // namespace sluice::viz
