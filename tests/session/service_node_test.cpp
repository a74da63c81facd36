#include "models/session/node/service_node.hpp"
#include "models/session/storage/batch_rpc.hpp"
#include "models/session/storage/directory_rpc.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "models/session/node/replicate_parse_memo.hpp"
#include "models/session/node/token_bucket.hpp"
#include "models/session/node/transport.hpp"
#include "models/session/onion/builder.hpp"
#include "models/session/onion/response.hpp"
#include "models/session/storage/message_hash.hpp"
#include "models/session/storage/rpc.hpp"
#include "tests/session/node_harness.hpp"

namespace sessionproto {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::microseconds;
using test::NodeHarness;

constexpr std::uint64_t SWARM_A = 0x1000;
constexpr std::uint64_t SWARM_B = 0x8000'0000'0000'0000ULL;
const Timestamp T0{milliseconds(1'700'000'000'000)};
const PeerAddress CLIENT{0x0B000001, 5000};

Bytes request_packet(std::string_view endpoint, std::uint64_t id, Bytes body) {
    TransportPacket p;
    p.request_id = id;
    p.endpoint = std::string(endpoint);
    p.body = std::move(body);
    return encode_packet(p);
}

TransportPacket decode(const Bytes& bytes) {
    auto p = decode_packet(bytes);
    EXPECT_TRUE(p.ok());
    return p.ok() ? *p : TransportPacket{};
}

/// Ten nodes: 0-4 in swarm A, 5-9 in swarm B (unless an update says otherwise).
class ServiceNodeTest : public ::testing::Test {
  protected:
    DeterministicEntropy node_entropy{11, "service_node_test/nodes"};
    DeterministicEntropy client_entropy{12, "service_node_test/client"};
    std::vector<std::unique_ptr<ServiceNode>> nodes;
    NodeHarness net{T0};

    void SetUp() override {
        for (int i = 0; i < 10; ++i) {
            const PeerAddress address{0x0A000100u + static_cast<std::uint32_t>(i), STORAGE_HTTPS_PORT};
            nodes.push_back(
                std::make_unique<ServiceNode>(ed25519_generate(node_entropy), address, config_for(i), node_entropy));
            net.add(*nodes.back());
        }
    }

    virtual ServiceNodeConfig config_for(int /*node*/) const { return ServiceNodeConfig{}; }

    SnodeRecord record(int i, std::uint64_t swarm) const {
        return SnodeRecord{nodes[i]->ed25519(), nodes[i]->x25519(), nodes[i]->address(), swarm};
    }
    SwarmUpdate update(std::uint64_t height, const std::vector<std::uint64_t>& swarms) const {
        std::vector<SnodeRecord> records;
        for (std::size_t i = 0; i < swarms.size(); ++i) records.push_back(record(static_cast<int>(i), swarms[i]));
        return make_swarm_update(height, std::move(records));
    }
    static std::vector<std::uint64_t> default_swarms() {
        return {SWARM_A, SWARM_A, SWARM_A, SWARM_A, SWARM_A, SWARM_B, SWARM_B, SWARM_B, SWARM_B, SWARM_B};
    }
    /// Block 1 with node 4 in no swarm yet (the swarms of the join tests); node 4 joins A later.
    std::vector<std::uint64_t> start_with_node4_outside() {
        auto swarms = default_swarms();
        swarms[4] = INVALID_SWARM_ID.value;
        broadcast(update(1, swarms));
        return swarms;
    }
    void broadcast(const SwarmUpdate& u) {
        for (auto& n : nodes) net.input(*n, u);
    }

    /// A user whose Account ID belongs to `swarm`.
    std::pair<Ed25519Keypair, SessionId> user_in(std::uint64_t swarm) {
        for (;;) {
            const Ed25519Keypair kp = ed25519_generate(client_entropy);
            const SessionId id = AccountId::from_ed25519(kp.pub)->as_session_id();
            if (nodes[0]->swarm_for(id) == SwarmId(swarm)) return {kp, id};
        }
    }
    /// Requests (not replies) sent so far from node i to node j, for every pair.
    std::vector<std::vector<std::ptrdiff_t>> requests_between() {
        std::vector<std::vector<std::ptrdiff_t>> out(nodes.size(), std::vector<std::ptrdiff_t>(nodes.size(), 0));
        for (std::size_t i = 0; i < nodes.size(); ++i) {
            for (std::size_t j = 0; j < nodes.size(); ++j) {
                const auto sent = net.sent(nodes[i]->address(), nodes[j]->address());
                out[i][j] = std::count_if(sent.begin(), sent.end(), [](const Bytes& b) { return decode(b).is_request; });
            }
        }
        return out;
    }
    /// What a client knows of node `i`.
    SnodeKeys keys(int i) const { return SnodeKeys{nodes[i]->ed25519(), nodes[i]->x25519()}; }
    /// The onion path through nodes 5, 6 and 7.
    std::vector<SnodeKeys> path_5_6_7() const { return {keys(5), keys(6), keys(7)}; }
    /// The work node `i` reported in the effects it emitted from `since` (an index in net.emitted).
    Work work_of(int i, std::size_t since) const {
        Work sum;
        for (std::size_t e = since; e < net.emitted.size(); ++e) {
            if (net.emitted[e].node == nodes[i]->address()) sum += net.emitted[e].effects.work;
        }
        return sum;
    }
    std::string store_body(const SessionId& owner, std::string_view text, std::int64_t ttl_ms = 60'000) {
        return rpc_body(make_store(owner, Namespace::default_ns, to_bytes(text), unix_ms(net.now()), ttl_ms));
    }
    /// Sends a direct storage RPC from the client and returns the reply (runs `wait`).
    TransportPacket direct(int node, std::uint64_t id, const std::string& body, milliseconds wait = milliseconds(1000)) {
        const std::size_t before = net.inbox.size();
        net.send(CLIENT, nodes[node]->address(), request_packet(ENDPOINT_STORAGE_RPC, id, to_bytes(body)));
        net.run_for(wait);
        for (std::size_t i = before; i < net.inbox.size(); ++i) {
            auto p = decode(net.inbox[i].payload);
            if (!p.is_request && p.request_id == id) return p;
        }
        ADD_FAILURE() << "no reply to request " << id;
        return {};
    }
};

TEST_F(ServiceNodeTest, SwarmUpdateSetsSwarmAndPeers) {
    broadcast(update(1, default_swarms()));
    EXPECT_EQ(nodes[0]->swarm_id(), SwarmId(SWARM_A));
    EXPECT_EQ(nodes[7]->swarm_id(), SwarmId(SWARM_B));
    EXPECT_EQ(nodes[0]->swarm_peers().size(), 4u);
    for (const auto& p : nodes[0]->swarm_peers()) EXPECT_EQ(p.swarm_id, SWARM_A);
    EXPECT_TRUE(nodes[0]->next_wakeup().has_value());  // the expiry sweep
}

TEST_F(ServiceNodeTest, StoreThroughThreeHopOnionIsStoredReplicatedAndAnswered) {
    broadcast(update(1, default_swarms()));
    const auto [user, owner] = user_in(SWARM_A);
    const std::string body = store_body(owner, "hello through the onion");
    const std::vector<SnodeKeys> path = path_5_6_7();
    const SnodeKeys dest = keys(2);
    auto onion = build_onion_request(as_bytes(body), path, dest, EncType::xchacha20, client_entropy);
    ASSERT_TRUE(onion.ok()) << onion.error().message;
    net.send(CLIENT, nodes[5]->address(), request_packet(ENDPOINT_ONION_REQ, 77, onion->body));
    net.run_for(milliseconds(2000));

    ASSERT_EQ(net.inbox.size(), 1u);
    const TransportPacket reply = decode(net.inbox[0].payload);
    EXPECT_FALSE(reply.is_request);
    EXPECT_EQ(reply.request_id, 77u);
    EXPECT_EQ(reply.status, 200u);
    auto decoded = decode_snode_response(*onion, reply.body);
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    EXPECT_EQ(decoded->status, 200);
    auto store_reply = parse_store_reply(json::parse(decoded->body));
    ASSERT_TRUE(store_reply.ok()) << store_reply.error().message << decoded->body;
    EXPECT_EQ(store_reply->swarm.size(), 5u);
    const std::string hash = storage_message_hash(owner, Namespace::default_ns, as_bytes("hello through the onion"));
    EXPECT_EQ(store_reply->hash, hash);
    for (const auto& [key, result] : store_reply->swarm) {
        ASSERT_EQ(result.index(), 0u) << key.hex();
        const auto& r = std::get<0>(result);
        EXPECT_EQ(r.hash, hash);
        EXPECT_TRUE(ed25519_verify(key, r.signature, as_bytes(store_result_signed_text(hash))));
    }
    // Stored on every member of swarm A, on nobody else.
    for (int i = 0; i < 10; ++i) {
        EXPECT_EQ(nodes[i]->store().find(hash) != nullptr, i < 5) << "node " << i;
    }
    // Replication: node 2 sent one sn.storage_cc to each of its four peers.
    for (int i : {0, 1, 3, 4}) {
        const auto sent = net.sent(nodes[2]->address(), nodes[i]->address());
        ASSERT_EQ(sent.size(), 1u) << i;
        EXPECT_EQ(decode(sent[0]).endpoint, ENDPOINT_REPLICATE);
        const auto events = net.events_of(nodes[i]->address());
        EXPECT_EQ(std::count_if(events.begin(), events.end(),
                                [](const AppEvent& e) {
                                    const auto* stored = std::get_if<app::MessageStored>(&e);
                                    return stored != nullptr && stored->replica;
                                }),
                  1);
    }
    // Observations: the relays see next hops and no recipient; the final node learns the owner.
    const auto entry_obs = net.observations_of(nodes[5]->address());
    const auto relayed = std::find_if(entry_obs.begin(), entry_obs.end(),
                                      [](const Observation& o) { return o.kind == Observation::Kind::relayed; });
    ASSERT_NE(relayed, entry_obs.end());
    EXPECT_EQ(relayed->from, CLIENT);
    EXPECT_EQ(relayed->next, nodes[6]->ed25519());
    for (int i : {5, 6, 7}) {
        for (const auto& o : net.observations_of(nodes[i]->address())) EXPECT_FALSE(o.recipient.has_value());
    }
    const auto final_obs = net.observations_of(nodes[2]->address());
    const auto stored = std::find_if(final_obs.begin(), final_obs.end(),
                                     [](const Observation& o) { return o.kind == Observation::Kind::stored; });
    ASSERT_NE(stored, final_obs.end());
    EXPECT_EQ(stored->recipient, owner);
    EXPECT_EQ(stored->from, nodes[7]->address());
    const auto events = net.events_of(nodes[2]->address());
    EXPECT_TRUE(std::any_of(events.begin(), events.end(),
                            [&](const AppEvent& e) {
                                const auto* s = std::get_if<app::MessageStored>(&e);
                                return s != nullptr && !s->replica && s->owner == owner;
                            }));
}

// The operations each node reports (Work: what a host's processor model charges time for).
TEST_F(ServiceNodeTest, EveryNodeReportsTheWorkItsPartOfAnOnionStoreTook) {
    broadcast(update(1, default_swarms()));
    const auto [user, owner] = user_in(SWARM_A);
    const std::vector<SnodeKeys> path = path_5_6_7();
    const SnodeKeys dest = keys(2);
    auto onion = build_onion_request(as_bytes(store_body(owner, "work")), path, dest, EncType::xchacha20, client_entropy);
    ASSERT_TRUE(onion.ok());
    const std::size_t before = net.emitted.size();
    net.send(CLIENT, nodes[5]->address(), request_packet(ENDPOINT_ONION_REQ, 1, onion->body));
    net.run_for(milliseconds(2000));
    std::map<int, Work> work;
    for (int i = 0; i < 10; ++i) work[i] = work_of(i, before);
    // Relays: the request and the next hop's reply decoded, one layer opened, nothing stored.
    for (int i : {5, 6, 7}) {
        EXPECT_EQ(work[i].requests, 2u) << i;
        EXPECT_EQ(work[i].onion_layers, 1u) << i;
        EXPECT_EQ(work[i].onion_replies, 0u) << i;
        EXPECT_EQ(work[i].db_writes + work[i].hashes + work[i].signatures + work[i].signature_checks, 0u) << i;
        EXPECT_GT(work[i].crypto_bytes, 0u) << i;
    }
    // Layers shrink towards the destination: each relay opens fewer bytes than the one before.
    EXPECT_GT(work[5].crypto_bytes, work[6].crypto_bytes);
    EXPECT_GT(work[6].crypto_bytes, work[7].crypto_bytes);
    // The destination: its layer, the store (hash, write, signed result; an unauthenticated store
    // has no signature to check), its four peers' answers, and the encrypted reply.
    EXPECT_EQ(work[2].requests, 5u);
    EXPECT_EQ(work[2].onion_layers, 1u);
    EXPECT_EQ(work[2].onion_replies, 1u);
    EXPECT_EQ(work[2].hashes, 1u);
    EXPECT_EQ(work[2].db_writes, 1u);
    EXPECT_EQ(work[2].signatures, 1u);
    EXPECT_EQ(work[2].signature_checks, 0u);
    // Each peer: one sn.storage_cc, stored and signed, no onion work.
    for (int i : {0, 1, 3, 4}) {
        EXPECT_EQ(work[i].requests, 1u) << i;
        EXPECT_EQ(work[i].hashes, 1u) << i;
        EXPECT_EQ(work[i].db_writes, 1u) << i;
        EXPECT_EQ(work[i].signatures, 1u) << i;
        EXPECT_EQ(work[i].onion_layers + work[i].onion_replies, 0u) << i;
    }
    // Nodes outside the path and the swarm did nothing.
    for (int i : {8, 9}) EXPECT_TRUE(work[i].empty()) << i;
}

TEST_F(ServiceNodeTest, AnAuthenticatedRetrieveReportsItsSignatureCheckAndRead) {
    broadcast(update(1, default_swarms()));
    const auto [user, owner] = user_in(SWARM_A);
    const std::size_t before = net.emitted.size();
    const auto reply = direct(0, 1, rpc_body(make_retrieve(owner, Namespace::default_ns, "", unix_ms(net.now()), user)));
    ASSERT_EQ(reply.status, 200u);
    const Work sum = work_of(0, before);
    EXPECT_EQ(sum.signature_checks, 1u);
    EXPECT_EQ(sum.db_reads, 1u);
    EXPECT_EQ(sum.db_writes, 0u);
    EXPECT_EQ(sum.requests, 1u);  // one packet decoded; no onion, nothing signed
    EXPECT_EQ(sum.onion_layers + sum.onion_replies + sum.signatures, 0u);
}

/// Nodes of a sampled run: they accept modelled stand-ins (common/crypto_work.hpp).
class SampledServiceNodeTest : public ServiceNodeTest {
    ServiceNodeConfig config_for(int) const override {
        ServiceNodeConfig c;
        c.accept_modelled_crypto = true;
        return c;
    }
};

// A modelled flow's store is stored and replicated like a real one, but no member signs its
// result for real (no client checks it): each carries the all-zero stand-in signature. The work
// is reported as real signatures, which a processor model charges.
TEST_F(SampledServiceNodeTest, AModelledStoresMemberResultsCarryStandInSignatures) {
    broadcast(update(1, default_swarms()));
    const auto [user, owner] = user_in(SWARM_A);
    const std::vector<SnodeKeys> path = path_5_6_7();
    const SnodeKeys dest = keys(2);
    auto onion = build_onion_request(as_bytes(store_body(owner, "modelled")), path, dest, EncType::xchacha20,
                                     client_entropy, CryptoWork::modelled);
    ASSERT_TRUE(onion.ok());
    const std::size_t before = net.emitted.size();
    net.send(CLIENT, nodes[5]->address(), request_packet(ENDPOINT_ONION_REQ, 1, onion->body));
    net.run_for(milliseconds(2000));
    ASSERT_EQ(net.inbox.size(), 1u);
    const auto decoded = decode_snode_response(*onion, decode(net.inbox[0].payload).body);
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    const auto reply = parse_store_reply(json::parse(decoded->body));
    ASSERT_TRUE(reply.ok());
    ASSERT_EQ(reply->swarm.size(), 5u);
    for (const auto& [key, result] : reply->swarm) {
        ASSERT_EQ(result.index(), 0u) << key.hex();
        EXPECT_EQ(std::get<0>(result).signature, Signature{}) << key.hex();
    }
    const std::string hash = storage_message_hash(owner, Namespace::default_ns, as_bytes("modelled"));
    for (int i = 0; i < 5; ++i) EXPECT_NE(nodes[i]->store().find(hash), nullptr) << i;
    std::uint32_t signatures = 0;
    for (int i = 0; i < 10; ++i) signatures += work_of(i, before).signatures;
    EXPECT_EQ(signatures, 5u);
}

TEST_F(ServiceNodeTest, StoreForAnotherSwarmGets421WithThatSwarm) {
    broadcast(update(1, default_swarms()));
    const auto [user, owner] = user_in(SWARM_A);
    const TransportPacket reply = direct(7, 5, store_body(owner, "misdirected"));
    EXPECT_EQ(reply.status, 421u);
    const json body = json::parse(to_string(reply.body));
    ASSERT_TRUE(body.contains("snodes"));
    std::set<std::string> got;
    for (const auto& s : body["snodes"]) got.insert(s["pubkey_ed25519"].get<std::string>());
    std::set<std::string> want;
    for (int i = 0; i < 5; ++i) want.insert(nodes[i]->ed25519().hex());
    EXPECT_EQ(got, want);
    EXPECT_EQ(body["swarm"], SwarmId(SWARM_A).hex());
    EXPECT_EQ(nodes[7]->counter(node_counter::wrong_swarm), 1u);
    EXPECT_EQ(nodes[7]->store().message_count(), 0u);
}

TEST_F(ServiceNodeTest, RetrieveWithLastHash) {
    broadcast(update(1, default_swarms()));
    const auto [user, owner] = user_in(SWARM_A);
    std::vector<std::string> hashes;
    for (int i = 0; i < 3; ++i) {
        std::string text = "message ";
        text.append(std::to_string(i));
        EXPECT_EQ(direct(0, 10 + static_cast<std::uint64_t>(i), store_body(owner, text)).status, 200u);
        hashes.push_back(storage_message_hash(owner, Namespace::default_ns, as_bytes(text)));
    }
    // From another member: replication put all three there too.
    auto all = direct(3, 20, rpc_body(make_retrieve(owner, Namespace::default_ns, "", unix_ms(net.now()), user)));
    ASSERT_EQ(all.status, 200u) << to_string(all.body);
    auto parsed = parse_retrieve_reply(json::parse(to_string(all.body)));
    ASSERT_TRUE(parsed.ok());
    ASSERT_EQ(parsed->messages.size(), 3u);
    for (int i = 0; i < 3; ++i) EXPECT_EQ(parsed->messages[i].hash, hashes[i]);

    auto after = direct(3, 21, rpc_body(make_retrieve(owner, Namespace::default_ns, hashes[0], unix_ms(net.now()), user)));
    ASSERT_EQ(after.status, 200u);
    parsed = parse_retrieve_reply(json::parse(to_string(after.body)));
    ASSERT_TRUE(parsed.ok());
    ASSERT_EQ(parsed->messages.size(), 2u);
    EXPECT_EQ(parsed->messages[0].hash, hashes[1]);
    EXPECT_EQ(parsed->messages[1].hash, hashes[2]);

    // Unsigned retrieve of namespace 0: 401 (with "namespace" given, the parser wants the
    // signature fields and answers 400).
    json unsigned_req = {{"method", "retrieve"}, {"params", {{"pubkey", owner.hex()}}}};
    EXPECT_EQ(direct(3, 22, unsigned_req.dump()).status, 401u);

    const auto obs = net.observations_of(nodes[3]->address());
    EXPECT_TRUE(std::any_of(obs.begin(), obs.end(), [&](const Observation& o) {
        return o.kind == Observation::Kind::retrieved && o.recipient == owner && o.from == CLIENT;
    }));
}

TEST_F(ServiceNodeTest, ABatchIsAnsweredSubRequestBySubRequest) {
    // oxenss `batch` (request_handler.cpp): one result per sub-request, in order, each with its
    // own code; the batch fails only as a whole when malformed.
    broadcast(update(1, default_swarms()));
    const auto [user, owner] = user_in(SWARM_A);
    const auto [other_user, other] = user_in(SWARM_B);
    EXPECT_EQ(direct(0, 10, store_body(owner, "hello")).status, 200u);
    const std::int64_t now = unix_ms(net.now());
    std::vector<RpcRequest> subs{make_retrieve(owner, Namespace::default_ns, "", now, user),
                                 make_retrieve(owner, Namespace::contacts, "", now, user),
                                 make_retrieve(other, Namespace::default_ns, "", now, other_user),
                                 make_store(owner, Namespace::default_ns, to_bytes("x"), now, 60'000)};
    const TransportPacket reply = direct(0, 11, batch_body(subs));
    ASSERT_EQ(reply.status, 200u) << to_string(reply.body);
    auto results = parse_batch_reply(json::parse(to_string(reply.body)), 4);
    ASSERT_TRUE(results.ok()) << results.error().message;
    EXPECT_EQ((*results)[0].code, 200);
    auto inbox = parse_retrieve_reply((*results)[0].body);
    ASSERT_TRUE(inbox.ok());
    ASSERT_EQ(inbox->messages.size(), 1u);
    EXPECT_EQ((*results)[1].code, 200);
    EXPECT_TRUE(parse_retrieve_reply((*results)[1].body)->messages.empty());
    EXPECT_EQ((*results)[2].code, 421);  // another swarm's owner
    EXPECT_TRUE((*results)[2].body.contains("snodes"));
    // A recursive sub-request fans out as it would alone: every member of the swarm answers in
    // the sub-result's "swarm", and the message is on every member.
    EXPECT_EQ((*results)[3].code, 200);
    ASSERT_TRUE((*results)[3].body.contains("swarm"));
    EXPECT_EQ((*results)[3].body["swarm"].size(), 5u);
    for (int i = 1; i < 5; ++i) EXPECT_EQ(nodes[i]->store().message_count(), 2u) << "member " << i;
    // Malformed batches: 400 as a whole.
    EXPECT_EQ(direct(0, 12, R"({"method":"batch","params":{"requests":[]}})").status, 400u);
    EXPECT_EQ(direct(0, 13, R"({"method":"batch","params":{"requests":"no"}})").status, 400u);
    EXPECT_EQ(direct(0, 14, R"({"method":"batch"})").status, 400u);
    std::vector<RpcRequest> many(BATCH_MAX_SUBREQUESTS + 1, subs[0]);
    EXPECT_EQ(direct(0, 15, batch_body(many)).status, 400u);
}

TEST_F(ServiceNodeTest, ASequenceStopsAtItsFirstFailureAndABatchDoesNot) {
    // oxenss `sequence` runs its sub-requests one after another and stops at the first that
    // fails; `batch` runs them all (request_handler.cpp, c3b96a2).
    broadcast(update(1, default_swarms()));
    const auto [user, owner] = user_in(SWARM_A);
    const std::int64_t now = unix_ms(net.now());
    StoreRequest good = make_store(owner, Namespace::default_ns, to_bytes("first"), now, 60'000);
    StoreRequest bad = make_store(owner, Namespace::default_ns, to_bytes("bad ttl"), now, 0);
    StoreRequest last = make_store(owner, Namespace::default_ns, to_bytes("last"), now, 60'000);
    const std::string body = batch_body({good, bad, last});
    const TransportPacket seq = direct(0, 40, batch_body({good, bad, last}, BatchKind::sequence));
    ASSERT_EQ(seq.status, 200u) << to_string(seq.body);
    const auto seq_results = json::parse(to_string(seq.body))["results"];
    ASSERT_EQ(seq_results.size(), 2u);  // the third never ran
    EXPECT_EQ(seq_results[0]["code"], 200);
    EXPECT_EQ(seq_results[1]["code"], 403);  // a bad TTL
    EXPECT_EQ(nodes[0]->store().message_count(), 1u);

    const TransportPacket all = direct(0, 41, body);
    ASSERT_EQ(all.status, 200u);
    auto results = parse_batch_reply(json::parse(to_string(all.body)), 3);
    ASSERT_TRUE(results.ok()) << results.error().message;
    EXPECT_EQ((*results)[1].code, 403);
    EXPECT_EQ((*results)[2].code, 200);  // a batch goes on after a failure
    for (int i = 0; i < 5; ++i) EXPECT_EQ(nodes[i]->store().message_count(), 2u) << "member " << i;
}

TEST_F(ServiceNodeTest, AnExpireInABatchWaitsForTheSwarmAndMovesTheExpiryOnEveryMember) {
    // A poll's expiry bump of config hashes (desktop getHashesToBump, Android AlterTtl): an
    // `expire` sub-request is recursive, so the batch answers once every member did.
    broadcast(update(1, default_swarms()));
    const auto [user, owner] = user_in(SWARM_A);
    std::int64_t now = unix_ms(net.now());
    StoreRequest config = make_store(owner, Namespace::user_profile, to_bytes("config"), now, 60'000);
    sign_store(config, user, now);
    const TransportPacket stored = direct(0, 50, rpc_body(config));
    ASSERT_EQ(stored.status, 200u) << to_string(stored.body);
    const std::string hash = json::parse(to_string(stored.body))["hash"];
    now = unix_ms(net.now());
    const std::int64_t later = now + 20 * 24 * 3600'000LL;
    std::vector<RpcRequest> subs{make_retrieve(owner, Namespace::user_profile, "", now, user),
                                 make_expire(owner, {hash}, {later}, ExpireMode::extend, user)};
    const TransportPacket reply = direct(1, 51, batch_body(subs));
    ASSERT_EQ(reply.status, 200u) << to_string(reply.body);
    auto results = parse_batch_reply(json::parse(to_string(reply.body)), 2);
    ASSERT_TRUE(results.ok()) << results.error().message;
    EXPECT_EQ((*results)[0].code, 200);
    ASSERT_EQ((*results)[1].code, 200) << (*results)[1].body.dump();
    auto expire = parse_expire_reply((*results)[1].body);
    ASSERT_TRUE(expire.ok()) << expire.error().message;
    EXPECT_EQ(expire->swarm.size(), 5u);
    for (int i = 0; i < 5; ++i) {
        const std::vector<std::string> hashes{hash};
        const auto expiries = nodes[i]->store().get_expiries(owner, hashes);
        ASSERT_EQ(expiries.size(), 1u) << "member " << i;
        EXPECT_EQ(expiries.begin()->second, later) << "member " << i;
    }
}

TEST_F(ServiceNodeTest, ADirectGetSwarmIsObservedWithTheAccountIdItAsksFor) {
    // A desktop guard test (onionPath.ts testGuardNode) asks a candidate, direct, for the
    // client's own swarm: the node sees the client's address and its Account ID together.
    broadcast(update(1, default_swarms()));
    const auto [user, owner] = user_in(SWARM_A);
    EXPECT_EQ(direct(4, 30, get_swarm_request(owner)).status, 200u);
    const auto obs = net.observations_of(nodes[4]->address());
    EXPECT_TRUE(std::any_of(obs.begin(), obs.end(), [&](const Observation& o) {
        return o.kind == Observation::Kind::looked_up && o.recipient == owner && o.from == CLIENT && o.size > 0;
    }));
}

TEST_F(ServiceNodeTest, DeleteAndExpireFanOutToTheSwarm) {
    broadcast(update(1, default_swarms()));
    const auto [user, owner] = user_in(SWARM_A);
    ASSERT_EQ(direct(0, 1, store_body(owner, "keep")).status, 200u);
    ASSERT_EQ(direct(0, 2, store_body(owner, "drop")).status, 200u);
    const std::string keep = storage_message_hash(owner, Namespace::default_ns, as_bytes("keep"));
    const std::string drop = storage_message_hash(owner, Namespace::default_ns, as_bytes("drop"));

    const auto deleted = direct(1, 3, rpc_body(make_delete(owner, {drop}, user)));
    ASSERT_EQ(deleted.status, 200u) << to_string(deleted.body);
    auto parsed = parse_hash_list_reply(json::parse(to_string(deleted.body)), "deleted");
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(parsed->swarm.size(), 5u);
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(nodes[i]->store().find(drop), nullptr) << i;
        EXPECT_NE(nodes[i]->store().find(keep), nullptr) << i;
    }

    const std::int64_t new_expiry = unix_ms(net.now()) + 30'000;
    const auto expired = direct(2, 4, rpc_body(make_expire(owner, {keep}, {new_expiry}, ExpireMode::set, user)));
    ASSERT_EQ(expired.status, 200u) << to_string(expired.body);
    auto expire_reply = parse_expire_reply(json::parse(to_string(expired.body)));
    ASSERT_TRUE(expire_reply.ok());
    for (const auto& [key, result] : expire_reply->swarm) {
        ASSERT_EQ(result.index(), 0u);
        EXPECT_EQ(std::get<0>(result).updated, std::vector<std::string>{keep});
    }
    for (int i = 0; i < 5; ++i) EXPECT_EQ(nodes[i]->store().find(keep)->expiry_ms, new_expiry) << i;

    // A bad signature is refused by the entry node, and nothing is forwarded.
    const auto [other, other_id] = user_in(SWARM_A);
    EXPECT_EQ(direct(1, 5, rpc_body(make_delete(owner, {keep}, other))).status, 401u);
    EXPECT_NE(nodes[0]->store().find(keep), nullptr);
}

TEST_F(ServiceNodeTest, RelayTimeoutAnswers504) {
    broadcast(update(1, default_swarms()));
    const auto [user, owner] = user_in(SWARM_A);
    net.set_down(nodes[6]->address());
    const std::vector<SnodeKeys> path{{nodes[5]->ed25519(), nodes[5]->x25519()},
                                      {nodes[6]->ed25519(), nodes[6]->x25519()}};
    auto onion = build_onion_request(as_bytes(store_body(owner, "lost")), path,
                                     SnodeKeys{nodes[2]->ed25519(), nodes[2]->x25519()}, EncType::xchacha20,
                                     client_entropy);
    ASSERT_TRUE(onion.ok());
    net.send(CLIENT, nodes[5]->address(), request_packet(ENDPOINT_ONION_REQ, 3, onion->body));
    net.run_for(milliseconds(29'000));
    EXPECT_TRUE(net.inbox.empty());
    net.run_for(milliseconds(1'100));
    ASSERT_EQ(net.inbox.size(), 1u);
    const auto reply = decode(net.inbox[0].payload);
    EXPECT_EQ(reply.request_id, 3u);
    EXPECT_EQ(reply.status, 504u);
    EXPECT_EQ(nodes[5]->counter(node_counter::relay_timeout), 1u);
}

TEST_F(ServiceNodeTest, ReplicationTimeoutIsCountedAndReported) {
    broadcast(update(1, default_swarms()));
    const auto [user, owner] = user_in(SWARM_A);
    net.set_down(nodes[3]->address());
    net.send(CLIENT, nodes[0]->address(),
             request_packet(ENDPOINT_STORAGE_RPC, 1, to_bytes(store_body(owner, "one peer is down"))));
    net.run_for(milliseconds(4000));
    // The entry node waits for the 5 s timeout before answering.
    EXPECT_TRUE(net.inbox.empty());
    EXPECT_EQ(nodes[1]->store().message_count(), 1u);
    net.run_for(milliseconds(1100));
    ASSERT_EQ(net.inbox.size(), 1u);
    const TransportPacket late = decode(net.inbox[0].payload);
    EXPECT_EQ(late.status, 200u);
    auto parsed = parse_store_reply(json::parse(to_string(late.body)));
    ASSERT_TRUE(parsed.ok());
    int failures = 0;
    for (const auto& [key, result] : parsed->swarm) {
        if (result.index() == 1) {
            ++failures;
            EXPECT_EQ(key, nodes[3]->ed25519());
            EXPECT_TRUE(std::get<1>(result).timeout);
        }
    }
    EXPECT_EQ(failures, 1);
    EXPECT_EQ(nodes[0]->counter(node_counter::replicate_timeout), 1u);
    EXPECT_EQ(nodes[3]->store().message_count(), 0u);  // no retry
    net.set_down(nodes[3]->address(), false);
    net.run_for(milliseconds(60'000));
    EXPECT_EQ(nodes[3]->store().message_count(), 0u);
}

TEST_F(ServiceNodeTest, NewSwarmMemberReceivesPushedMessagesOnce) {
    auto swarms = start_with_node4_outside();
    EXPECT_EQ(nodes[0]->swarm_peers().size(), 3u);
    const auto [user, owner] = user_in(SWARM_A);
    EXPECT_EQ(direct(0, 1, store_body(owner, "before the join 1")).status, 200u);
    EXPECT_EQ(direct(1, 2, store_body(owner, "before the join 2")).status, 200u);
    EXPECT_EQ(nodes[4]->store().message_count(), 0u);

    swarms[4] = SWARM_A;
    broadcast(update(2, swarms));
    net.run_for(milliseconds(1000));
    EXPECT_EQ(nodes[4]->store().message_count(), 2u);
    // Each existing member pushed once; the joining node pushed nothing.
    for (int i = 0; i < 4; ++i) EXPECT_EQ(net.sent(nodes[i]->address(), nodes[4]->address()).size(), 1u) << i;
    // Node 4 only answered each push.
    for (int i = 0; i < 4; ++i) {
        const auto replies = net.sent(nodes[4]->address(), nodes[i]->address());
        ASSERT_EQ(replies.size(), 1u) << i;
        EXPECT_FALSE(decode(replies[0]).is_request);
    }
    // The same list again pushes nothing more.
    const std::size_t before = net.emitted.size();
    broadcast(update(3, swarms));
    net.run_for(milliseconds(1000));
    for (std::size_t i = before; i < net.emitted.size(); ++i) {
        for (const auto& s : net.emitted[i].effects.sends) EXPECT_NE(s.to, nodes[4]->address());
    }
    for (int i = 0; i < 4; ++i) EXPECT_EQ(nodes[i]->counter(node_counter::push_timeout), 0u);
}

// oxenss c3b96a2 (omq.cpp handle_sn_data): a push is stored from any node the receiver lists, peer
// or not, and refused only by a receiver that does not list the pusher at all (here: one that
// restarted and has no list yet). Nothing is retried.
TEST_F(ServiceNodeTest, APushIsRefusedOnlyByAReceiverThatDoesNotListThePusher) {
    auto swarms = start_with_node4_outside();
    const auto [user, owner] = user_in(SWARM_A);
    EXPECT_EQ(direct(0, 1, store_body(owner, "held by A", 3'600'000)).status, 200u);
    swarms[4] = SWARM_A;
    nodes[4]->restart(net.now());  // node 4 forgot its list: it knows no service node
    for (int i = 0; i < 4; ++i) net.input(*nodes[i], update(2, swarms));
    net.run_for(milliseconds(1000));
    EXPECT_EQ(nodes[4]->store().message_count(), 0u);
    EXPECT_EQ(nodes[4]->counter(node_counter::push_unknown_sender), 4u);
    for (int i = 0; i < 4; ++i) EXPECT_EQ(nodes[i]->counter(node_counter::push_failed), 1u) << i;
    // Its list arrives later: nothing is pushed again (a one-shot push).
    net.input(*nodes[4], update(2, swarms));
    net.run_for(milliseconds(60'000));
    EXPECT_EQ(nodes[4]->store().message_count(), 0u);
}

/// The same ten nodes with oxen-storage-server PR #507's fix: ask snode.data_ready first.
class DataReadyTest : public ServiceNodeTest {
  protected:
    ServiceNodeConfig config_for(int /*node*/) const override {
        ServiceNodeConfig c;
        c.push_waits_for_data_ready = true;
        return c;
    }
};

TEST_F(DataReadyTest, ExistingMembersPushOnlyOnceTheNewMemberAnswersReady) {
    auto swarms = start_with_node4_outside();
    const auto [user, owner] = user_in(SWARM_A);
    EXPECT_EQ(direct(0, 1, store_body(owner, "before the join 1")).status, 200u);
    EXPECT_EQ(direct(1, 2, store_body(owner, "before the join 2")).status, 200u);
    // Nodes 0-3 learn that node 4 joined A; node 4 has not applied that list yet.
    swarms[4] = SWARM_A;
    for (int i = 0; i < 4; ++i) net.input(*nodes[i], update(2, swarms));
    net.run_for(milliseconds(1000));
    EXPECT_EQ(nodes[4]->store().message_count(), 0u);  // asked, answered "not ready", nothing pushed
    for (int i = 0; i < 4; ++i) {
        EXPECT_EQ(nodes[i]->counter(node_counter::data_ready_sent), 1u) << i;
        EXPECT_EQ(nodes[i]->counter(node_counter::data_ready_not_ready), 1u) << i;
        EXPECT_EQ(nodes[i]->counter(node_counter::pushes_sent), 0u) << i;
    }
    net.run_for(milliseconds(10'000));
    net.input(*nodes[4], update(2, swarms));
    net.run_for(milliseconds(19'000));  // 30 s after the first answer: not yet asked again
    EXPECT_EQ(nodes[4]->store().message_count(), 0u);
    net.run_for(milliseconds(2'000));
    EXPECT_EQ(nodes[4]->store().message_count(), 2u);
    for (int i = 0; i < 4; ++i) {
        EXPECT_EQ(nodes[i]->counter(node_counter::data_ready_sent), 2u) << i;
        EXPECT_EQ(nodes[i]->counter(node_counter::pushes_sent), 1u) << i;
    }
    // Ready answered: no more questions.
    net.run_for(milliseconds(120'000));
    for (int i = 0; i < 4; ++i) EXPECT_EQ(nodes[i]->counter(node_counter::data_ready_sent), 2u) << i;
}

TEST_F(DataReadyTest, AnUnreachableNewMemberIsAskedAgainUntilItAnswers) {
    auto swarms = start_with_node4_outside();
    const auto [user, owner] = user_in(SWARM_A);
    EXPECT_EQ(direct(0, 1, store_body(owner, "kept for node 4", 3'600'000)).status, 200u);
    net.set_down(nodes[4]->address());
    swarms[4] = SWARM_A;
    broadcast(update(2, swarms));
    net.run_for(milliseconds(100'000));  // 5 s timeouts, then every 30 s
    EXPECT_EQ(nodes[4]->store().message_count(), 0u);
    for (int i = 0; i < 4; ++i) {
        // Asked at 0 s, 35 s, 70 s (a 5 s timeout, then 30 s): unanswered each time, nothing pushed.
        EXPECT_GE(nodes[i]->counter(node_counter::data_ready_not_ready), 2u) << i;
        EXPECT_EQ(nodes[i]->counter(node_counter::pushes_sent), 0u) << i;
    }
    net.set_down(nodes[4]->address(), false);
    net.input(*nodes[4], update(2, swarms));
    net.run_for(milliseconds(40'000));
    EXPECT_EQ(nodes[4]->store().message_count(), 1u);
}

// Spec session-network §2.6: our swarm dissolved -> every message goes to its new owner swarm.
TEST_F(ServiceNodeTest, ADissolvedSwarmPushesItsMessagesToTheirNewSwarm) {
    broadcast(update(1, default_swarms()));
    const auto [user, owner] = user_in(SWARM_B);
    EXPECT_EQ(direct(5, 1, store_body(owner, "kept through the dissolution")).status, 200u);
    for (int i = 5; i < 10; ++i) ASSERT_EQ(nodes[i]->store().message_count(), 1u) << i;
    for (int i = 0; i < 5; ++i) ASSERT_EQ(nodes[i]->store().message_count(), 0u) << i;
    const auto before = requests_between();
    broadcast(update(2, std::vector<std::uint64_t>(10, SWARM_A)));  // swarm B is gone
    net.run_for(milliseconds(1000));
    for (int i = 0; i < 10; ++i) EXPECT_EQ(nodes[i]->store().message_count(), 1u) << i;
    // Each former B member pushed once to every other member of the swarm that now owns the
    // message (A, which its old peers joined too); A's old members pushed their (empty) stores
    // to nobody.
    const auto after = requests_between();
    for (int from = 0; from < 10; ++from) {
        for (int to = 0; to < 10; ++to) {
            EXPECT_EQ(after[from][to] - before[from][to], from >= 5 && from != to ? 1 : 0) << from << " -> " << to;
        }
    }
}

// §2.6: moved to another swarm whose old swarm still exists -> nothing pushed; the old data stays
// on the node as dead data (oxen-storage-server#470), the new swarm's members push theirs to it.
TEST_F(ServiceNodeTest, AMoveToAnotherSwarmLeavesDeadDataAndPushesNothing) {
    broadcast(update(1, default_swarms()));
    const auto [a_user, a_owner] = user_in(SWARM_A);
    const auto [b_user, b_owner] = user_in(SWARM_B);
    EXPECT_EQ(direct(0, 1, store_body(a_owner, "A's message")).status, 200u);
    EXPECT_EQ(direct(5, 2, store_body(b_owner, "B's message")).status, 200u);
    auto swarms = default_swarms();
    swarms[4] = SWARM_B;  // node 4 leaves A (which lives on) for B
    broadcast(update(2, swarms));
    net.run_for(milliseconds(1000));
    EXPECT_EQ(nodes[4]->store().message_count(), 2u);  // its A message (dead) and B's pushed one
    for (int to = 0; to < 10; ++to) {
        const auto sent = net.sent(nodes[4]->address(), nodes[to]->address());
        EXPECT_TRUE(std::none_of(sent.begin(), sent.end(), [](const Bytes& b) { return decode(b).is_request; })) << to;
    }
    for (int i = 5; i < 10; ++i) EXPECT_EQ(net.sent(nodes[i]->address(), nodes[4]->address()).size(), 1u) << i;
}

// §2.6: same swarm, a new swarm appeared elsewhere -> the messages it now owns go to each of its
// members, from every node that holds them.
TEST_F(ServiceNodeTest, ANewSwarmElsewhereGetsTheMessagesItNowOwns) {
    constexpr std::uint64_t SWARM_C = 0xC000'0000'0000'0000ULL;
    broadcast(update(1, default_swarms()));
    // A user of swarm B whose closest swarm becomes C once C exists.
    const std::vector<SwarmId> with_c{SwarmId(SWARM_A), SwarmId(SWARM_B), SwarmId(SWARM_C)};
    SessionId owner = user_in(SWARM_B).second;
    while (closest_swarm(pubkey_to_swarm_space(owner), with_c) != SwarmId(SWARM_C)) owner = user_in(SWARM_B).second;
    EXPECT_EQ(direct(5, 1, store_body(owner, "moves to C")).status, 200u);
    const auto before = requests_between();
    auto swarms = default_swarms();
    swarms[8] = SWARM_C;
    swarms[9] = SWARM_C;
    broadcast(update(2, swarms));
    net.run_for(milliseconds(1000));
    ASSERT_EQ(nodes[5]->swarm_for(owner), SwarmId(SWARM_C));
    // 5, 6 and 7 (still B) pushed it to both members of C; 8 and 9 moved to C while B lives on,
    // so they push nothing; A's nodes hold nothing of it and push nothing.
    const auto after = requests_between();
    for (int from = 0; from < 10; ++from) {
        for (int to = 0; to < 10; ++to) {
            const bool push = from >= 5 && from <= 7 && to >= 8;
            EXPECT_EQ(after[from][to] - before[from][to], push ? 1 : 0) << from << " -> " << to;
        }
    }
    EXPECT_EQ(nodes[8]->store().message_count(), 1u);
}

TEST_F(ServiceNodeTest, ExpirySweepRemovesExpiredMessages) {
    broadcast(update(1, default_swarms()));
    const auto [user, owner] = user_in(SWARM_A);
    EXPECT_EQ(direct(0, 1, store_body(owner, "short lived", 10'000), milliseconds(100)).status, 200u);
    EXPECT_EQ(nodes[0]->store().message_count(), 1u);
    net.run_until(T0 + milliseconds(9'900));
    EXPECT_EQ(nodes[0]->store().message_count(), 1u);
    net.run_until(T0 + milliseconds(10'000));  // the sweep fires 10 s after the node's first input
    EXPECT_EQ(nodes[0]->store().message_count(), 0u);
    EXPECT_EQ(nodes[1]->store().message_count(), 0u);
}

TEST_F(ServiceNodeTest, TokenBucketAdmits600ThenRefills300PerSecond) {
    ServiceNode& n = *nodes[0];
    n.handle(T0, update(1, default_swarms()));
    (void)n.take_effects();
    auto fire = [&](Timestamp at, int count, PeerAddress from) {
        int limited = 0;
        for (int i = 0; i < count; ++i) {
            n.handle(at, Inbound{from, request_packet(ENDPOINT_STORAGE_RPC, static_cast<std::uint64_t>(i),
                                                      to_bytes("{}"))});
            const Effects fx = n.take_effects();
            EXPECT_EQ(fx.sends.size(), 1u);
            const auto reply = decode(fx.sends[0].payload);
            if (reply.status == 429) {
                ++limited;
            } else {
                EXPECT_EQ(reply.status, 400u);  // admitted, then refused as a bad request
            }
        }
        return limited;
    };
    EXPECT_EQ(fire(T0, 601, CLIENT), 1);
    EXPECT_EQ(fire(T0 + milliseconds(1000), 301, CLIENT), 1);
    EXPECT_EQ(fire(T0 + milliseconds(1500), 150, CLIENT), 0);
    EXPECT_EQ(fire(T0 + milliseconds(1500), 1, CLIENT), 1);
    // Another address has its own bucket; onion entry requests are never limited (oxenss
    // process_onion_req_v2 does not call the limiter), even from an empty bucket's address.
    EXPECT_EQ(fire(T0 + milliseconds(1500), 10, PeerAddress{0x0B000002, 5000}), 0);
    n.handle(T0 + milliseconds(1500), Inbound{CLIENT, request_packet(ENDPOINT_ONION_REQ, 9, to_bytes("x"))});
    EXPECT_EQ(decode(n.take_effects().sends.at(0).payload).status, 400u);  // admitted: not an onion
    EXPECT_EQ(n.counter(node_counter::rate_limited), 3u);
}

TEST(ServiceNodeRateLimit, SwitchedOffEveryClientRequestIsAdmitted) {
    DeterministicEntropy e{5, "rate_limit_off"};
    ServiceNodeConfig config;
    config.rate_limit_clients = false;
    ServiceNode n(ed25519_generate(e), PeerAddress{0x0A000100u, STORAGE_HTTPS_PORT}, config, e);
    for (int i = 0; i < 2000; ++i) {
        n.handle(T0, Inbound{CLIENT, request_packet(ENDPOINT_STORAGE_RPC, static_cast<std::uint64_t>(i), to_bytes("{}"))});
        const Effects fx = n.take_effects();
        ASSERT_EQ(fx.sends.size(), 1u);
        EXPECT_NE(decode(fx.sends[0].payload).status, 429u) << i;
    }
    EXPECT_EQ(n.counter(node_counter::rate_limited), 0u);
    EXPECT_EQ(n.rate_limiter().tracked(), 0u);  // the bucket is not even consulted
}

TEST(TokenBucketMap, WholeTokensAndTheTimePointResetOnSuccess) {
    // oxenss rate_limiter.cpp (c3b96a2): P = 1'000'000 / 300 = 3333 us; tokens are whole.
    TokenBucketMap b(300, 600, 10);
    EXPECT_EQ(b.period_us(), 3333);
    for (int i = 0; i < 600; ++i) EXPECT_TRUE(b.admit(7, T0));
    EXPECT_FALSE(b.admit(7, T0 + microseconds(3332)));  // not a whole period yet: refused
    EXPECT_TRUE(b.admit(7, T0 + microseconds(3333)));   // the refusal kept the time point
    // A success restarts the time point: 3000 us + 3000 us never make a token.
    EXPECT_FALSE(b.admit(7, T0 + microseconds(6333)));
    EXPECT_TRUE(b.admit(7, T0 + microseconds(6666)));
    // Two periods at once give two tokens: one taken, one left.
    EXPECT_TRUE(b.admit(7, T0 + microseconds(6666 + 2 * 3333)));
    EXPECT_TRUE(b.admit(7, T0 + microseconds(6666 + 2 * 3333)));
    EXPECT_FALSE(b.admit(7, T0 + microseconds(6666 + 2 * 3333)));
}

TEST(TokenBucketMap, LazyRefillAndBoundedMemory) {
    TokenBucketMap b(300, 600, 2);
    for (int i = 0; i < 600; ++i) EXPECT_TRUE(b.admit(1, T0));
    EXPECT_FALSE(b.admit(1, T0));
    EXPECT_EQ(b.tokens(1, T0 + milliseconds(10)), 3u);
    EXPECT_TRUE(b.admit(2, T0));
    EXPECT_FALSE(b.admit(3, T0));  // two addresses tracked, none full
    EXPECT_TRUE(b.admit(3, T0 + milliseconds(2000)));  // both refilled to full: forgotten
    EXPECT_EQ(b.tracked(), 1u);
    EXPECT_EQ(b.cleanup(T0 + milliseconds(10'000)), 1u);
    EXPECT_EQ(b.tracked(), 0u);
}

TEST_F(ServiceNodeTest, MalformedInputsAreDroppedAndCounted) {
    broadcast(update(1, default_swarms()));
    ServiceNode& n = *nodes[0];
    (void)n.take_effects();
    const Bytes junk{std::byte{0xff}, std::byte{0x00}, std::byte{0x13}, std::byte{0x37}, std::byte{0xff}};
    n.handle(T0, Inbound{CLIENT, junk});
    n.handle(T0, Inbound{CLIENT, Bytes{}});
    EXPECT_TRUE(n.take_effects().sends.empty());
    EXPECT_GE(n.counter(node_counter::malformed_packet), 1u);
    // Garbage bodies on every endpoint: error statuses, never a crash.
    const PeerAddress peer = nodes[1]->address();
    const std::vector<std::pair<std::string, PeerAddress>> cases{{ENDPOINT_ONION_REQ, CLIENT},
                                                                 {ENDPOINT_STORAGE_RPC, CLIENT},
                                                                 {ENDPOINT_ONION_RELAY, peer},
                                                                 {ENDPOINT_REPLICATE, peer},
                                                                 {"/nope", CLIENT}};
    std::uint64_t id = 100;
    for (const auto& [endpoint, from] : cases) {
        for (const std::string body : {"", "{", "\x01\x02\x03", R"({"push": 5})", R"({"push": [1, {"pubkey": 3}]})",
                                       R"({"method":"store","params":{}})"}) {
            n.handle(T0, Inbound{from, request_packet(endpoint, ++id, to_bytes(body))});
            const Effects fx = n.take_effects();
            ASSERT_EQ(fx.sends.size(), 1u) << endpoint << " " << body;
            const auto reply = decode(fx.sends[0].payload);
            EXPECT_EQ(reply.request_id, id);
            const bool push_list = endpoint == ENDPOINT_REPLICATE && body.starts_with(R"({"push": [)");
            // A push list is answered 200 with its bad items skipped and counted.
            EXPECT_EQ(reply.status >= 400u, !push_list) << endpoint << " " << body << " " << reply.status;
        }
    }
    // A relay from an address that is no service node is refused.
    n.handle(T0, Inbound{CLIENT, request_packet(ENDPOINT_ONION_RELAY, 1, to_bytes("x"))});
    EXPECT_EQ(decode(n.take_effects().sends.at(0).payload).status, 403u);
    // A response nobody asked for.
    TransportPacket stray;
    stray.is_request = false;
    stray.request_id = 424242;
    stray.status = 200;
    n.handle(T0, Inbound{peer, encode_packet(stray)});
    EXPECT_TRUE(n.take_effects().sends.empty());
    EXPECT_EQ(n.counter(node_counter::unmatched_response), 1u);
    EXPECT_GE(n.counter(node_counter::bad_onion), 2u);
    EXPECT_GE(n.counter(node_counter::bad_rpc), 2u);
    EXPECT_EQ(n.counter(node_counter::unknown_endpoint), 6u);
    EXPECT_EQ(n.counter(node_counter::bad_push), 3u);  // a push that is no list, and two bad items
    n.handle(T0, TimerExpired{999999});
    EXPECT_EQ(n.counter(node_counter::unknown_timer), 1u);
}

TEST_F(ServiceNodeTest, HostilePeerAnswersDoNotBreakTheFanout) {
    broadcast(update(1, default_swarms()));
    const auto [user, owner] = user_in(SWARM_A);
    ServiceNode& n = *nodes[0];
    (void)n.take_effects();
    n.handle(T0, Inbound{CLIENT, request_packet(ENDPOINT_STORAGE_RPC, 8, to_bytes(store_body(owner, "x")))});
    const Effects fx = n.take_effects();
    ASSERT_EQ(fx.sends.size(), 4u);
    int i = 0;
    for (const auto& s : fx.sends) {
        TransportPacket answer;
        answer.is_request = false;
        answer.request_id = decode(s.payload).request_id;
        answer.status = i % 2 == 0 ? 500 : 200;  // an error with invalid UTF-8, or 200 with junk
        answer.body = Bytes{std::byte{0xff}, std::byte{0xfe}, std::byte{0x22}};
        n.handle(T0 + milliseconds(5), Inbound{s.to, encode_packet(answer)});
        ++i;
    }
    const Effects done = n.take_effects();
    ASSERT_EQ(done.sends.size(), 1u);
    const auto reply = decode(done.sends[0].payload);
    EXPECT_EQ(reply.request_id, 8u);
    EXPECT_EQ(reply.status, 200u);  // the entry node itself stored it
    auto parsed = parse_store_reply(json::parse(to_string(reply.body)));
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    int failed = 0;
    for (const auto& [key, result] : parsed->swarm) failed += result.index() == 1 ? 1 : 0;
    EXPECT_EQ(failed, 4);
    EXPECT_EQ(n.counter(node_counter::replicate_failed), 4u);
    EXPECT_EQ(done.cancelled_timers.size(), 4u);  // every peer timer, cancelled by its answer
}

// A replicated body's reading is kept for the next peer that gets the same bytes, and only for
// the same bytes: one changed byte, or a body over the size limit, is read afresh.
TEST(ReplicateParseMemo, AHitIsTheSameBytesOnly) {
    ReplicateParseMemo memo;
    const Bytes body = to_bytes(R"({"method":"delete","params":{}})");
    EXPECT_EQ(memo.find(body), nullptr);
    auto reading = std::make_shared<const ReplicatedRequest>(ReplicatedRequest{parse_rpc_request(to_string(body)), true});
    memo.keep(body, reading);
    EXPECT_EQ(memo.find(Bytes(body)), reading);
    Bytes changed = body;
    changed[3] ^= std::byte{1};
    EXPECT_EQ(memo.find(changed), nullptr);
    EXPECT_EQ(memo.find(ByteView(body).first(body.size() - 1)), nullptr);
    const Bytes large(ReplicateParseMemo::LARGEST + 1, std::byte{'x'});
    memo.keep(large, reading);
    EXPECT_EQ(memo.find(large), nullptr);
    EXPECT_EQ(memo.hits(), 1u);
    EXPECT_EQ(memo.misses(), 4u);
}

// Every peer of a fan-out reads the same bytes; each applies and answers as if it had parsed them
// itself (the second and later peers read them from the thread's memo).
TEST_F(ServiceNodeTest, EveryPeerOfAFanoutAppliesTheSameReplicatedStore) {
    broadcast(update(1, default_swarms()));
    const auto [user, owner] = user_in(SWARM_A);
    ServiceNode& n = *nodes[0];
    (void)n.take_effects();
    n.handle(T0, Inbound{CLIENT, request_packet(ENDPOINT_STORAGE_RPC, 8, to_bytes(store_body(owner, "memo")))});
    const Effects fx = n.take_effects();
    ASSERT_EQ(fx.sends.size(), 4u);
    const std::uint64_t hits_before = ReplicateParseMemo::for_this_thread().hits();
    std::vector<std::string> answers;
    for (const auto& s : fx.sends) {
        ServiceNode* peer = nullptr;
        for (auto& candidate : nodes) {
            if (candidate.get() != &n && candidate->address().ipv4 == s.to.ipv4) peer = candidate.get();
        }
        ASSERT_NE(peer, nullptr);
        (void)peer->take_effects();
        peer->handle(T0 + milliseconds(2), Inbound{n.address(), s.payload});
        const Effects pfx = peer->take_effects();
        ASSERT_EQ(pfx.sends.size(), 1u);
        const auto answer = decode(pfx.sends[0].payload);
        ASSERT_EQ(answer.status, 200u) << to_string(answer.body);
        const json entry = json::parse(to_string(answer.body));
        answers.push_back(entry["hash"].get<std::string>());
        EXPECT_EQ(peer->store().message_count(), 1u);
    }
    EXPECT_EQ(ReplicateParseMemo::for_this_thread().hits() - hits_before, 3u);  // peers 2 to 4
    for (const auto& h : answers) EXPECT_EQ(h, answers.front());
}

TEST_F(ServiceNodeTest, TamperedOnionLayersAreRejected) {
    broadcast(update(1, default_swarms()));
    const auto [user, owner] = user_in(SWARM_A);
    const std::string body = store_body(owner, "tampered");
    const std::vector<SnodeKeys> path = path_5_6_7();
    const SnodeKeys dest = keys(2);
    for (const EncType enc : {EncType::xchacha20, EncType::aes_gcm}) {
        auto onion = build_onion_request(as_bytes(body), path, dest, enc, client_entropy);
        if (!onion.ok() && onion.error().code == ErrorCode::unsupported) continue;  // no AES-NI
        ASSERT_TRUE(onion.ok()) << onion.error().message;
        Bytes tampered = onion->body;
        tampered[20] ^= std::byte{0x01};  // inside the first layer's ciphertext
        const std::size_t before = net.inbox.size();
        net.send(CLIENT, nodes[5]->address(), request_packet(ENDPOINT_ONION_REQ, 1, tampered));
        net.run_for(milliseconds(500));
        ASSERT_EQ(net.inbox.size(), before + 1);
        EXPECT_EQ(decode(net.inbox.back().payload).status, 400u);
    }
    EXPECT_GE(nodes[5]->counter(node_counter::bad_onion), 1u);
    EXPECT_EQ(nodes[6]->store().message_count() + nodes[2]->store().message_count(), 0u);

    // A next hop that is not in the node list: 502 "Next node not found".
    DeterministicEntropy other{99, "stranger"};
    const Ed25519Keypair stranger = ed25519_generate(other);
    const std::vector<SnodeKeys> bad_path{{nodes[5]->ed25519(), nodes[5]->x25519()},
                                          {stranger.pub, x25519_from_ed25519(stranger).pub}};
    auto onion = build_onion_request(as_bytes(body), bad_path, dest, EncType::xchacha20, client_entropy);
    ASSERT_TRUE(onion.ok());
    net.send(CLIENT, nodes[5]->address(), request_packet(ENDPOINT_ONION_REQ, 2, onion->body));
    net.run_for(milliseconds(500));
    const auto reply = decode(net.inbox.back().payload);
    EXPECT_EQ(reply.status, 502u);
    EXPECT_NE(to_string(reply.body).find(stranger.pub.hex()), std::string::npos);
    EXPECT_EQ(nodes[5]->counter(node_counter::unknown_next_hop), 1u);
}

TEST_F(ServiceNodeTest, SameInputsGiveTheSameEffects) {
    // Determinism: two identical runs produce byte-identical datagrams.
    auto run = [](std::uint64_t seed) {
        DeterministicEntropy e{seed, "det"};
        std::vector<std::unique_ptr<ServiceNode>> ns;
        std::vector<SnodeRecord> records;
        for (std::uint32_t i = 0; i < 3; ++i) {
            ns.push_back(std::make_unique<ServiceNode>(ed25519_generate(e), PeerAddress{0x0A000000u + i, 22021},
                                                       ServiceNodeConfig{}, e));
            records.push_back(SnodeRecord{ns.back()->ed25519(), ns.back()->x25519(), ns.back()->address(), 7});
        }
        const SwarmUpdate u = make_swarm_update(1, records);
        NodeHarness h{T0};
        for (auto& n : ns) {
            h.add(*n);
            h.input(*n, u);
        }
        const Ed25519Keypair kp = ed25519_generate(e);
        const SessionId owner = AccountId::from_ed25519(kp.pub)->as_session_id();
        const std::string body =
            rpc_body(make_store(owner, Namespace::default_ns, to_bytes("x"), unix_ms(T0), 60'000));
        const std::vector<SnodeKeys> path{{ns[0]->ed25519(), ns[0]->x25519()}};
        auto onion = build_onion_request(as_bytes(body), path, SnodeKeys{ns[1]->ed25519(), ns[1]->x25519()},
                                         EncType::xchacha20, e);
        h.send(CLIENT, ns[0]->address(), request_packet(ENDPOINT_ONION_REQ, 1, onion->body));
        h.run_for(milliseconds(1000));
        std::vector<Bytes> out;
        for (const auto& em : h.emitted) {
            for (const auto& s : em.effects.sends) out.push_back(s.payload);
        }
        return out;
    };
    EXPECT_EQ(run(5), run(5));
}

}  // namespace
}  // namespace sessionproto
