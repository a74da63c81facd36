#include "models/session/node/client/poller.hpp"

#include <algorithm>
#include <utility>

#include "models/session/common/memory_estimate.hpp"
#include "models/session/storage/batch_rpc.hpp"
#include "models/session/storage/json_fields.hpp"
#include "models/session/storage/namespace.hpp"

namespace sessionproto {

std::string poll_body(const SessionId& owner, const std::vector<PollNamespace>& namespaces,
                      const std::function<std::string(Namespace)>& last_hash, std::int64_t now_ms,
                      const Ed25519Keypair& signer, CryptoWork work, const ConfigBump& bump) {
    std::vector<RpcRequest> requests;
    requests.reserve(namespaces.size() + 1);
    for (const auto& pn : namespaces) {
        RetrieveRequest r = make_retrieve(owner, pn.ns, last_hash(pn.ns), now_ms, signer, work);
        r.max_size = pn.max_size;
        requests.emplace_back(std::move(r));
    }
    if (!bump.empty()) {
        requests.emplace_back(make_expire(owner, *bump.hashes, {bump.expiry_ms}, bump.mode, signer, work));
    }
    if (requests.size() == 1) return rpc_body(requests.front());
    return batch_body(requests);
}

std::optional<std::string> Poller::last_hash(const Ed25519Pubkey& node, Namespace ns) const {
    const auto it = last_hashes_.find({node, to_int(ns)});
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
    if (ctx.is_online()) {
        due_ = true;
    } else if (config.profile.poll_schedule == PollSchedule::rounds) {
        // Desktop's loop keeps ticking while offline; nothing leaves.
        schedule(after(now, config.profile.poll_interval_ms), ctx);
    } else {
        due_ = true;  // Android polls only in the foreground: the poll waits for it (on_online)
    }
}

void Poller::on_online(const ClientConfig& config) {
    if (config.profile.poll_schedule == PollSchedule::backoff && !armed_) due_ = true;
}

std::vector<SnodeRecord> Poller::choose_members(const std::vector<SnodeRecord>& swarm, const ClientConfig& config,
                                                Entropy& entropy) {
    if (config.profile.poll_schedule == PollSchedule::backoff) {
        // SwarmSnodeSelector.kt: members in a shuffled order, each used once before any repeats.
        std::erase_if(rotation_, [&](const Ed25519Pubkey& k) { return !contains_node(swarm, k); });
        if (rotation_.empty()) {
            for (const auto& n : swarm) rotation_.push_back(n.ed25519);
            shuffle(rotation_, entropy);
        }
        const Ed25519Pubkey next = rotation_.back();
        rotation_.pop_back();
        for (const auto& n : swarm) {
            if (n.ed25519 == next) return {n};
        }
        return {};
    }
    // swarmPolling.ts: RETRIEVE_SNODES_COUNT distinct random members (one draw each; with one
    // member this is one uniform draw over the swarm).
    std::vector<SnodeRecord> left = swarm;
    std::vector<SnodeRecord> chosen;
    if (config.profile.poll_needs_full_round && left.size() < config.profile.retrieve_members_per_round) return {};
    const std::size_t k = std::min(config.profile.retrieve_members_per_round, left.size());
    for (std::size_t i = 0; i < k; ++i) {
        const auto j = static_cast<std::size_t>(entropy.uniform(left.size()));
        chosen.push_back(left[j]);
        left.erase(left.begin() + static_cast<std::ptrdiff_t>(j));
    }
    return chosen;
}

void Poller::try_poll(Timestamp now, const Ed25519Keypair& signer, SwarmCache& swarms, const NodePool& pool,
                      const ClientConfig& config, ClientContext& ctx, const std::vector<std::string>& bump_hashes) {
    if (in_flight_ > 0 || !ctx.is_online()) return;
    const auto swarm = swarms.usable(own_, pool);
    if (!swarm) {
        swarms.wait_poll(own_, ctx);
        return;
    }
    const auto& namespaces = config.profile.poll_namespaces;
    const std::vector<SnodeRecord> members = choose_members(*swarm, config, ctx.entropy());
    if (members.empty()) {
        // Desktop 2026 with fewer than RETRIEVE_SNODES_COUNT cached members: the round throws.
        due_ = false;
        done(now, false, config, ctx);
        return;
    }
    round_ok_ = false;
    round_ = ctx.next_id();
    const ConfigBump bump{config.profile.config_bump_ms > 0 ? &bump_hashes : nullptr,
                          unix_ms(now) + config.profile.config_bump_ms, config.profile.config_bump_mode};
    round_bumps_ = !bump.empty();
    for (const auto& node : members) {
        const CryptoWork work = ctx.draw_crypto_work();
        const auto last = [&](Namespace ns) { return last_hash(node.ed25519, ns).value_or(""); };
        const std::string body = poll_body(own_, namespaces, last, unix_ms(now), signer, work, bump);
        if (!ctx.send_onion(now, ClientRequest::retrieve, round_, work, node, body, config.profile.onion_timeout_ms)) {
            break;
        }
        ++in_flight_;
        ctx.count(client_counter::polls, 1);
        ctx.count(client_counter::retrieves, namespaces.size());
        if (round_bumps_) ctx.count(client_counter::config_bumps, 1);
    }
    if (in_flight_ > 0) {
        due_ = false;
        if (config.profile.poll_round_timeout_ms > 0) {
            ctx.set_timer(ClientTimer::poll_round, round_, after(now, config.profile.poll_round_timeout_ms));
        }
    }
}

void Poller::on_round_timeout(Timestamp now, std::uint64_t round, const ClientConfig& config, ClientContext& ctx) {
    if (in_flight_ == 0 || round != round_) return;  // that round already completed
    ctx.count(client_counter::poll_rounds_timed_out, 1);
    done(now, round_ok_, config, ctx);
}

void Poller::wrong_swarm(const Ed25519Pubkey& node, std::string_view body, SwarmCache& swarms, ClientContext& ctx) {
    ctx.count(client_counter::wrong_swarm, 1);
    if (!swarms.replace_from(own_, body, ctx.entropy())) swarms.forget_member(own_, node);
}

bool Poller::read_retrieve(Timestamp now, const Ed25519Pubkey& node, Namespace ns, int code, const nlohmann::json& body,
                           SwarmCache& swarms, ClientContext& ctx,
                           const std::function<void(const RetrievedMessage&)>& deliver) {
    if (code == 421) {
        // A 421 inside a batch carries the swarm as JSON (a top-level one is handled by on_reply).
        wrong_swarm(node, body.is_string() ? body.get<std::string>() : json_field::safe_dump(body), swarms, ctx);
        return false;
    }
    if (code != 200) return false;
    auto reply = body.is_discarded() ? Result<RetrieveReply>(ErrorCode::bad_encoding, "not JSON") : parse_retrieve_reply(body);
    if (!reply) {
        ctx.count(client_counter::bad_retrieve_reply, 1);
        return false;
    }
    if (ns == Namespace::default_ns) {
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
    }
    // Config namespaces: the account's own configs (config_sync.hpp) come back on a member's first
    // poll; merging its own configs changes nothing here, so their answers only move the last hash.
    if (!reply->messages.empty()) last_hashes_[{node, to_int(ns)}] = reply->messages.back().hash;
    return true;
}

void Poller::on_reply(Timestamp now, std::uint64_t round, const Ed25519Pubkey& node, const OnionOutcome& outcome,
                      SwarmCache& swarms, const NodePool& /*pool*/, const ClientConfig& config, ClientContext& ctx,
                      const std::function<void(const RetrievedMessage&)>& deliver) {
    if (in_flight_ == 0 || round != round_) {
        // The round ended without it (desktop 2024: the race abandons the request's result).
        ctx.count(client_counter::late_poll_replies, 1);
        return;
    }
    bool ok = false;
    const auto& namespaces = config.profile.poll_namespaces;
    if (outcome.ok && outcome.status == 421) {
        wrong_swarm(node, outcome.body, swarms, ctx);
    } else if (outcome.ok && outcome.status == 200) {
        const std::size_t expected = namespaces.size() + (round_bumps_ ? 1 : 0);
        if (expected == 1) {
            const auto j = json_field::parse_or_discard(outcome.body);
            ok = read_retrieve(now, node, namespaces.front().ns, 200, j, swarms, ctx, deliver);
        } else {
            // The retrieves' bodies are read; the expire's (last, when there is one) only its code.
            auto results = parse_batch_reply_text(outcome.body, expected, namespaces.size());
            if (!results) {
                ctx.count(client_counter::bad_retrieve_reply, 1);
            } else {
                // Desktop merges per namespace and keeps the round when namespace 0 answered;
                // Android counts any failed namespace as a failed poll (result.getOrThrow()).
                const bool every = config.profile.poll_schedule == PollSchedule::backoff;
                ok = true;
                for (std::size_t i = 0; i < namespaces.size(); ++i) {
                    const bool sub = read_retrieve(now, node, namespaces[i].ns, (*results)[i].code, (*results)[i].body,
                                                   swarms, ctx, deliver);
                    if (i == 0 || every) ok = ok && sub;
                }
                // The expire's answer is set aside (desktop slices it off before reading the
                // retrieves; Android does not look at it): counted, never a failed poll.
                if (round_bumps_ && (*results)[namespaces.size()].code != 200) {
                    ctx.count(client_counter::config_bumps_failed, 1);
                }
            }
        }
    }
    if (ok) round_ok_ = true;
    if (in_flight_ > 0) --in_flight_;
    if (in_flight_ == 0) done(now, round_ok_, config, ctx);
}

void Poller::done(Timestamp now, bool ok, const ClientConfig& config, ClientContext& ctx) {
    in_flight_ = 0;
    if (!ok) ctx.count(client_counter::polls_failed, 1);
    const ClientProfile& p = config.profile;
    if (p.poll_schedule == PollSchedule::rounds) {
        schedule(after(now, p.poll_interval_ms), ctx);
        return;
    }
    // BasePoller.kt: poll_interval after a success; after failures interval × (failures + 1),
    // capped.
    failures_ = ok ? 0 : failures_ + 1;
    const std::int64_t delay = std::min<std::int64_t>(p.poll_interval_ms * (failures_ + 1),
                                                      std::max(p.poll_failure_max_ms, p.poll_interval_ms));
    schedule(after(now, delay), ctx);
}

std::size_t Poller::heap_bytes() const {
    std::size_t bytes = memory::heap_bytes(rotation_) + memory::heap_bytes(last_hashes_) + memory::heap_bytes(seen_);
    for (const auto& [key, hash] : last_hashes_) bytes += memory::heap_bytes(hash);
    for (const auto& [hash, expiry] : seen_) bytes += memory::heap_bytes(hash);
    return bytes;
}

}  // namespace sessionproto
