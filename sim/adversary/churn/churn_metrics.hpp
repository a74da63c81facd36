#pragma once
// What churn counts and samples, in the World's RunMetrics (series.csv, samples.csv and the churn
// part of summary.json), each name declared once.
#include "sim/metrics/run_metrics.hpp"

namespace sessionsim::adversary::churn_metric {

using metrics::MetricName;

inline constexpr MetricName node_downs{"churn_node_downs"};
inline constexpr MetricName node_ups{"churn_node_ups"};
inline constexpr MetricName decommissions{"churn_decommissions"};
inline constexpr MetricName deregistrations{"churn_deregistrations"};
inline constexpr MetricName recommissions{"churn_recommissions"};
inline constexpr MetricName joins{"churn_joins"};
inline constexpr MetricName trace_rows{"churn_trace_rows"};
inline constexpr MetricName memberships{"churn_memberships"};
inline constexpr MetricName memberships_complete{"churn_memberships_complete"};
inline constexpr MetricName memberships_left_incomplete{"churn_memberships_left_incomplete"};
inline constexpr MetricName new_memberships{"churn_new_memberships"};  ///< series
inline constexpr MetricName new_member_complete_s{"new_member_complete_s"};
inline constexpr MetricName down_to_vote_s{"churn_down_to_vote_s"};                ///< down -> voted out
inline constexpr MetricName up_to_recommission_s{"churn_up_to_recommission_s"};    ///< back up -> recommissioned
// Levels sampled every bucket.
inline constexpr MetricName service_nodes_up{"service_nodes_up"};
inline constexpr MetricName service_nodes_active{"service_nodes_active"};
inline constexpr MetricName replication_coverage{"replication_coverage"};
inline constexpr MetricName storage_dead_share{"storage_dead_share"};
inline constexpr MetricName new_members_incomplete{"new_members_incomplete"};
inline constexpr MetricName partial_history_pairs_share{"partial_history_pairs_share"};

}  // namespace sessionsim::adversary::churn_metric
