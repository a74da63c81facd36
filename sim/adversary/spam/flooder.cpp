#include "sim/adversary/spam/flooder.hpp"

#include <algorithm>
#include <cmath>

#include "models/session/node/transport.hpp"
#include "models/session/storage/rpc.hpp"
#include "models/session/wire/envelope.hpp"

namespace sessionsim::adversary {

double pow_expected_hashes(double difficulty, std::uint64_t payload_bytes, double ttl_seconds) {
    const double l = static_cast<double>(payload_bytes) + 8;
    return difficulty * (l + std::floor(ttl_seconds * l / 65535.0));
}

Flooder::Flooder(FlooderConfig config, RandomStream rng, RandomStream crypto)
    : config_(std::move(config)), rng_(rng), sizes_(config_.message_size_bytes) {
    if (config_.session_messages) {
        entropy_ = std::make_unique<host::SimEntropy>(crypto);
        identity_ = sessionproto::ed25519_generate(*entropy_);
    }
}

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
        if (config_.session_messages) {
            // A real 1-to-1 message to the victim (or its modelled stand-in in a sampled run).
            const bool real = config_.real_crypto_fraction >= 1.0 || rng_.bernoulli(config_.real_crypto_fraction);
            // Numbered: a modelled stand-in carries its body in clear, and equal messages would be
            // one message to the server (it dedupes by hash).
            std::string body = "spam:" + std::to_string(stats_.requests) + ":";
            body.resize(std::max<std::size_t>(size, body.size()), 'x');
            const auto recipient = sessionproto::AccountId(sessionproto::X25519Pubkey{target.owner.key()});
            auto sealed = sessionproto::seal_message(
                *identity_, recipient,
                sessionproto::OutgoingMessage{std::move(body), static_cast<std::uint64_t>(sessionproto::unix_ms(now))},
                *entropy_, real ? sessionproto::CryptoWork::real : sessionproto::CryptoWork::modelled);
            if (sealed) {
                data = std::move(*sealed);
            } else {
                ++stats_.seal_failures;
                rng_.fill(data);
            }
        } else {
            rng_.fill(data);
        }
        if (config_.pow) {
            // The work comes first: the next request cannot leave before it is done.
            const double hashes = pow_expected_hashes(config_.pow->difficulty, size, static_cast<double>(config_.ttl_ms) / 1000);
            stats_.pow_hashes += hashes;
            gap = std::max(gap, hashes / config_.pow->hash_rate);
        }
        // Now, as a client would: the data differ (random bytes, or numbered messages), so equal
        // timestamps do not make equal message hashes; a timestamp ahead of the clock would be
        // refused once beyond the servers' allowed clock skew.
        const std::int64_t ts = sessionproto::unix_ms(now);
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
