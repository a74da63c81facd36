#include "sim/adversary/flooder.hpp"

#include <algorithm>
#include <cmath>

#include "models/session/node/transport.hpp"
#include "models/session/storage/rpc.hpp"

namespace sessionsim::adversary {

double pow_expected_hashes(double difficulty, std::uint64_t payload_bytes, double ttl_seconds) {
    const double l = static_cast<double>(payload_bytes) + 8;
    return difficulty * (l + std::floor(ttl_seconds * l / 65535.0));
}

Flooder::Flooder(FlooderConfig config, RandomStream rng)
    : config_(std::move(config)), rng_(rng), sizes_(config_.message_size_bytes) {}

void Flooder::arm() {
    const auto at = sessionproto::Timestamp(std::chrono::milliseconds(static_cast<std::int64_t>(std::ceil(next_arrival_ms_))));
    effects_.timers.push_back(sessionproto::TimerRequest{next_id_++, at});
}

void Flooder::start(sessionproto::Timestamp now) {
    if (started_ || config_.targets.empty() || !(config_.rate_per_second > 0)) return;
    started_ = true;
    next_arrival_ms_ = static_cast<double>(sessionproto::unix_ms(now)) + 1000.0 * rng_.exponential(1.0) / config_.rate_per_second;
    arm();
}

void Flooder::handle(sessionproto::Timestamp now, sessionproto::Input input) {
    if (auto* in = std::get_if<sessionproto::Inbound>(&input)) {
        const auto packet = sessionproto::decode_packet(in->payload);
        if (!packet.ok() || packet->is_request) return;
        if (packet->status == 200) ++stats_.accepted;
        else if (packet->status == 429) ++stats_.rate_limited;
        else ++stats_.rejected;
    } else if (std::get_if<sessionproto::TimerExpired>(&input) != nullptr && started_) {
        // Every arrival due by now leaves now (several per millisecond at high rates).
        while (next_arrival_ms_ <= static_cast<double>(sessionproto::unix_ms(now))) send_one(now);
        arm();
    }
}

void Flooder::send_one(sessionproto::Timestamp now) {
    const auto& target = config_.targets[rng_.index(config_.targets.size())];
    double gap = rng_.exponential(1.0) / config_.rate_per_second;
    if (!target.nodes.empty()) {
        const auto size = static_cast<std::uint64_t>(std::max(1.0, std::round(sizes_.sample(rng_))));
        sessionproto::Bytes data(size);
        rng_.fill(data);
        if (config_.pow) {
            // The work comes first: the next request cannot leave before it is done.
            const double hashes = pow_expected_hashes(config_.pow->difficulty, size, static_cast<double>(config_.ttl_ms) / 1000);
            stats_.pow_hashes += hashes;
            gap = std::max(gap, hashes / config_.pow->hash_rate);
        }
        // Distinct timestamps: the server dedupes by hash of (timestamp, owner, data...).
        const std::int64_t ts = std::max(sessionproto::unix_ms(now), previous_timestamp_ms_ + 1);
        previous_timestamp_ms_ = ts;
        const auto request = sessionproto::make_store(target.owner, sessionproto::Namespace::default_ns, std::move(data),
                                                      ts, config_.ttl_ms);
        sessionproto::TransportPacket p;
        p.is_request = true;
        p.request_id = next_id_++;
        p.endpoint = sessionproto::ENDPOINT_STORAGE_RPC;
        p.body = sessionproto::to_bytes(sessionproto::rpc_body(request));
        auto bytes = sessionproto::encode_packet(p);
        ++stats_.requests;
        stats_.bytes += bytes.size();
        effects_.sends.push_back(sessionproto::Outbound{target.nodes[rng_.index(target.nodes.size())], std::move(bytes)});
    }
    next_arrival_ms_ += 1000.0 * gap;
}

sessionproto::Effects Flooder::take_effects() {
    sessionproto::Effects out = std::move(effects_);
    effects_ = sessionproto::Effects{};
    return out;
}

}  // namespace sessionsim::adversary
