#include "models/session/node/client/config_sync.hpp"

#include <array>
#include <utility>

#include "models/session/storage/batch_rpc.hpp"
#include "models/session/storage/json_fields.hpp"
#include "models/session/wire/envelope.hpp"

namespace sessionproto {
namespace {

/// The four user configs in namespace order (2, 3, 4, 5), as a push stores them.
constexpr std::array<UserConfigKind, 4> USER_CONFIGS{UserConfigKind::user_profile, UserConfigKind::contacts,
                                                     UserConfigKind::convo_info_volatile,
                                                     UserConfigKind::user_groups};

}  // namespace

std::string config_push_body(const Ed25519Keypair& owner, const SessionId& self, std::int64_t seqno,
                             std::int64_t now_ms, const ClientProfile& profile, CryptoWork work) {
    std::vector<RpcRequest> stores;
    stores.reserve(USER_CONFIGS.size());
    for (const auto kind : USER_CONFIGS) {
        auto blob = seal_config_message(owner, kind, seqno, static_cast<std::uint64_t>(now_ms), work);
        if (!blob) return {};
        StoreRequest store = make_store(self, namespace_of(kind), std::move(*blob), now_ms, profile.config_ttl_ms);
        sign_store(store, owner, now_ms, work);
        stores.emplace_back(std::move(store));
    }
    return batch_body(stores, profile.config_push_sequence ? BatchKind::sequence : BatchKind::batch);
}

void ConfigSync::start(Timestamp now, const ClientConfig& config, ClientContext& ctx) {
    if (config.profile.config_push_delay_ms < 0) return;
    ctx.set_timer(ClientTimer::config_push, 0, after(now, config.profile.config_push_delay_ms));
}

void ConfigSync::try_push(Timestamp now, const Ed25519Keypair& signer, SwarmCache& swarms, const NodePool& pool,
                          const ClientConfig& config, ClientContext& ctx) {
    if (!wants_push() || !ctx.is_online()) return;
    const auto swarm = swarms.usable(own_, pool);
    if (!swarm) return;  // the poller waits for the own swarm's lookup; the push follows it
    const auto node = random_member(*swarm, ctx.entropy());
    const CryptoWork work = ctx.draw_crypto_work();
    const std::string body = config_push_body(signer, own_, seqno_ + 1, unix_ms(now), config.profile, work);
    if (body.empty()) return;
    if (!ctx.send_onion(now, ClientRequest::config_push, 0, work, *node, body, config.profile.onion_timeout_ms)) {
        return;  // waits for a path
    }
    ++seqno_;
    due_ = false;
    in_flight_ = true;
    ctx.count(client_counter::config_pushes, 1);  // four stores, apart from the messages' `stores`
}

void ConfigSync::on_reply(Timestamp now, const OnionOutcome& outcome, const ClientConfig& config, ClientContext& ctx) {
    in_flight_ = false;
    if (!outcome.ok || outcome.status != 200) {
        retry(now, config, ctx);
        return;
    }
    auto j = json_field::parse_or_discard(outcome.body);
    auto results = j.is_discarded() ? Result<std::vector<BatchResult>>(ErrorCode::bad_encoding, "not JSON")
                                    : parse_batch_reply(std::move(j), USER_CONFIGS.size());
    if (!results) {
        retry(now, config, ctx);
        return;
    }
    std::vector<std::string> hashes;
    for (const auto& r : *results) {
        const auto hash = r.body.is_object() ? r.body.find("hash") : r.body.end();
        if (r.code != 200 || hash == r.body.end() || !hash->is_string()) {
            retry(now, config, ctx);
            return;
        }
        hashes.push_back(hash->get<std::string>());
    }
    hashes_ = std::move(hashes);
}

void ConfigSync::retry(Timestamp now, const ClientConfig& config, ClientContext& ctx) {
    ctx.count(client_counter::config_pushes_failed, 1);
    ctx.set_timer(ClientTimer::config_push, 0, after(now, config.profile.config_push_retry_ms));
}

}  // namespace sessionproto
