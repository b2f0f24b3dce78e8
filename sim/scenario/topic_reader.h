// Reads broker topics ("topics": [...]) and a stage's consumer-group
// settings ("group": {...} on a stage that reads a topic).
#pragma once

#include "sim/scenario/json_reader.h"
#include "sim/scenario/scenario.h"

namespace sluice {

TopicSpec read_topic(const JsonReader& reader);
GroupConfig read_group(const JsonReader& reader);
// "operator": {"kind": "tumbling_count", "window": "1s"}
OperatorSpec read_operator(const JsonReader& reader);
// "checkpoint": {"interval": "1s", "timeout": "10s", "full_every": 10}
CheckpointConfig read_checkpoint(const JsonReader& reader);

}  // namespace sluice
