#include "sim/host/cpu_calibration.hpp"

#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "models/session/common/entropy.hpp"
#include "models/session/common/sodium.hpp"
#include "models/session/crypto/account_id.hpp"
#include "models/session/crypto/keys.hpp"
#include "models/session/node/transport.hpp"
#include "models/session/onion/builder.hpp"
#include "models/session/onion/hop_encryption.hpp"
#include "models/session/onion/hop_processing.hpp"
#include "models/session/onion/response.hpp"
#include "models/session/storage/message_hash.hpp"
#include "models/session/storage/message_store.hpp"

namespace sessionsim::host {
namespace {

using namespace sessionproto;
using Clock = std::chrono::steady_clock;

/// Wall nanoseconds per call of `op` (called with the iteration number), over about `budget`.
template <class Op>
double time_per_call(std::chrono::milliseconds budget, Op&& op) {
    op(0);  // warm caches and lazy initialisation
    std::uint64_t calls = 0;
    std::uint64_t batch = 1;
    const auto start = Clock::now();
    auto elapsed = Clock::duration{};
    while (elapsed < budget) {
        for (std::uint64_t i = 0; i < batch; ++i) op(calls + i + 1);
        calls += batch;
        batch = std::min<std::uint64_t>(batch * 2, 4096);
        elapsed = Clock::now() - start;
    }
    return static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count()) /
           static_cast<double>(calls);
}

Bytes filled(std::size_t size, Entropy& entropy) {
    Bytes b(size);
    entropy.fill(b);
    return b;
}

}  // namespace

OperationCosts measure_operation_costs(std::chrono::milliseconds per_operation) {
    sodium_ready();
    DeterministicEntropy entropy(1, "calibrate");
    OperationCosts c;
    volatile std::size_t sink = 0;  // keeps results alive

    // Per byte: XChaCha20-Poly1305 over a large and a small buffer; the difference per byte.
    const SymmetricKey key = SymmetricKey::from(filled(32, entropy)).value();
    const Bytes large = filled(64 * 1024, entropy);
    const Bytes small = filled(64, entropy);
    const Bytes sealed_large = seal_layer(EncType::xchacha20, key, large, entropy).value();
    const Bytes sealed_small = seal_layer(EncType::xchacha20, key, small, entropy).value();
    const double open_large = time_per_call(per_operation, [&](std::uint64_t) {
        sink = sink + open_layer(EncType::xchacha20, key, sealed_large)->size();
    });
    const double open_small = time_per_call(per_operation, [&](std::uint64_t) {
        sink = sink + open_layer(EncType::xchacha20, key, sealed_small)->size();
    });
    c.crypto_byte_ns = std::max(0.0, (open_large - open_small) / static_cast<double>(large.size() - small.size()));

    // One onion layer: the first hop of a real 3-hop request, peeled from a fresh copy each time.
    std::vector<Ed25519Keypair> ids;
    std::vector<X25519Keypair> xs;
    std::vector<SnodeKeys> path;
    for (int i = 0; i < 4; ++i) {
        ids.push_back(ed25519_generate(entropy));
        xs.push_back(x25519_from_ed25519(ids.back()));
    }
    for (int i = 0; i < 3; ++i) path.push_back(SnodeKeys{ids[i].pub, xs[i].pub});
    const Bytes payload = to_bytes(R"({"method":"retrieve","params":{}})");
    const OnionRequest request =
        build_onion_request(payload, path, SnodeKeys{ids[3].pub, xs[3].pub}, EncType::xchacha20, entropy).value();
    const OnionHop entry = parse_entry_request(request.body).value();
    const double peel = time_per_call(per_operation, [&](std::uint64_t) {
        sink = sink + peel_onion_layer(xs[0], entry).ok();
    });
    c.onion_layer_ns = std::max(0.0, peel - c.crypto_byte_ns * static_cast<double>(entry.ciphertext.size()));

    // One onion reply: the destination's encrypted answer to a small body.
    FinalDestination final_hop;
    final_hop.reply_key = key;
    final_hop.enc_type = EncType::xchacha20;
    const OnionResponse answer{200, R"({"messages":[]})"};
    const double reply = time_per_call(per_operation, [&](std::uint64_t) {
        sink = sink + encode_snode_response(final_hop, answer, entropy)->size();
    });
    c.onion_reply_ns = std::max(0.0, reply - c.crypto_byte_ns * static_cast<double>(answer.body.size()));

    // Ed25519 over a signed text of a typical length.
    const Bytes text = filled(80, entropy);
    const Signature sig = ed25519_sign(ids[0].sec, text);
    c.signature_ns = time_per_call(per_operation, [&](std::uint64_t) { sink = sink + static_cast<std::size_t>(ed25519_sign(ids[0].sec, text).data[0]); });
    c.signature_check_ns = time_per_call(per_operation, [&](std::uint64_t) { sink = sink + ed25519_verify(ids[0].pub, sig, text); });

    // The message hash of a small message, less its bytes.
    const SessionId owner = AccountId(xs[0].pub).as_session_id();
    const Bytes message = filled(100, entropy);
    const double hash = time_per_call(per_operation, [&](std::uint64_t) {
        sink = sink + static_cast<std::size_t>(storage_message_hash_raw(owner, Namespace{0}, message)[0]);
    });
    c.hash_ns = std::max(0.0, hash - c.crypto_byte_ns * static_cast<double>(message.size()));

    // The store: a write of a new message (its hash included, so taken out), then a retrieve of
    // an owner's ten newest messages from a store of 10,000 owners.
    MessageStore store;
    std::vector<SessionId> owners;
    for (int i = 0; i < 10'000; ++i) owners.push_back(AccountId(x25519_generate(entropy).pub).as_session_id());
    const std::int64_t now_ms = 1767225600000;
    const double write = time_per_call(per_operation, [&](std::uint64_t n) {
        Bytes data = message;
        std::memcpy(data.data(), &n, sizeof n);
        sink = sink + static_cast<std::size_t>(
                          store.store(owners[n % owners.size()], Namespace{0}, now_ms, now_ms + 86'400'000, std::move(data)).outcome);
    });
    c.db_write_ns = std::max(0.0, write - hash);  // `hash`: the whole hash of this message, bytes included
    c.db_read_ns = time_per_call(per_operation, [&](std::uint64_t n) {
        sink = sink + store.retrieve(owners[n % owners.size()], Namespace{0}, "", now_ms, RetrieveLimits{}).messages.size();
    });

    // A request's dispatch: decoding its transport packet and parsing a ~1 KiB JSON body.
    nlohmann::json body = {{"method", "store"},
                           {"params", {{"pubkey", owner.hex()}, {"namespace", 0}, {"ttl", 1209600000},
                                       {"timestamp", now_ms}, {"data", to_base64(filled(700, entropy))}}}};
    TransportPacket packet;
    packet.request_id = 7;
    packet.endpoint = "storage_rpc/v1";
    packet.body = to_bytes(body.dump());
    const Bytes wire = encode_packet(packet);
    c.request_ns = time_per_call(per_operation, [&](std::uint64_t) {
        auto p = decode_packet(wire);
        const auto j = nlohmann::json::parse(std::string_view(reinterpret_cast<const char*>(p->body.data()), p->body.size()),
                                             nullptr, false);
        sink = sink + j.size();
    });
    (void)sink;
    return c;
}

}  // namespace sessionsim::host
