#include "models/session/node/client/poller.hpp"

#include <algorithm>
#include <utility>

#include "models/session/storage/json_fields.hpp"
#include "models/session/storage/namespace.hpp"

namespace sessionproto {

std::optional<std::string> Poller::last_hash(const Ed25519Pubkey& node) const {
    const auto it = last_hashes_.find(node);
    if (it == last_hashes_.end()) return std::nullopt;
    return it->second;
}

void Poller::schedule(Timestamp at, ClientContext& ctx) {
    if (armed_) return;
    armed_ = true;
    ctx.set_timer(ClientTimer::poll, 0, at);
}

void Poller::on_timer(Timestamp now, const ClientConfig& config, ClientContext& ctx) {
    armed_ = false;
    if (!ctx.is_online()) {
        // Desktop's loop keeps ticking while offline; nothing leaves.
        schedule(after(now, config.desktop_poll_interval_ms), ctx);
    } else {
        due_ = true;
    }
}

void Poller::try_poll(Timestamp now, const Ed25519Keypair& signer, SwarmCache& swarms, const NodePool& pool,
                      const ClientConfig& config, ClientContext& ctx) {
    if (in_flight_ || !ctx.is_online()) return;
    const auto swarm = swarms.usable(own_, pool);
    if (!swarm) {
        swarms.wait_poll(own_, ctx);
        return;
    }
    Entropy& entropy = ctx.entropy();
    std::optional<SnodeRecord> node;
    if (profile_ == ClientProfile::android) {
        // Poller.kt: the same member back-to-back until an error, then another unused one.
        if (android_node_) {
            for (const auto& n : *swarm) {
                if (n.ed25519 == *android_node_) node = n;
            }
        }
        if (!node) {
            std::vector<SnodeRecord> unused;
            for (const auto& n : *swarm) {
                if (!android_tried_.contains(n.ed25519)) unused.push_back(n);
            }
            node = random_member(unused, entropy);
        }
        if (!node) {
            android_tried_.clear();
            node = random_member(*swarm, entropy);
        }
    } else {
        node = random_member(*swarm, entropy);  // swarmPolling.ts: one random member per poll
    }
    std::string last;
    if (const auto it = last_hashes_.find(node->ed25519); it != last_hashes_.end()) last = it->second;
    const CryptoWork work = ctx.draw_crypto_work();
    const auto request = make_retrieve(own_, Namespace::default_ns, last, unix_ms(now), signer, work);
    if (!ctx.send_onion(now, ClientRequest::retrieve, 0, work, *node, rpc_body(request), config.onion_timeout_ms)) return;
    if (profile_ == ClientProfile::android) android_node_ = node->ed25519;
    due_ = false;
    in_flight_ = true;
    ctx.count(client_counter::polls, 1);
}

void Poller::on_reply(Timestamp now, const Ed25519Pubkey& node, const OnionOutcome& outcome, SwarmCache& swarms,
                      const NodePool& pool, const ClientConfig& config, ClientContext& ctx,
                      const std::function<void(const RetrievedMessage&)>& deliver) {
    if (!outcome.ok) {
        done(now, false, swarms, pool, config, ctx);
        return;
    }
    if (outcome.status == 421) {
        ctx.count(client_counter::wrong_swarm, 1);
        if (!swarms.replace_from(own_, outcome.body, ctx.entropy())) swarms.forget_member(own_, node);
        done(now, false, swarms, pool, config, ctx);
        return;
    }
    if (outcome.status != 200) {
        done(now, false, swarms, pool, config, ctx);
        return;
    }
    const auto j = json_field::parse_or_discard(outcome.body);
    auto reply = j.is_discarded() ? Result<RetrieveReply>(ErrorCode::bad_encoding, "not JSON") : parse_retrieve_reply(j);
    if (!reply) {
        ctx.count(client_counter::bad_retrieve_reply, 1);
        done(now, false, swarms, pool, config, ctx);
        return;
    }
    const std::int64_t now_ms = unix_ms(now);
    std::erase_if(seen_, [&](const auto& e) { return e.second < now_ms; });
    for (const auto& m : reply->messages) {
        if (seen_.contains(m.hash)) {
            ctx.count(client_counter::duplicate_message, 1);
            continue;
        }
        seen_.emplace(m.hash, m.expiry_ms);
        deliver(m);
    }
    if (!reply->messages.empty()) last_hashes_[node] = reply->messages.back().hash;
    done(now, true, swarms, pool, config, ctx);
}

void Poller::done(Timestamp now, bool ok, const SwarmCache& swarms, const NodePool& pool, const ClientConfig& config,
                  ClientContext& ctx) {
    in_flight_ = false;
    if (!ok) ctx.count(client_counter::polls_failed, 1);
    if (profile_ == ClientProfile::desktop) {
        schedule(after(now, config.desktop_poll_interval_ms), ctx);
        return;
    }
    if (ok) {
        android_delay_ms_ = config.android_all_tried_delay_ms;
        schedule(now, ctx);  // back-to-back
        return;
    }
    if (android_node_) android_tried_.insert(*android_node_);
    android_node_.reset();
    const auto swarm = swarms.usable(own_, pool);
    const bool all_tried =
        !swarm || std::all_of(swarm->begin(), swarm->end(),
                              [&](const SnodeRecord& n) { return android_tried_.contains(n.ed25519); });
    if (!all_tried) {
        schedule(now, ctx);
        return;
    }
    android_tried_.clear();
    schedule(after(now, android_delay_ms_), ctx);
    android_delay_ms_ = std::min<std::int64_t>(android_delay_ms_ * 6 / 5, config.android_max_delay_ms);
}

}  // namespace sessionproto
