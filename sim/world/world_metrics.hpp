#pragma once
// The names of what the World measures (counters, samples, series and levels in its RunMetrics),
// each declared once: a misspelt name does not compile. summary.json, series.csv and samples.csv
// use these names (scenarios/README.md).
#include "sim/metrics/run_metrics.hpp"

namespace sessionsim::world::metric {

using metrics::MetricName;

// The workload's messages.
inline constexpr MetricName messages_sent{"messages_sent"};
inline constexpr MetricName messages_stored{"messages_stored"};
inline constexpr MetricName messages_delivered{"messages_delivered"};
inline constexpr MetricName messages_skipped_offline{"messages_skipped_offline"};
inline constexpr MetricName messages_hash_collisions{"messages_hash_collisions"};
inline constexpr MetricName store_failures{"store_failures"};
inline constexpr MetricName deliveries_duplicate{"deliveries_duplicate"};
inline constexpr MetricName deliveries_unrecognised{"deliveries_unrecognised"};
inline constexpr MetricName deliveries_corrupted{"deliveries_corrupted"};
inline constexpr MetricName legitimate_held_as_requests{"legitimate_held_as_requests"};
inline constexpr MetricName e2e_latency_ms{"e2e_latency_ms"};
// Clients.
inline constexpr MetricName onion_round_trips{"onion_round_trips"};
inline constexpr MetricName onion_failures{"onion_failures"};
inline constexpr MetricName onion_latency_ms{"onion_latency_ms"};
inline constexpr MetricName paths_built{"paths_built"};
inline constexpr MetricName path_rebuilds{"path_rebuilds"};
inline constexpr MetricName client_sessions_started{"client_sessions_started"};
inline constexpr MetricName client_sessions_ended{"client_sessions_ended"};
// Service nodes.
inline constexpr MetricName node_messages_stored{"node_messages_stored"};
inline constexpr MetricName node_messages_replicated{"node_messages_replicated"};
inline constexpr MetricName node_requests_rejected{"node_requests_rejected"};
// Levels sampled every bucket.
inline constexpr MetricName storage_bytes_per_node_mean{"storage_bytes_per_node_mean"};
inline constexpr MetricName storage_bytes_per_node_max{"storage_bytes_per_node_max"};
inline constexpr MetricName swarms{"swarms"};
inline constexpr MetricName swarm_size_mean{"swarm_size_mean"};

}  // namespace sessionsim::world::metric
