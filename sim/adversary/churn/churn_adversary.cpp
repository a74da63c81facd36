// Churn's up and down periods, the quorum's verdicts with decommission credit, joins, the list
// lag, and the churn part of the summary.
#include "sim/adversary/churn/churn_adversary.hpp"

#include <algorithm>
#include <string>

#include "sim/adversary/churn/churn_metrics.hpp"
#include "sim/world/storage_audit.hpp"
#include "sim/world/world_metrics.hpp"
#include "sim/world/world_summary.hpp"

namespace sessionsim::adversary {

ChurnAdversary::ChurnAdversary(std::string name, ChurnConfig config, std::uint64_t seed)
    : Adversary(std::move(name)),
      config_(std::move(config)),
      seed_(seed),
      join_rng_(RandomStreams::derive(seed, "churn/joins")),
      quorum_rng_(RandomStreams::derive(seed, "churn/quorum")),
      checks_(config_.oxend) {}

void ChurnAdversary::configure(sessionproto::ServiceNodeConfig& config) const {
    config.push_waits_for_data_ready = config_.data_ready;  // PR #507's fix
}

void ChurnAdversary::add_node(std::size_t i) {
    std::string stream = "service_node/";
    stream.append(std::to_string(i)).append("/churn");
    // Its last uptime proof went out at a uniform phase of the hour (drawn only for oxend's
    // timing, so that `fixed` runs keep their streams).
    const bool oxend = config_.decommission == ChurnConfig::Decommission::oxend;
    const SimDuration phase = oxend ? SimDuration(static_cast<SimDuration::rep>(quorum_rng_.uniform_real() *
                                                                               static_cast<double>(config_.oxend.proof_interval.count())))
                                    : SimDuration::zero();
    nodes_.push_back(Node{RandomStreams::derive(seed_, stream), {}, ProofClock(world_->engine().now(), phase, config_.oxend)});
}

void ChurnAdversary::on_nodes_built(world::World& world) {
    world_ = &world;
    for (std::size_t i = 0; i < world.service_node_count(); ++i) add_node(i);
    world.bus().subscribe<world::BlockApplied>([this](const world::BlockApplied& b) {
        if (b.swarms_changed) track_memberships();
        // Each block after the first has its obligation quorum; its votes land in the next block.
        if (config_.decommission == ChurnConfig::Decommission::oxend && b.height >= 2) obligation_quorum(b.at);
    });
    world.bus().subscribe<world::LevelsSampled>([this](const world::LevelsSampled& s) { sample_levels(s.at); });
    world.set_swarm_update_delivery([this](const sessionproto::SwarmUpdate& u) { deliver_swarm_update(u); });
}

void ChurnAdversary::on_started(world::World& world) {
    for (std::size_t i = 0; i < nodes_.size(); ++i) start_node(i, config_.age.sample_duration(nodes_[i].rng));
    if (config_.traced) {
        // The trace's rows at their times, in file order at a tie (the engine keeps insertion order).
        for (const auto& e : config_.trace) {
            const auto node = static_cast<std::size_t>(e.node);
            world.engine().schedule_after(e.at, [this, node, kind = e.kind] {
                using Kind = ChurnTraceEvent::Kind;
                world_->metrics().add(churn_metric::trace_rows);
                if (kind == Kind::join) {
                    join_node();
                } else if (kind == Kind::down) {
                    node_down(node);
                } else {
                    node_up(node, nodes_[node].state.episode);
                }
            });
        }
    } else if (config_.joins_per_hour > 0) {
        schedule_join();
    }
    if (config_.new_member_check > SimDuration::zero()) {
        world.engine().schedule_after(config_.new_member_check, [this] { membership_tick(); });
    }
}

void ChurnAdversary::sample_levels(SimTime now) {
    auto& metrics = world_->metrics();
    double up = 0;
    for (const auto& n : nodes_) up += n.state.up ? 1 : 0;
    metrics.gauge(churn_metric::service_nodes_up, now, up);
    metrics.gauge(churn_metric::service_nodes_active, now, static_cast<double>(world_->registry().active_count()));
    metrics.gauge(churn_metric::replication_coverage, now, world::replication_coverage(*world_));
    const auto [dead, total] = world::dead_and_total_storage(*world_);
    metrics.gauge(churn_metric::storage_dead_share, now, total > 0 ? static_cast<double>(dead) / static_cast<double>(total) : 0.0);
    metrics.gauge(churn_metric::new_members_incomplete, now, static_cast<double>(complete_memberships()));
    const auto h = partial_histories();
    metrics.gauge(churn_metric::partial_history_pairs_share, now,
                  h[0] > 0 ? static_cast<double>(h[1]) / static_cast<double>(h[0]) : 0.0);
}

void ChurnAdversary::start_node(std::size_t i, SimDuration age) {
    Node& n = nodes_[i];
    n.state.credit_base = credit_after(config_.credit, config_.credit.initial, age);
    n.state.credit_since = world_->engine().now();
    if (config_.traced) return;  // the trace says when it goes down
    world_->engine().schedule_after(config_.session.sample_duration(n.rng), [this, i] { node_down(i); });
}

void ChurnAdversary::node_down(std::size_t i) {
    Node& n = nodes_[i];
    if (!n.state.up || n.state.listing == ChurnNodeState::Listing::deregistered) return;
    n.state.up = false;
    const std::uint64_t episode = ++n.state.episode;
    world_->service_node_host(i).go_offline();
    world_->metrics().add(churn_metric::node_downs);
    world_->metrics().series(churn_metric::node_downs, world_->engine().now());
    n.proofs.down(world_->engine().now());
    if (config_.decommission == ChurnConfig::Decommission::fixed) {
        world_->engine().schedule_after(config_.detection, [this, i, episode] { node_detected(i, episode); });
    }
    if (!config_.traced && config_.downtime.kind != Distribution::Kind::none) {
        world_->engine().schedule_after(config_.downtime.sample_duration(n.rng), [this, i, episode] { node_up(i, episode); });
    }
}

void ChurnAdversary::node_detected(std::size_t i, std::uint64_t episode) {
    ChurnNodeState& n = nodes_[i].state;
    if (n.up || n.episode != episode || n.listing != ChurnNodeState::Listing::active) return;
    vote_out(i, episode, world_->engine().now());
}

void ChurnAdversary::vote_out(std::size_t i, std::uint64_t episode, SimTime now) {
    ChurnNodeState& n = nodes_[i].state;
    if (!n.up) {
        world_->metrics().sample(churn_metric::down_to_vote_s, to_seconds(now - nodes_[i].proofs.down_since()));
    }
    const SimDuration credit = credit_after(config_.credit, n.credit_base, now - n.credit_since);
    const auto& key = world_->service_node(i).ed25519();
    if (verdict_for(config_.credit, credit) == QuorumVerdict::decommission) {
        (void)world_->registry().decommission(key);
        n.listing = ChurnNodeState::Listing::decommissioned;
        n.credit_at_decommission = credit;
        n.decommissioned_at = now;
        world_->metrics().add(churn_metric::decommissions);
        // Credit drains while decommissioned: when it runs out, the next quorum deregisters (fixed:
        // at that time; oxend: when it is next drawn and still fails).
        if (config_.decommission == ChurnConfig::Decommission::fixed) {
            world_->engine().schedule_after(credit, [this, i, episode] { node_drained(i, episode); });
        }
    } else {
        (void)world_->registry().deregister_node(key);
        n.listing = ChurnNodeState::Listing::deregistered;
        n.deregistered_at = now;
        world_->metrics().add(churn_metric::deregistrations);
    }
}

void ChurnAdversary::node_drained(std::size_t i, std::uint64_t episode) {
    ChurnNodeState& n = nodes_[i].state;
    if (n.up || n.episode != episode || n.listing != ChurnNodeState::Listing::decommissioned) return;
    (void)world_->registry().deregister_node(world_->service_node(i).ed25519());
    n.listing = ChurnNodeState::Listing::deregistered;
    n.deregistered_at = world_->engine().now();
    world_->metrics().add(churn_metric::deregistrations);
}

void ChurnAdversary::node_up(std::size_t i, std::uint64_t episode) {
    Node& slot = nodes_[i];
    ChurnNodeState& n = slot.state;
    // A deregistered node's stake is locked (30 days): it does not come back in a run.
    if (n.up || n.episode != episode || n.listing == ChurnNodeState::Listing::deregistered) return;
    n.up = true;
    slot.proofs.up(world_->engine().now());
    n.up_since = world_->engine().now();
    auto& host = world_->service_node_host(i);
    host.go_online();
    host.protocol().restart(host.protocol_now());
    host.apply();
    deliver_first_list(i);  // the storage server asks oxend for the list on start
    world_->metrics().add(churn_metric::node_ups);
    const SimTime now = world_->engine().now();
    // fixed: recommissioned at the next block; oxend: when a quorum next draws it and it passes.
    if (n.listing == ChurnNodeState::Listing::decommissioned && config_.decommission == ChurnConfig::Decommission::fixed) {
        recommission(i, now);
    }
    if (config_.traced) return;
    world_->engine().schedule_after(config_.session.sample_duration(slot.rng), [this, i] { node_down(i); });
}

void ChurnAdversary::recommission(std::size_t i, SimTime now) {
    ChurnNodeState& n = nodes_[i].state;
    (void)world_->registry().recommission(world_->service_node(i).ed25519());
    n.listing = ChurnNodeState::Listing::active;
    n.credit_base = credit_on_recommission(n.credit_at_decommission, now - n.decommissioned_at);
    n.credit_since = now;
    nodes_[i].proofs.recommissioned(now);
    world_->metrics().add(churn_metric::recommissions);
    if (n.up) world_->metrics().sample(churn_metric::up_to_recommission_s, to_seconds(now - n.up_since));
}

void ChurnAdversary::obligation_quorum(SimTime now) {
    std::vector<std::size_t> active, decommissioned;
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
        const auto listing = nodes_[i].state.listing;
        if (listing == ChurnNodeState::Listing::active) active.push_back(i);
        if (listing == ChurnNodeState::Listing::decommissioned) decommissioned.push_back(i);
    }
    if (active.empty()) return;
    const std::size_t listed = active.size();
    for (const std::size_t i : checks_.draw_workers(active, decommissioned, quorum_rng_)) {
        Node& node = nodes_[i];
        ChurnNodeState& n = node.state;
        const bool fails = checks_.fails(node.proofs, now, listed, quorum_rng_);
        if (n.listing == ChurnNodeState::Listing::active) {
            if (fails) vote_out(i, n.episode, now);
        } else if (!fails) {
            recommission(i, now);
        } else if (n.credit_at_decommission <= now - n.decommissioned_at) {
            // No credit left and still failing: deregistered (spec §1.6).
            (void)world_->registry().deregister_node(world_->service_node(i).ed25519());
            n.listing = ChurnNodeState::Listing::deregistered;
            n.deregistered_at = now;
            world_->metrics().add(churn_metric::deregistrations);
        }
    }
}

void ChurnAdversary::schedule_join() {
    const double mean_s = 3600.0 / config_.joins_per_hour;
    world_->engine().schedule_after(from_seconds(join_rng_.exponential(1.0) * mean_s), [this] { join_node(); });
}

void ChurnAdversary::join_node() {
    const std::size_t i = world_->add_service_node(join_rng_);
    add_node(i);
    deliver_first_list(i);
    start_node(i, SimDuration::zero());
    world_->metrics().add(churn_metric::joins);
    if (config_.traced) return;
    schedule_join();
}

void ChurnAdversary::deliver_first_list(std::size_t i) {
    // A storage server that starts (a join, a return) knows no node until oxend answers its
    // first poll: at once without list_lag, else after its own lag, like every block's list.
    const std::uint64_t block = world_->blocks();
    if (config_.list_lag.kind == Distribution::Kind::none) {
        world_->service_node_host(i).deliver(world_->registry().swarm_update());
        nodes_[i].state.list_block = block;
        return;
    }
    if (!list_lag_rng_) list_lag_rng_.emplace(RandomStreams::derive(seed_, "churn/list_lag"));
    const std::uint64_t episode = nodes_[i].state.episode;
    world_->engine().schedule_after(config_.list_lag.sample_duration(*list_lag_rng_), [this, i, block, episode] {
        ChurnNodeState& n = nodes_[i].state;
        if (!n.up || n.episode != episode || n.list_block >= block) return;  // down again, or a newer list came
        n.list_block = block;
        world_->service_node_host(i).deliver(world_->registry().swarm_update());
    });
}

void ChurnAdversary::deliver_swarm_update(const sessionproto::SwarmUpdate& update) {
    const std::uint64_t block = world_->blocks();
    // The first block's list is the network as it starts: every node has it from the start.
    if (config_.list_lag.kind == Distribution::Kind::none || block <= 1) {
        // A node that is down learns the list when it comes back (node_up).
        for (std::size_t i = 0; i < nodes_.size(); ++i) {
            if (nodes_[i].state.up) world_->service_node_host(i).deliver(update);
            nodes_[i].state.list_block = block;
        }
        return;
    }
    if (!list_lag_rng_) list_lag_rng_.emplace(RandomStreams::derive(seed_, "churn/list_lag"));
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
        if (!nodes_[i].state.up) continue;
        world_->engine().schedule_after(config_.list_lag.sample_duration(*list_lag_rng_), [this, i, update, block] {
            ChurnNodeState& n = nodes_[i].state;
            // A later list already applied (a long lag, or the node restarted): this one is stale.
            if (!n.up || n.list_block >= block) return;
            n.list_block = block;
            world_->service_node_host(i).deliver(update);
        });
    }
}

nlohmann::json ChurnAdversary::summary(const world::World& world) const {
    const auto& metrics = world.metrics();
    std::uint64_t up = 0, active = 0, decommissioned = 0, deregistered = 0, entering_at_end = 0;
    for (const auto& node : nodes_) {
        const ChurnNodeState& n = node.state;
        up += n.up ? 1 : 0;
        active += n.listing == ChurnNodeState::Listing::active ? 1 : 0;
        decommissioned += n.listing == ChurnNodeState::Listing::decommissioned ? 1 : 0;
        deregistered += n.listing == ChurnNodeState::Listing::deregistered ? 1 : 0;
        entering_at_end += n.entering ? 1 : 0;
    }
    nlohmann::json c;
    namespace m = churn_metric;
    for (const auto counter : {m::node_downs, m::node_ups, m::decommissions, m::deregistrations, m::recommissions, m::joins}) {
        c[std::string(counter.str().substr(6))] = metrics.counter(counter);  // without "churn_"
    }
    c["decommission"] = config_.decommission == ChurnConfig::Decommission::oxend ? "oxend" : "fixed";
    // From going down to the quorum's vote, and from coming back to the recommission.
    c["down_to_vote_s"] = world::sample_summary_json(metrics.summary(churn_metric::down_to_vote_s));
    c["up_to_recommission_s"] = world::sample_summary_json(metrics.summary(churn_metric::up_to_recommission_s));
    c["nodes_up_at_end"] = up;
    c["listed_active_at_end"] = active;
    c["decommissioned_at_end"] = decommissioned;
    c["deregistered_at_end"] = deregistered;
    if (config_.traced) c["trace_rows_replayed"] = metrics.counter(churn_metric::trace_rows);
    // New memberships (scenarios/README.md, "summary.json"): the time until each holds its swarm's
    // data, checked at every metrics bucket (the time's resolution).
    const auto t = metrics.summary(churn_metric::new_member_complete_s);
    const SimDuration check = config_.new_member_check > SimDuration::zero()
                                  ? std::min(config_.new_member_check, metrics.bucket())
                                  : metrics.bucket();
    c["new_members"] = {
        {"count", metrics.counter(churn_metric::memberships)},
        {"complete", metrics.counter(churn_metric::memberships_complete)},
        {"never_complete", metrics.counter(churn_metric::memberships_left_incomplete) + entering_at_end},
        {"left_incomplete", metrics.counter(churn_metric::memberships_left_incomplete)},
        {"incomplete_at_end", entering_at_end},
        {"check_interval_s", static_cast<double>(check.count()) / 1e9},
        {"time_to_complete_s", world::sample_summary_json(t)}};
    const auto h = partial_histories();
    c["partial_history"] = {{"owners", h[3]},
                            {"owners_partial", h[2]},
                            {"owner_member_pairs", h[0]},
                            {"pairs_partial", h[1]},
                            {"pairs_partial_share", h[0] > 0 ? static_cast<double>(h[1]) / static_cast<double>(h[0]) : 0.0}};
    std::uint64_t refused = 0, timed_out = 0, asked = 0, not_ready = 0;
    for (std::size_t i = 0; i < world.service_node_count(); ++i) {
        const auto& sn = world.service_node(i);
        refused += sn.counter(sessionproto::node_counter::push_unknown_sender);
        timed_out += sn.counter(sessionproto::node_counter::push_timeout);
        asked += sn.counter(sessionproto::node_counter::data_ready_sent);
        not_ready += sn.counter(sessionproto::node_counter::data_ready_not_ready);
    }
    // Why pushes were missed (PR #507): the receiver did not list the pusher, or did not answer.
    c["pushes_refused_unknown_sender"] = refused;
    c["pushes_timed_out"] = timed_out;
    c["data_ready"] = {{"on", config_.data_ready}, {"asked", asked}, {"not_ready", not_ready}};
    return c;
}

}  // namespace sessionsim::adversary
