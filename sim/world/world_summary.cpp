#include "sim/world/world_summary.hpp"

#include <algorithm>
#include <vector>

#include "sim/world/storage_audit.hpp"
#include "sim/world/world.hpp"
#include "sim/world/world_metrics.hpp"

namespace sessionsim::world {

nlohmann::json sample_summary_json(const stats::SampleSummary& l) {
    return nlohmann::json{{"count", l.count}, {"mean", l.mean}, {"p50", l.p50}, {"p90", l.p90}, {"p99", l.p99},
                          {"max", l.max}};
}

nlohmann::json profiles_summary(const World& world) {
    // Per client release (PROFILES.md): what its clients sent, per client and minute of the run,
    // and per message sent. Keys are the profile names, in the mix's order.
    namespace cc = sessionproto::client_counter;
    struct Totals {
        std::uint64_t clients = 0, polls = 0, polls_failed = 0, retrieves = 0, stores = 0, messages = 0, sync = 0, guard_tests = 0,
                      own_refreshes = 0, rotations = 0, onion_retries = 0, connections = 0, config_pushes = 0,
                      config_pushes_failed = 0, config_bumps = 0, config_bumps_failed = 0;
    };
    std::vector<Totals> totals(world.profile_count());
    for (std::size_t i = 0; i < world.client_count(); ++i) {
        const auto& c = world.client(i);
        Totals& t = totals[world.client_profile_index(i)];
        ++t.clients;
        t.polls += c.counter(cc::polls);
        t.polls_failed += c.counter(cc::polls_failed);
        t.retrieves += c.counter(cc::retrieves);
        t.stores += c.counter(cc::stores);
        t.messages += c.counter(cc::messages_real) + c.counter(cc::messages_modelled);
        t.sync += c.counter(cc::sync_copies);
        t.guard_tests += c.counter(cc::guard_tests);
        t.own_refreshes += c.counter(cc::own_swarm_refreshes);
        t.rotations += c.counter(cc::path_rotations);
        t.onion_retries += c.counter(cc::onion_retries);
        t.connections += c.connections_opened();
        t.config_pushes += c.counter(cc::config_pushes);
        t.config_pushes_failed += c.counter(cc::config_pushes_failed);
        t.config_bumps += c.counter(cc::config_bumps);
        t.config_bumps_failed += c.counter(cc::config_bumps_failed);
    }
    const double minutes = static_cast<double>((world.end_time() - SIM_EPOCH).count()) / 60e9;
    auto per = [](std::uint64_t a, double b) { return b > 0 ? static_cast<double>(a) / b : 0.0; };
    nlohmann::json out = nlohmann::json::object();
    for (std::size_t k = 0; k < totals.size(); ++k) {
        const Totals& t = totals[k];
        const double client_minutes = static_cast<double>(t.clients) * minutes;
        out[world.spec().clients.profiles[k].name] = {
            {"clients", t.clients},
            {"polls_per_client_minute", per(t.polls, client_minutes)},
            {"retrieves_per_client_minute", per(t.retrieves, client_minutes)},
            {"poll_rounds_failed", t.polls_failed},
            {"messages_sent", t.messages},
            {"stores_per_message", per(t.stores, static_cast<double>(t.messages))},
            {"sync_copies", t.sync},
            {"guard_tests_per_client", per(t.guard_tests, static_cast<double>(t.clients))},
            {"own_swarm_refreshes", t.own_refreshes},
            {"path_rotations", t.rotations},
            {"onion_retries", t.onion_retries},
            {"connections_per_client_minute", per(t.connections, client_minutes)},
            {"config_pushes", t.config_pushes},
            {"config_pushes_failed", t.config_pushes_failed},
            {"config_bumps_per_client_minute", per(t.config_bumps, client_minutes)},
            {"config_bumps_failed", t.config_bumps_failed}};
    }
    return out;
}

nlohmann::json cpu_summary(const World& world) {
    const auto& model = world.spec().service_nodes.cpu;
    if (!model) return nullptr;
    const double seconds = to_seconds(world.spec().duration);
    const double capacity_ns = seconds * 1e9 * model->cores;
    std::vector<double> utilisation;
    std::uint64_t jobs = 0, dropped = 0, busy_replies = 0, waited = 0, wait_ns = 0, max_wait_ns = 0, peak_queue = 0;
    for (std::size_t i = 0; i < world.service_node_count(); ++i) {
        const host::CpuStats* st = world.service_node_host(i).cpu_stats();
        if (st == nullptr) continue;
        utilisation.push_back(capacity_ns > 0 ? std::min(1.0, static_cast<double>(st->busy_ns) / capacity_ns) : 0.0);
        jobs += st->jobs;
        dropped += st->dropped;
        busy_replies += st->busy_replies;
        waited += st->waited;
        wait_ns += st->wait_ns;
        max_wait_ns = std::max(max_wait_ns, st->max_wait_ns);
        peak_queue = std::max(peak_queue, st->peak_queue);
    }
    const auto u = stats::summarize(utilisation);
    const auto& metrics = world.metrics();
    const double trips = static_cast<double>(metrics.counter(metric::onion_round_trips));
    const double failed = static_cast<double>(metrics.counter(metric::onion_failures));
    return {{"source", model->source},
            {"cores", model->cores},
            {"speed", model->speed},
            {"https_queue", model->https_queue_limit},
            {"sn_queue", model->sn_queue_limit},
            {"utilisation", {{"mean", u.mean}, {"p50", u.p50}, {"p90", u.p90}, {"max", u.max}}},
            {"inputs", jobs},
            {"inputs_dropped", dropped},
            {"busy_replies", busy_replies},
            {"waited_share", jobs > 0 ? static_cast<double>(waited) / static_cast<double>(jobs) : 0.0},
            {"wait_ms_mean", waited > 0 ? static_cast<double>(wait_ns) / static_cast<double>(waited) / 1e6 : 0.0},
            {"wait_ms_max", static_cast<double>(max_wait_ns) / 1e6},
            {"peak_queue", peak_queue},
            {"onion_round_trips_per_s", seconds > 0 ? trips / seconds : 0.0},
            {"onion_requests_per_s", seconds > 0 ? (trips + failed) / seconds : 0.0}};
}

nlohmann::json world_summary(const World& world) {
    const auto& metrics = world.metrics();
    const auto& messages = world.messages();
    nlohmann::json s;
    const auto sent = static_cast<double>(messages.size());
    s["messages_sent"] = messages.size();
    s["messages_stored"] = metrics.counter(metric::messages_stored);
    s["messages_delivered"] = world.messages_delivered();
    // Undelivered messages by fate (scenarios/README.md): pending when sent in the last
    // LATE_MESSAGE_WINDOW; awaiting their sender (not stored, the sender online for less than
    // the window since) or their recipient (stored, the recipient online for less than the window
    // since); otherwise lost: the network had its chance and did not deliver.
    std::uint64_t lost = 0, pending = 0, awaiting_sender = 0, awaiting_recipient = 0;
    for (const auto& m : messages) {
        if (m.delivered) continue;
        if (m.sent_at + LATE_MESSAGE_WINDOW > world.end_time()) {
            ++pending;
        } else if (!m.stored && world.online_time_after(m.sender, m.sent_at) < LATE_MESSAGE_WINDOW) {
            ++awaiting_sender;
        } else if (m.stored && world.online_time_after(m.recipient, m.stored_at) < LATE_MESSAGE_WINDOW) {
            ++awaiting_recipient;
        } else {
            ++lost;
        }
    }
    s["messages_lost"] = lost;
    s["messages_pending_at_end"] = pending;
    s["messages_awaiting_sender"] = awaiting_sender;
    s["messages_awaiting_recipient"] = awaiting_recipient;
    s["delivery_ratio"] = sent > 0 ? static_cast<double>(world.messages_delivered()) / sent : 0.0;
    s["e2e_latency_ms"] = sample_summary_json(metrics.summary(metric::e2e_latency_ms));
    s["onion_latency_ms"] = sample_summary_json(metrics.summary(metric::onion_latency_ms));
    const double trips = static_cast<double>(metrics.counter(metric::onion_round_trips));
    const double failed = static_cast<double>(metrics.counter(metric::onion_failures));
    s["onion_failure_rate"] = trips + failed > 0 ? failed / (trips + failed) : 0.0;
    s["path_rebuilds"] = metrics.counter(metric::path_rebuilds);
    s["replication_coverage"] = replication_coverage(world);
    s["clients"] = world.client_count();
    // Storage per service node at the end of the run.
    std::vector<double> bytes;
    for (std::size_t i = 0; i < world.service_node_count(); ++i) {
        bytes.push_back(static_cast<double>(world.service_node(i).store().total_bytes()));
    }
    const auto storage = stats::summarize(bytes);
    s["storage_bytes_per_node"] = {{"mean", storage.mean}, {"p50", storage.p50}, {"p90", storage.p90},
                                   {"max", storage.max}};
    const auto [dead, total] = dead_and_total_storage(world);
    s["storage_dead_bytes"] = dead;
    s["storage_dead_share"] = total > 0 ? static_cast<double>(dead) / static_cast<double>(total) : 0.0;
    std::vector<double> sizes;
    for (const auto& [id, members] : world.registry().swarms()) sizes.push_back(static_cast<double>(members.size()));
    const auto swarm = stats::summarize(sizes);
    s["swarms"] = {{"count", sizes.size()}, {"size_mean", swarm.mean},
                   {"size_min", sizes.empty() ? 0.0 : *std::min_element(sizes.begin(), sizes.end())},
                   {"size_max", swarm.max}};
    s["service_nodes"] = world.service_node_count();
    s["blocks"] = world.blocks();
    const auto& net = world.network().stats();
    s["network"] = {{"datagrams_sent", net.sent},
                    {"datagrams_delivered", net.delivered},
                    {"datagrams_lost", net.lost},
                    {"dropped_by_interceptor", net.dropped_by_interceptor},
                    {"dropped_queue_full", net.dropped_queue_full},
                    {"dropped_detached", net.dropped_detached},
                    {"bytes_sent", net.bytes_sent}};
    s["counters"] = nlohmann::json::object();
    for (const auto name : {metric::store_failures, metric::deliveries_duplicate, metric::deliveries_unrecognised,
                            metric::deliveries_corrupted, metric::paths_built, metric::node_messages_stored,
                            metric::node_messages_replicated, metric::node_requests_rejected,
                            metric::client_sessions_started, metric::client_sessions_ended,
                            metric::messages_skipped_offline, metric::messages_hash_collisions}) {
        s["counters"][std::string(name.str())] = metrics.counter(name);
    }
    // How the crypto was run: flows with real crypto and modelled ones (scenarios/README.md).
    std::uint64_t onion_real = 0, onion_modelled = 0, messages_real = 0, messages_modelled = 0;
    for (std::size_t i = 0; i < world.client_count(); ++i) {
        const auto& client = world.client(i);
        onion_real += client.counter(sessionproto::client_counter::onion_real);
        onion_modelled += client.counter(sessionproto::client_counter::onion_modelled);
        messages_real += client.counter(sessionproto::client_counter::messages_real);
        messages_modelled += client.counter(sessionproto::client_counter::messages_modelled);
    }
    const auto& crypto = world.spec().crypto;
    s["crypto"] = {{"mode", to_string(crypto.mode)},
                   {"fraction", crypto.real_fraction()},
                   {"onion_requests_real", onion_real},
                   {"onion_requests_modelled", onion_modelled},
                   {"messages_real", messages_real},
                   {"messages_modelled", messages_modelled}};
    s["profiles"] = profiles_summary(world);
    if (auto cpu = cpu_summary(world); !cpu.is_null()) s["cpu"] = std::move(cpu);
    s["events"] = world.engine().events_processed();
    s["fingerprint"] = world.engine().fingerprint().hex();
    return s;
}

}  // namespace sessionsim::world
