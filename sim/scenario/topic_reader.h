// Reads broker topics ("topics": [...]) and a stage's consumer-group
// settings ("group": {...} on a stage that reads a topic).
#pragma once

#include "sim/scenario/json_reader.h"
#include "sim/scenario/scenario.h"

namespace sluice {

TopicSpec read_topic(const JsonReader& reader);
GroupConfig read_group(const JsonReader& reader);

}  // namespace sluice
