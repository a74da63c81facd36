#include "models/session/node/client.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "models/session/node/pool_cache.hpp"
#include "models/session/node/transport.hpp"
#include "models/session/onion/hop_processing.hpp"
#include "models/session/onion/response.hpp"
#include "models/session/storage/message_hash.hpp"
#include "models/session/storage/rpc.hpp"
#include "models/session/wire/envelope.hpp"

// The test plays the network: fake service nodes with real keys peel the client's onions with
// peel_onion_layer, answer with encode_snode_response, and serve the direct RPCs. No engine.

namespace sessionproto {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

const Timestamp T0{milliseconds(1'700'000'000'000)};
const PeerAddress SEED{0x0A630001, STORAGE_HTTPS_PORT};  // 10.99.0.1

struct FakeNode {
    Ed25519Keypair ed;
    X25519Keypair x;
    SnodeRecord record;
};

/// One request the client sent, as the network saw it.
struct Seen {
    Timestamp at;
    PeerAddress to;
    std::string endpoint;
    bool onion = false;
    int dest = -1;            ///< onion: index of the destination node
    std::vector<int> path;    ///< onion: the path's nodes (first = guard)
    std::string rpc;          ///< the RPC JSON (direct body or onion plaintext)
    json parsed;
    std::uint64_t request_id = 0;
};

/// What the network answers: a transport status and body (a clear error from the guard), or a
/// destination answer that gets onion-encrypted. nullopt = no answer (a timeout).
struct Answer {
    int status = 200;
    std::string body;
    bool clear = false;  ///< onion: answer with transport `status` in clear text instead of encrypting
};

class Network {
  public:
    explicit Network(int node_count, std::uint32_t subnet_share = 0) : entropy_(7, "client_test/net") {
        for (int i = 0; i < node_count; ++i) {
            Ed25519Seed seed{};
            seed.data[0] = static_cast<std::byte>(i + 1);
            seed.data[1] = std::byte{0x5e};
            FakeNode n;
            n.ed = ed25519_from_seed(seed);
            n.x = x25519_from_ed25519(n.ed);
            // 10.0.<subnet>.<host>: the first `subnet_share` nodes share 10.0.200.0/24.
            const std::uint32_t subnet = static_cast<std::uint32_t>(i) < subnet_share ? 200u : static_cast<std::uint32_t>(i);
            const std::uint32_t host = static_cast<std::uint32_t>(i) < subnet_share ? static_cast<std::uint32_t>(i + 1) : 1u;
            n.record = SnodeRecord{n.ed.pub, n.x.pub, PeerAddress{(10u << 24) | (subnet << 8) | host, STORAGE_HTTPS_PORT},
                                   static_cast<std::uint64_t>(i / 5)};
            nodes.push_back(std::move(n));
        }
    }

    std::vector<FakeNode> nodes;

    int by_address(const PeerAddress& a) const {
        for (std::size_t i = 0; i < nodes.size(); ++i) {
            if (nodes[i].record.address == a) return static_cast<int>(i);
        }
        return -1;
    }
    int by_ed(const Ed25519Pubkey& k) const {
        for (std::size_t i = 0; i < nodes.size(); ++i) {
            if (nodes[i].ed.pub == k) return static_cast<int>(i);
        }
        return -1;
    }

    std::string pool_reply() const {
        json states = json::array();
        for (const auto& n : nodes) {
            const auto ip = n.record.address.to_string();
            states.push_back({{"public_ip", ip.substr(0, ip.find(':'))},
                              {"storage_port", n.record.address.port},
                              {"pubkey_ed25519", n.ed.pub.hex()},
                              {"pubkey_x25519", n.x.pub.hex()},
                              {"swarm_id", n.record.swarm_id}});
        }
        return json{{"result", {{"service_node_states", states}}}}.dump();
    }

    std::string swarm_json(const std::vector<int>& members) const {
        json snodes = json::array();
        for (int i : members) {
            const auto ip = nodes[i].record.address.to_string();
            snodes.push_back({{"ip", ip.substr(0, ip.find(':'))},
                              {"port", std::to_string(nodes[i].record.address.port)},
                              {"port_omq", STORAGE_OMQ_PORT},
                              {"pubkey_ed25519", nodes[i].ed.pub.hex()},
                              {"pubkey_x25519", nodes[i].x.pub.hex()}});
        }
        return json{{"snodes", snodes}, {"swarm", "0"}}.dump();
    }

    /// Decodes a datagram from the client: a direct request, or an onion peeled hop by hop.
    std::optional<std::pair<Seen, std::optional<FinalDestination>>> open(Timestamp now, const Outbound& out) {
        auto packet = decode_packet(out.payload);
        if (!packet || !packet->is_request) return std::nullopt;
        Seen seen;
        seen.at = now;
        seen.to = out.to;
        seen.endpoint = packet->endpoint;
        seen.request_id = packet->request_id;
        if (packet->endpoint == ENDPOINT_STORAGE_RPC) {
            seen.rpc = to_string(packet->body);
            seen.parsed = json::parse(seen.rpc, nullptr, false);
            return std::pair{seen, std::optional<FinalDestination>{}};
        }
        seen.onion = true;
        int node = by_address(out.to);
        auto hop = parse_entry_request(packet->body);
        if (node < 0 || !hop) return std::nullopt;
        OnionHop current = std::move(*hop);
        for (int guard = 0; guard < 16; ++guard) {
            seen.path.push_back(node);
            auto action = peel_onion_layer(nodes[node].x, std::move(current));
            if (!action) return std::nullopt;
            if (auto* relay = std::get_if<RelayToNode>(&*action)) {
                node = by_ed(relay->next);
                if (node < 0) return std::nullopt;
                current = std::move(relay->hop);
                continue;
            }
            if (auto* final_dest = std::get_if<FinalDestination>(&*action)) {
                seen.path.pop_back();
                seen.dest = node;
                seen.rpc = to_string(final_dest->request);
                seen.parsed = json::parse(seen.rpc, nullptr, false);
                return std::pair{seen, std::optional<FinalDestination>{*final_dest}};
            }
            return std::nullopt;
        }
        return std::nullopt;
    }

    Bytes response(std::uint64_t request_id, int status, Bytes body) {
        TransportPacket p;
        p.is_request = false;
        p.request_id = request_id;
        p.status = static_cast<std::uint32_t>(status);
        p.body = std::move(body);
        return encode_packet(p);
    }

    Bytes answer_bytes(const Seen& seen, const std::optional<FinalDestination>& final_dest, const Answer& a) {
        if (!seen.onion || a.clear) return response(seen.request_id, a.status, to_bytes(a.body));
        auto enc = encode_snode_response(*final_dest, OnionResponse{a.status, a.body}, entropy_);
        EXPECT_TRUE(enc.ok());
        return response(seen.request_id, 200, enc.ok() ? *enc : Bytes{});
    }

  private:
    DeterministicEntropy entropy_;
};

/// A virtual-time loop around one or more clients and the fake network.
class World {
  public:
    using Responder = std::function<std::optional<Answer>(const Seen&)>;

    World(Network& net, Responder responder) : net_(net), responder_(std::move(responder)) {}

    void add(Client& c) { clients_.push_back(&c); }
    Timestamp now() const { return now_; }

    void collect(Client& c) {
        Effects fx = c.take_effects();
        for (auto& e : fx.events) events.push_back({now_, &c, e});
        for (const auto& t : fx.timers) timers_.emplace(std::pair{t.at, seq_++}, std::pair{&c, t.id});
        for (const auto id : fx.cancelled_timers) cancelled_.insert({&c, id});
        for (const auto& s : fx.sends) {
            ++sends_total;
            auto opened = net_.open(now_, s);
            ASSERT_TRUE(opened.has_value()) << "client sent something the network cannot read";
            seen.push_back(opened->first);
            seen_by.push_back(&c);
            auto answer = responder_(opened->first);
            if (!answer) continue;
            Bytes bytes = net_.answer_bytes(opened->first, opened->second, *answer);
            inbound_.emplace(std::pair{now_ + latency, seq_++}, Delivery{&c, s.to, std::move(bytes)});
        }
    }

    void command(Client& c, const std::function<void(Client&)>& f) {
        f(c);
        collect(c);
    }

    void run_until(Timestamp until) {
        for (;;) {
            std::optional<Timestamp> next;
            if (!inbound_.empty()) next = inbound_.begin()->first.first;
            while (!timers_.empty() && cancelled_.contains({timers_.begin()->second.first, timers_.begin()->second.second})) {
                timers_.erase(timers_.begin());
            }
            if (!timers_.empty() && (!next || timers_.begin()->first.first < *next)) next = timers_.begin()->first.first;
            if (!next || *next > until) break;
            now_ = *next;
            if (!inbound_.empty() && inbound_.begin()->first.first == now_) {
                auto d = std::move(inbound_.begin()->second);
                inbound_.erase(inbound_.begin());
                d.client->handle(now_, Inbound{d.from, std::move(d.payload)});
                collect(*d.client);
                continue;
            }
            auto [client, id] = timers_.begin()->second;
            timers_.erase(timers_.begin());
            client->handle(now_, TimerExpired{id});
            collect(*client);
        }
        now_ = until;
    }
    void run_for(milliseconds d) { run_until(now_ + d); }

    struct Ev {
        Timestamp at;
        Client* client;
        AppEvent event;
    };
    std::vector<Ev> events;
    std::vector<Seen> seen;
    std::vector<Client*> seen_by;
    std::uint64_t sends_total = 0;
    milliseconds latency{50};

    /// The events of one kind (of client `c`, or of all) with their times, in order.
    template <class E>
    std::vector<std::pair<Timestamp, E>> timed_events_of(const Client* c = nullptr) const {
        std::vector<std::pair<Timestamp, E>> out;
        for (const auto& e : events) {
            if (const auto* typed = std::get_if<E>(&e.event); typed != nullptr && (c == nullptr || e.client == c)) {
                out.emplace_back(e.at, *typed);
            }
        }
        return out;
    }
    /// The events of one kind (of client `c`, or of all), in order.
    template <class E>
    std::vector<E> events_of(const Client* c = nullptr) const {
        std::vector<E> out;
        for (const auto& e : events) {
            if (const auto* typed = std::get_if<E>(&e.event); typed != nullptr && (c == nullptr || e.client == c)) {
                out.push_back(*typed);
            }
        }
        return out;
    }
    std::vector<Seen> requests(const std::string& method, const Client* c = nullptr, bool onion_only = false) const {
        std::vector<Seen> out;
        for (std::size_t i = 0; i < seen.size(); ++i) {
            if (c != nullptr && seen_by[i] != c) continue;
            if (onion_only && !seen[i].onion) continue;
            if (seen[i].parsed.is_object() && seen[i].parsed.value("method", "") == method) out.push_back(seen[i]);
        }
        return out;
    }

  private:
    struct Delivery {
        Client* client;
        PeerAddress from;
        Bytes payload;
    };
    Network& net_;
    Responder responder_;
    std::vector<Client*> clients_;
    Timestamp now_ = T0;
    std::uint64_t seq_ = 0;
    std::map<std::pair<Timestamp, std::uint64_t>, std::pair<Client*, TimerId>> timers_;
    std::map<std::pair<Timestamp, std::uint64_t>, Delivery> inbound_;
    std::set<std::pair<Client*, TimerId>> cancelled_;
};

/// An honest network: every node serves the pool and get_swarm; a shared message store per owner
/// answers store and retrieve (retrieve honours last_hash unless `ignore_last_hash`).
struct Honest {
    Network& net;
    std::map<std::string, std::vector<int>> swarms{};  // owner hex -> members (default: nodes 0..4)
    std::map<std::string, std::vector<RetrievedMessage>> store{};
    bool ignore_last_hash = false;

    std::vector<int> swarm_of(const std::string& owner) const {
        const auto it = swarms.find(owner);
        return it == swarms.end() ? std::vector<int>{0, 1, 2, 3, 4} : it->second;
    }

    std::optional<Answer> operator()(const Seen& s) {
        const std::string method = s.parsed.value("method", "");
        if (method == "oxend_request") return Answer{200, net.pool_reply()};
        if (method == "get_swarm") {
            return Answer{200, net.swarm_json(swarm_of(s.parsed["params"]["pubkey"].get<std::string>()))};
        }
        auto req = parse_rpc_request(s.rpc);
        if (!req) return Answer{400, "bad request"};
        if (auto* st = std::get_if<StoreRequest>(&*req)) {
            const auto owner = st->pubkey.hex();
            const auto members = swarm_of(owner);
            if (std::find(members.begin(), members.end(), s.dest) == members.end()) {
                return Answer{421, net.swarm_json(members)};
            }
            const auto hash = storage_message_hash(st->pubkey, st->ns, st->data);
            auto& msgs = store[owner];
            if (std::none_of(msgs.begin(), msgs.end(), [&](const auto& m) { return m.hash == hash; })) {
                msgs.push_back(RetrievedMessage{hash, st->timestamp_ms, st->expiry_ms, st->data});
            }
            return Answer{200, json{{"hash", hash}, {"swarm", json::object()}}.dump()};
        }
        if (auto* rt = std::get_if<RetrieveRequest>(&*req)) {
            RetrieveReply reply;
            const auto& msgs = store[rt->pubkey.hex()];
            bool after = ignore_last_hash || !rt->last_hash || rt->last_hash->empty();
            for (const auto& m : msgs) {
                if (after) reply.messages.push_back(m);
                if (!after && m.hash == *rt->last_hash) after = true;
            }
            if (!after) reply.messages = msgs;  // unknown last_hash: everything
            return Answer{200, to_json(reply).dump()};
        }
        return Answer{400, "unsupported"};
    }
};

Ed25519Keypair identity(std::uint8_t n) {
    Ed25519Seed seed{};
    seed.data[0] = std::byte{n};
    seed.data[31] = std::byte{0xc1};
    return ed25519_from_seed(seed);
}

/// The shell's mechanics against scripted nodes: desktop-2024-12 with its poll as one bare
/// retrieve of namespace 0 (the scripted nodes answer single RPCs), no inner onion retries, no
/// sync copies and the older path rules (one path rebuilt, one guard replaced), so each test
/// sees one mechanism at a time. The profiles' own behaviours have their tests below
/// ("Profiles") and in client_poller_test.cpp, client_pair_test.cpp.
ClientProfile mechanics_profile() {
    ClientProfile p = *find_client_profile("desktop-2024-12").profile;
    p.poll_namespaces = {PollNamespace{}};
    p.onion_tries = 1;
    p.sync_copies = false;
    p.replace_all_guards = false;
    p.rebuild_all_paths_on_drop = false;
    p.store_retry_ms = 1'000;
    p.get_swarm_timeout_ms = 4'000;
    p.snode_list_timeout_ms = 4'000;
    return p;
}

ClientConfig config(const ClientProfile& profile = mechanics_profile()) {
    ClientConfig c;
    c.profile = profile;
    c.seed_nodes = {SEED};
    return c;
}


// ---- Bootstrap and pool --------------------------------------------------------------------------

TEST(ClientTest, BootstrapAsksTheSeedForTheActiveNodeList) {
    DeterministicEntropy e(1, "c");
    Client c(identity(1), config(), std::make_shared<PoolCache>(), e);
    c.start(T0);
    Effects fx = c.take_effects();
    ASSERT_EQ(fx.sends.size(), 1u);
    EXPECT_EQ(fx.sends[0].to, SEED);
    auto p = decode_packet(fx.sends[0].payload);
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p->endpoint, ENDPOINT_STORAGE_RPC);
    const json body = json::parse(to_string(p->body));
    EXPECT_EQ(body["method"], "oxend_request");
    EXPECT_EQ(body["params"]["endpoint"], "get_service_nodes");
    EXPECT_EQ(body["params"]["params"]["active_only"], true);
    for (const char* f : {"public_ip", "storage_port", "pubkey_ed25519", "pubkey_x25519", "swarm_id"}) {
        EXPECT_EQ(body["params"]["params"]["fields"][f], true) << f;
    }
    // The seed's timeout, and the user configs' push 20 s after start (ConfigurationSyncJob).
    ASSERT_EQ(fx.timers.size(), 2u);
    EXPECT_EQ(fx.timers[0].at, T0 + milliseconds(20'000));  // config push
    EXPECT_EQ(fx.timers[1].at, T0 + milliseconds(5'000));   // seed timeout
    EXPECT_EQ(c.next_wakeup(), T0 + milliseconds(5'000));
}

TEST(ClientTest, SeedFailuresRetryWithBackoff) {
    Network net(12);
    World w(net, [](const Seen&) { return std::nullopt; });
    DeterministicEntropy e(2, "c");
    Client c(identity(1), config(), std::make_shared<PoolCache>(), e);
    w.command(c, [&](Client& x) { x.start(w.now()); });
    w.run_for(milliseconds(40'000));
    auto seeds = w.requests("oxend_request");
    ASSERT_GE(seeds.size(), 4u);
    // 5 s timeout, then 1 s, 2 s, 4 s between tries.
    EXPECT_EQ(seeds[1].at - seeds[0].at, milliseconds(6'000));
    EXPECT_EQ(seeds[2].at - seeds[1].at, milliseconds(7'000));
    EXPECT_EQ(seeds[3].at - seeds[2].at, milliseconds(9'000));
    EXPECT_GE(c.counter(client_counter::seed_failed), 4u);
    EXPECT_EQ(c.pool_size(), 0u);
}

TEST(ClientTest, PoolSnapshotIsSharedBetweenClientsThatFetchedTheSameList) {
    Network net(12);
    Honest honest{net};
    World w(net, std::ref(honest));
    auto cache = std::make_shared<PoolCache>();
    DeterministicEntropy e1(3, "a"), e2(3, "b"), e3(3, "c");
    Client a(identity(1), config(), cache, e1);
    Client b(identity(2), config(), cache, e2);
    Client other(identity(3), config(), std::make_shared<PoolCache>(), e3);
    for (Client* c : {&a, &b, &other}) w.command(*c, [&](Client& x) { x.start(w.now()); });
    w.run_for(milliseconds(1'000));
    ASSERT_TRUE(a.pool_snapshot());
    EXPECT_EQ(a.pool_size(), 12u);
    EXPECT_EQ(a.pool_snapshot().get(), b.pool_snapshot().get());  // one copy
    EXPECT_NE(a.pool_snapshot().get(), other.pool_snapshot().get());
    EXPECT_EQ(*a.pool_snapshot(), *other.pool_snapshot());
    EXPECT_EQ(cache->hits(), 1u);
    EXPECT_EQ(cache->live_count(), 1u);
}

TEST(ClientTest, PoolCacheIgnoresOrderAndDropsUnheldSnapshots) {
    Network net(6);
    PoolCache cache;
    SnodePool list;
    for (const auto& n : net.nodes) list.push_back(n.record);
    SnodePool reversed(list.rbegin(), list.rend());
    auto first = cache.intern(list);
    auto second = cache.intern(reversed);
    EXPECT_EQ(first.get(), second.get());
    EXPECT_TRUE(std::is_sorted(first->begin(), first->end(),
                               [](const auto& x, const auto& y) { return x.ed25519 < y.ed25519; }));
    first.reset();
    second.reset();
    EXPECT_EQ(cache.live_count(), 0u);
    SnodePool fewer(list.begin(), list.end() - 1);
    auto third = cache.intern(fewer);
    EXPECT_EQ(third->size(), 5u);
}

namespace parse_count {
int calls = 0;
std::optional<SnodePool> parse_two_nodes(ByteView body) {
    ++calls;
    if (to_string(body).find("bad") != std::string::npos) return std::nullopt;
    SnodePool out(2);
    out[0].ed25519.data[0] = std::byte{1};
    out[1].ed25519.data[0] = std::byte{2};
    return out;
}
}  // namespace parse_count

TEST(ClientTest, PoolCacheParsesOneReplyBodyOnceWhileItIsHeld) {
    PoolCache cache;
    parse_count::calls = 0;
    auto a = cache.parsed(to_bytes("list one"), parse_count::parse_two_nodes);
    auto b = cache.parsed(to_bytes("list one"), parse_count::parse_two_nodes);
    ASSERT_TRUE(a);
    EXPECT_EQ(a.get(), b.get());
    EXPECT_EQ(parse_count::calls, 1);
    auto c = cache.parsed(to_bytes("list two"), parse_count::parse_two_nodes);  // other bytes: parsed
    EXPECT_EQ(parse_count::calls, 2);
    EXPECT_NE(a.get(), c.get());
    EXPECT_EQ(*a, *c);
    EXPECT_FALSE(cache.parsed(to_bytes("bad"), parse_count::parse_two_nodes));
    EXPECT_FALSE(cache.parsed(to_bytes("bad"), parse_count::parse_two_nodes));  // failures are not kept
    EXPECT_EQ(parse_count::calls, 4);
    a.reset();
    b.reset();
    cache.parsed(to_bytes("list one"), parse_count::parse_two_nodes);  // one of the recent ones
    EXPECT_EQ(parse_count::calls, 4);
    // Pushed out of the recent ones by others, and held by nobody: parsed again.
    for (std::size_t i = 0; i < PoolCache::RECENT_PARSED; ++i) {
        cache.parsed(to_bytes("other " + std::to_string(i)), parse_count::parse_two_nodes);
    }
    EXPECT_EQ(parse_count::calls, 4 + static_cast<int>(PoolCache::RECENT_PARSED));
    cache.parsed(to_bytes("list one"), parse_count::parse_two_nodes);
    EXPECT_EQ(parse_count::calls, 5 + static_cast<int>(PoolCache::RECENT_PARSED));
}

TEST(ClientTest, PoolReplyDropsZeroAddressesAndJunk) {
    Network net(12);
    World w(net, [&](const Seen& s) -> std::optional<Answer> {
        if (s.parsed.value("method", "") != "oxend_request") return std::nullopt;
        json j = json::parse(net.pool_reply());
        auto& states = j["result"]["service_node_states"];
        states[0]["public_ip"] = "0.0.0.0";
        states[1]["pubkey_x25519"] = "zz";
        states[2] = 42;
        return Answer{200, j.dump()};
    });
    DeterministicEntropy e(4, "c");
    Client c(identity(1), config(), std::make_shared<PoolCache>(), e);
    w.command(c, [&](Client& x) { x.start(w.now()); });
    w.run_for(milliseconds(200));
    EXPECT_EQ(c.pool_size(), 9u);
    EXPECT_FALSE(c.in_pool(net.nodes[0].ed.pub));
}

TEST(ClientTest, PoolRefreshAsksThreeNodesThroughPathsAndKeepsTheIntersection) {
    Network net(30);
    Honest honest{net};
    World w(net, std::ref(honest));
    DeterministicEntropy e(20, "c");
    Client c(identity(1), config(), std::make_shared<PoolCache>(), e);
    w.command(c, [&](Client& x) { x.start(w.now()); });
    w.run_for(milliseconds(5 * 60'000 + 1'000));
    auto lists = w.requests("oxend_request", &c);
    ASSERT_EQ(lists.size(), 4u);  // the seed, then 3 pool members 5 min later
    EXPECT_FALSE(lists[0].onion);
    EXPECT_EQ(lists[0].to, SEED);
    std::set<int> asked;
    for (std::size_t i = 1; i < 4; ++i) {
        EXPECT_TRUE(lists[i].onion);
        EXPECT_EQ(lists[i].at, T0 + milliseconds(50 + 5 * 60'000));
        asked.insert(lists[i].dest);
    }
    EXPECT_EQ(asked.size(), 3u);
    EXPECT_EQ(c.pool_size(), 30u);
    EXPECT_EQ(c.counter(client_counter::refresh_failed), 0u);
}

TEST(ClientTest, PoolRefreshBelowTheAgreementThresholdFallsBackToTheSeed) {
    Network net(16);  // an intersection of 16 < 24 nodes is not accepted
    Honest honest{net};
    World w(net, std::ref(honest));
    DeterministicEntropy e(21, "c");
    Client c(identity(1), config(), std::make_shared<PoolCache>(), e);
    w.command(c, [&](Client& x) { x.start(w.now()); });
    w.run_for(milliseconds(5 * 60'000 + 1'000));
    auto lists = w.requests("oxend_request", &c);
    ASSERT_EQ(lists.size(), 5u);
    EXPECT_EQ(lists[4].to, SEED);
    EXPECT_EQ(c.counter(client_counter::refresh_failed), 1u);
    EXPECT_EQ(c.pool_size(), 16u);
}

// ---- Paths -------------------------------------------------------------------------------------------

TEST(ClientTest, BuildsTwoTestedPathsOfDistinctNodesInDistinctSubnets) {
    for (std::uint64_t seed = 0; seed < 8; ++seed) {
        Network net(16, 6);  // 6 nodes share one /24
        Honest honest{net};
        World w(net, std::ref(honest));
        DeterministicEntropy e(100 + seed, "paths");
        Client c(identity(1), config(), std::make_shared<PoolCache>(), e);
        w.command(c, [&](Client& x) { x.start(w.now()); });
        w.run_for(milliseconds(2'000));
        ASSERT_EQ(c.paths().size(), 2u) << seed;
        EXPECT_EQ(c.guards().size(), 2u);
        EXPECT_EQ(w.events_of<app::PathBuilt>().size(), 2u);
        // Guards were tested with a direct get_swarm.
        std::set<PeerAddress> tested;
        for (const auto& s : w.requests("get_swarm")) {
            if (!s.onion) tested.insert(s.to);
        }
        std::set<Ed25519Pubkey> used;
        for (const auto& path : c.paths()) {
            ASSERT_EQ(path.nodes.size(), 3u);
            EXPECT_TRUE(tested.contains(path.nodes[0].address)) << "guard not tested";
            std::set<std::uint32_t> subnets;
            for (const auto& n : path.nodes) {
                EXPECT_TRUE(used.insert(n.ed25519).second) << "node reused across paths";
                subnets.insert(n.address.ipv4 >> 8);
            }
            EXPECT_EQ(subnets.size(), 3u) << "two nodes of a path share a /24";
        }
    }
}

TEST(ClientTest, OlderDesktopKeepsThreePaths) {
    Network net(16);
    Honest honest{net};
    World w(net, std::ref(honest));
    DeterministicEntropy e(5, "c");
    ClientConfig cfg = config();
    cfg.profile.path_count = 3;
    Client c(identity(1), cfg, std::make_shared<PoolCache>(), e);
    w.command(c, [&](Client& x) { x.start(w.now()); });
    w.run_for(milliseconds(2'000));
    EXPECT_EQ(c.paths().size(), 3u);
}

TEST(ClientTest, OnionRequestsAreOnionRoutedThroughAPathToAnOutsideDestination) {
    Network net(16);
    Honest honest{net};
    World w(net, std::ref(honest));
    DeterministicEntropy e(6, "c");
    Client c(identity(1), config(), std::make_shared<PoolCache>(), e);
    w.command(c, [&](Client& x) { x.start(w.now()); });
    w.run_for(milliseconds(3'000));
    auto onions = w.requests("retrieve", &c, true);
    ASSERT_FALSE(onions.empty());
    for (const auto& s : onions) {
        ASSERT_EQ(s.path.size(), 3u);
        EXPECT_EQ(std::find(s.path.begin(), s.path.end(), s.dest), s.path.end());
        EXPECT_EQ(s.to, net.nodes[s.path[0]].record.address);
        EXPECT_EQ(s.endpoint, ENDPOINT_ONION_REQ);
    }
    EXPECT_FALSE(w.events_of<app::OnionRoundTrip>().empty());
}

// ---- Sending ---------------------------------------------------------------------------------------------

TEST(ClientTest, StoreGoesToAMemberOfTheRecipientsSwarmAfterGetSwarm) {
    Network net(16);
    Honest honest{net};
    DeterministicEntropy e(7, "c");
    Client alice(identity(1), config(), std::make_shared<PoolCache>(), e);
    const AccountId bob = AccountId(x25519_from_ed25519(identity(2)).pub);
    honest.swarms[bob.hex()] = {10, 11, 12, 13, 14};
    World w(net, std::ref(honest));
    w.command(alice, [&](Client& x) { x.start(w.now()); });
    w.run_for(milliseconds(3'000));
    w.command(alice, [&](Client& x) { x.send_message(w.now(), bob, "hello bob"); });
    w.run_for(milliseconds(3'000));

    auto lookups = w.requests("get_swarm", &alice, true);
    const auto bob_lookup = std::find_if(lookups.begin(), lookups.end(), [&](const Seen& s) {
        return s.parsed["params"]["pubkey"] == bob.hex();
    });
    ASSERT_NE(bob_lookup, lookups.end());
    auto stores = w.requests("store", &alice);
    ASSERT_EQ(stores.size(), 1u);
    EXPECT_TRUE(stores[0].onion);
    EXPECT_GE(stores[0].at, bob_lookup->at);
    EXPECT_GE(stores[0].dest, 10);
    EXPECT_LE(stores[0].dest, 14);
    EXPECT_EQ(stores[0].parsed["params"]["pubkey"], bob.hex());
    // TTL 14 days.
    auto st = parse_rpc_request(stores[0].rpc);
    ASSERT_TRUE(st.ok());
    const auto& sr = std::get<StoreRequest>(*st);
    EXPECT_EQ(sr.expiry_ms - sr.timestamp_ms, 14 * MS_PER_DAY);
    // Cached, so a second message needs no new lookup.
    EXPECT_EQ(alice.cached_swarm(bob.as_session_id()).size(), 5u);
    w.command(alice, [&](Client& x) { x.send_message(w.now(), bob, "again"); });
    w.run_for(milliseconds(2'000));
    auto lookups_after = w.requests("get_swarm", &alice, true);
    EXPECT_EQ(std::count_if(lookups_after.begin(), lookups_after.end(),
                            [&](const Seen& s) { return s.parsed["params"]["pubkey"] == bob.hex(); }),
              1);
    auto sent = w.events_of<app::MessageSent>();
    ASSERT_EQ(sent.size(), 2u);
    // Events name the message by the hash the swarm stores it under.
    const std::string hash = storage_message_hash(bob.as_session_id(), Namespace::default_ns, sr.data);
    EXPECT_EQ(sent[0].hash, hash);
    EXPECT_EQ(sent[0].attempt, 1u);
    EXPECT_EQ(sent[0].owner, bob.as_session_id());
    auto confirmed = w.events_of<app::StoreConfirmed>();
    ASSERT_EQ(confirmed.size(), 2u);
    EXPECT_EQ(confirmed[0].hash, hash);
    EXPECT_NE(confirmed[1].hash, hash);
    // With the guard of one of the client's paths (the one the store took).
    ASSERT_TRUE(confirmed[0].guard.has_value());
    bool a_guard = false;
    for (const auto& p : alice.paths()) a_guard = a_guard || p.nodes.front().ed25519 == *confirmed[0].guard;
    EXPECT_TRUE(a_guard) << confirmed[0].guard->hex();
    EXPECT_EQ(alice.pending_sends(), 0u);
}

TEST(ClientTest, WrongSwarmReplyUpdatesTheCacheAndRetriesElsewhere) {
    Network net(20);
    Honest honest{net};
    DeterministicEntropy e(8, "c");
    Client alice(identity(1), config(), std::make_shared<PoolCache>(), e);
    const AccountId bob = AccountId(x25519_from_ed25519(identity(2)).pub);
    // get_swarm answers an outdated swarm (10-14); the stores then get 421 with 15-19.
    bool moved = false;
    World w(net, [&](const Seen& s) -> std::optional<Answer> {
        if (s.onion && s.parsed.value("method", "") == "get_swarm" && s.parsed["params"]["pubkey"] == bob.hex() && !moved) {
            moved = true;
            honest.swarms[bob.hex()] = {15, 16, 17, 18, 19};
            return Answer{200, net.swarm_json({10, 11, 12, 13, 14})};
        }
        return honest(s);
    });
    w.command(alice, [&](Client& x) { x.start(w.now()); });
    w.run_for(milliseconds(3'000));
    w.command(alice, [&](Client& x) { x.send_message(w.now(), bob, "hi"); });
    w.run_for(milliseconds(5'000));
    auto stores = w.requests("store", &alice);
    ASSERT_EQ(stores.size(), 2u);
    EXPECT_GE(stores[0].dest, 10);
    EXPECT_LE(stores[0].dest, 14);
    EXPECT_GE(stores[1].dest, 15);
    EXPECT_LE(stores[1].dest, 19);
    EXPECT_GE(stores[1].at - stores[0].at, milliseconds(1'000));
    std::set<Ed25519Pubkey> cached;
    for (const auto& n : alice.cached_swarm(bob.as_session_id())) cached.insert(n.ed25519);
    std::set<Ed25519Pubkey> expected;
    for (int i = 15; i < 20; ++i) expected.insert(net.nodes[i].ed.pub);
    EXPECT_EQ(cached, expected);
    EXPECT_EQ(alice.counter(client_counter::wrong_swarm), 1u);
    ASSERT_EQ(w.events_of<app::StoreConfirmed>().size(), 1u);
    EXPECT_TRUE(w.events_of<app::StoreFailed>().empty());
}

TEST(ClientTest, StoreRetriesFollowTheScheduleThenFail) {
    Network net(16);
    Honest honest{net};
    DeterministicEntropy e(9, "c");
    Client alice(identity(1), config(), std::make_shared<PoolCache>(), e);
    const AccountId bob = AccountId(x25519_from_ed25519(identity(2)).pub);
    World w(net, [&](const Seen& s) -> std::optional<Answer> {
        if (s.parsed.value("method", "") == "store") return Answer{500, "internal error"};
        return honest(s);
    });
    w.command(alice, [&](Client& x) { x.start(w.now()); });
    w.run_for(milliseconds(3'000));
    w.command(alice, [&](Client& x) { x.send_message(w.now(), bob, "hi"); });
    w.run_for(milliseconds(10'000));
    auto stores = w.requests("store", &alice);
    ASSERT_EQ(stores.size(), 3u);  // 3 attempts
    auto sent = w.events_of<app::MessageSent>();
    ASSERT_EQ(sent.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(sent[i].attempt, i + 1);
    // Each retry 1 s after the failure (reply after 50 ms).
    EXPECT_EQ(stores[1].at - stores[0].at, milliseconds(1'050));
    EXPECT_EQ(stores[2].at - stores[1].at, milliseconds(1'050));
    auto failed = w.events_of<app::StoreFailed>();
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_EQ(failed[0].hash, sent[0].hash);
    EXPECT_EQ(failed[0].attempts, 3u);
    EXPECT_TRUE(w.events_of<app::StoreConfirmed>().empty());
    EXPECT_EQ(alice.pending_sends(), 0u);
}

TEST(ClientTest, GetSwarmRetriesFourTimesOnFourTargetsPerAttempt) {
    Network net(16);
    Honest honest{net};
    DeterministicEntropy e(22, "c");
    Client alice(identity(1), config(), std::make_shared<PoolCache>(), e);
    const AccountId bob = AccountId(x25519_from_ed25519(identity(2)).pub);
    World w(net, [&](const Seen& s) -> std::optional<Answer> {
        if (s.onion && s.parsed.value("method", "") == "get_swarm" && s.parsed["params"]["pubkey"] == bob.hex()) {
            return Answer{400, "no"};  // 400: no penalty on the node
        }
        return honest(s);
    });
    w.command(alice, [&](Client& x) { x.start(w.now()); });
    w.run_for(milliseconds(3'000));
    w.command(alice, [&](Client& x) { x.send_message(w.now(), bob, "hi"); });
    w.run_for(milliseconds(60'000));
    std::vector<Seen> lookups;
    for (const auto& s : w.requests("get_swarm", &alice, true)) {
        if (s.parsed["params"]["pubkey"] == bob.hex()) lookups.push_back(s);
    }
    ASSERT_EQ(lookups.size(), 3u * 16u);  // 3 store attempts x 4 targets x 4 tries
    for (std::size_t i = 0; i < lookups.size(); i += 4) {
        for (std::size_t k = 1; k < 4; ++k) EXPECT_EQ(lookups[i + k].dest, lookups[i].dest);
    }
    // Inner delays 100, 200, 400 ms after each 50 ms round trip.
    EXPECT_EQ(lookups[1].at - lookups[0].at, milliseconds(150));
    EXPECT_EQ(lookups[2].at - lookups[1].at, milliseconds(250));
    EXPECT_EQ(lookups[3].at - lookups[2].at, milliseconds(450));
    EXPECT_EQ(lookups[4].at - lookups[3].at, milliseconds(150));  // outer: new target after 100 ms
    EXPECT_TRUE(w.requests("store", &alice).empty());
    auto failed = w.events_of<app::StoreFailed>();
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_EQ(failed[0].attempts, 3u);
    EXPECT_EQ(alice.counter(client_counter::swarm_fetch_failed), 3u);
}

// ---- Polling and delivery -------------------------------------------------------------------------------

TEST(ClientTest, DesktopPollsEveryFiveSecondsWithLastHash) {
    Network net(16);
    Honest honest{net};
    DeterministicEntropy e(10, "c");
    Client bob(identity(2), config(), std::make_shared<PoolCache>(), e);
    honest.swarms[bob.account_id().hex()] = {7};  // one member: every poll goes to node 7
    World w(net, std::ref(honest));
    w.command(bob, [&](Client& x) { x.start(w.now()); });
    w.run_for(milliseconds(1'000));
    // A message for bob appears in the store.
    DeterministicEntropy se(11, "s");
    auto blob = seal_message(identity(1), bob.account_id(), OutgoingMessage{"first", 1'700'000'000'500}, se);
    ASSERT_TRUE(blob.ok());
    const auto hash = storage_message_hash(bob.account_id().as_session_id(), Namespace::default_ns, *blob);
    honest.store[bob.account_id().hex()].push_back(RetrievedMessage{hash, 1'700'000'000'500, 1'800'000'000'000, *blob});
    w.run_for(milliseconds(30'000));
    auto polls = w.requests("retrieve", &bob);
    ASSERT_GE(polls.size(), 6u);
    for (std::size_t i = 1; i < polls.size(); ++i) {
        // Re-armed 5 s after the previous round completed (the world answers after 50 ms).
        EXPECT_EQ(polls[i].at - polls[i - 1].at, milliseconds(5'050));
        EXPECT_EQ(polls[i].dest, 7);
    }
    auto first = parse_rpc_request(polls[0].rpc);
    ASSERT_TRUE(first.ok());
    EXPECT_FALSE(std::get<RetrieveRequest>(*first).last_hash.has_value() &&
                 !std::get<RetrieveRequest>(*first).last_hash->empty());
    EXPECT_TRUE(std::get<RetrieveRequest>(*first).authenticated);
    auto later = parse_rpc_request(polls.back().rpc);
    ASSERT_TRUE(later.ok());
    EXPECT_EQ(std::get<RetrieveRequest>(*later).last_hash.value_or(""), hash);
    EXPECT_EQ(bob.last_hash(net.nodes[7].ed.pub).value_or(""), hash);
    auto delivered = w.events_of<app::MessageReceived>();
    ASSERT_EQ(delivered.size(), 1u);
    EXPECT_EQ(delivered[0].body, "first");
}

TEST(ClientTest, SentMessageIsDeliveredExactlyOnceWithItsLatency) {
    Network net(16);
    Honest honest{net};
    honest.ignore_last_hash = true;  // every poll returns everything: dedupe must hold
    auto cache = std::make_shared<PoolCache>();
    DeterministicEntropy ea(12, "a"), eb(12, "b");
    Client alice(identity(1), config(), cache, ea);
    Client bob(identity(2), config(), cache, eb);
    World w(net, std::ref(honest));
    w.command(alice, [&](Client& x) { x.start(w.now()); });
    w.command(bob, [&](Client& x) { x.start(w.now()); });
    w.run_for(milliseconds(3'000));
    const Timestamp sent_at = w.now();
    w.command(alice, [&](Client& x) { x.send_message(w.now(), bob.account_id(), "exact body ✓"); });
    w.run_for(milliseconds(30'000));
    auto delivered = w.timed_events_of<app::MessageReceived>(&bob);
    ASSERT_EQ(delivered.size(), 1u);
    EXPECT_EQ(delivered[0].second.body, "exact body ✓");
    EXPECT_EQ(delivered[0].second.sender, alice.account_id());
    EXPECT_EQ(delivered[0].second.age_ms, unix_ms(delivered[0].first) - unix_ms(sent_at));
    EXPECT_GT(delivered[0].second.age_ms, 0);
    EXPECT_LE(delivered[0].second.age_ms, 6'000);
    EXPECT_GE(bob.counter(client_counter::duplicate_message), 3u);
    EXPECT_TRUE(w.events_of<app::MessageReceived>(&alice).empty());
}

TEST(ClientTest, TamperedMessageIsCountedNotDelivered) {
    Network net(16);
    Honest honest{net};
    DeterministicEntropy e(13, "c");
    Client bob(identity(2), config(), std::make_shared<PoolCache>(), e);
    World w(net, std::ref(honest));
    w.command(bob, [&](Client& x) { x.start(w.now()); });
    w.run_for(milliseconds(500));
    Bytes junk = to_bytes("not a message at all");
    const auto hash = storage_message_hash(bob.account_id().as_session_id(), Namespace::default_ns, junk);
    honest.store[bob.account_id().hex()].push_back(RetrievedMessage{hash, 1, 1'800'000'000'000, junk});
    w.run_for(milliseconds(12'000));
    EXPECT_TRUE(w.events_of<app::MessageReceived>().empty());
    EXPECT_EQ(bob.counter(client_counter::undecryptable_message), 1u);
}

TEST(ClientTest, OfflineClientSendsNothingAndResumes) {
    Network net(16);
    Honest honest{net};
    DeterministicEntropy e(14, "c");
    Client bob(identity(2), config(), std::make_shared<PoolCache>(), e);
    World w(net, std::ref(honest));
    w.command(bob, [&](Client& x) { x.start(w.now()); });
    w.run_for(milliseconds(3'000));
    w.command(bob, [&](Client& x) { x.set_online(w.now(), false); });
    w.run_for(milliseconds(200));  // the poll in flight, if any, completes
    const auto before = w.sends_total;
    w.command(bob, [&](Client& x) { x.send_message(w.now(), AccountId(x25519_from_ed25519(identity(3)).pub), "queued"); });
    w.run_for(milliseconds(30'000));
    EXPECT_EQ(w.sends_total, before);
    EXPECT_EQ(bob.pending_sends(), 1u);
    EXPECT_TRUE(bob.next_wakeup().has_value());  // the poll loop keeps ticking
    w.command(bob, [&](Client& x) { x.set_online(w.now(), true); });
    w.run_for(milliseconds(6'000));
    EXPECT_GT(w.sends_total, before);
    EXPECT_EQ(w.events_of<app::StoreConfirmed>().size(), 1u);
}

TEST(ClientTest, Android2026PollsTwoSecondsApartRotatingItsMembers) {
    Network net(16);
    Honest honest{net};
    DeterministicEntropy e(15, "c");
    ClientProfile android = *find_client_profile("android-2026-04").profile;
    android.poll_namespaces = {PollNamespace{}};  // one bare retrieve, for the scripted nodes
    Client bob(identity(2), config(android), std::make_shared<PoolCache>(), e);
    World w(net, std::ref(honest));
    w.command(bob, [&](Client& x) { x.start(w.now()); });
    w.run_for(milliseconds(3'000));
    const auto polls_at_3s = w.requests("retrieve", &bob).size();
    w.run_for(milliseconds(21'000));
    auto polls = w.requests("retrieve", &bob);
    // BasePoller.kt: 2 s after each success, ~50 ms per round trip: 21 s / 2.05 s ≈ 10 polls.
    EXPECT_GE(polls.size() - polls_at_3s, 9u);
    EXPECT_LE(polls.size() - polls_at_3s, 11u);
    // SwarmSnodeSelector.kt: each rotation asks every member of the swarm once.
    const std::size_t members = bob.cached_swarm(bob.account_id().as_session_id()).size();
    ASSERT_GE(polls.size(), 2 * members);
    for (std::size_t r = 0; r < 2; ++r) {
        std::set<std::size_t> dests;
        for (std::size_t i = r * members; i < (r + 1) * members; ++i) dests.insert(polls[i].dest);
        EXPECT_EQ(dests.size(), members);
    }
}

// ---- Failures: timeouts, strikes, rebuilds ----------------------------------------------------------------

// ---- Profiles: what differs between releases ---------------------------------------------------------

/// Stores answered by the path with a clear 502 (a path error), everything else honest.
std::size_t stores_sent_until_failure(const ClientProfile& profile, std::uint64_t seed) {
    Network net(20);
    Honest honest{net};
    DeterministicEntropy e(seed, "c");
    Client alice(identity(1), config(profile), std::make_shared<PoolCache>(), e);
    World w(net, [&](const Seen& s) -> std::optional<Answer> {
        if (s.onion && s.parsed.value("method", "") == "store") return Answer{502, "Bad Gateway", true};
        return honest(s);
    });
    w.command(alice, [&](Client& x) { x.start(w.now()); });
    w.run_for(milliseconds(3'000));
    w.command(alice, [&](Client& x) { x.send_message(w.now(), AccountId(x25519_from_ed25519(identity(3)).pub), "hi"); });
    w.run_for(milliseconds(60'000));
    EXPECT_EQ(w.events_of<app::StoreFailed>(&alice).size(), 1u);
    return w.requests("store", &alice).size();
}

TEST(ClientTest, Desktop2024TriesEachOnionRequestFourTimesOnFreshPaths) {
    // sessionRpc.ts lokiOnionFetch: pRetry {retries: 3, minTimeout: 100}, each try on a random
    // path without the target; MessageSender.send: 3 attempts. 3 × 4 stores; 2026 has no inner
    // retries (lokiOnionFetchNoRetries): 3.
    ClientProfile p2024 = mechanics_profile();
    p2024.onion_tries = 4;
    p2024.store_retry_ms = 100;
    EXPECT_EQ(stores_sent_until_failure(p2024, 31), 12u);
    ClientProfile p2026 = p2024;
    p2026.onion_tries = find_client_profile("desktop-2026-04").profile->onion_tries;
    EXPECT_EQ(stores_sent_until_failure(p2026, 31), 3u);
}

TEST(ClientTest, Desktop2026LooksUpItsOwnSwarmAgainEveryHour) {
    // ActionsPanel.tsx (1380d1e): hourly getFreshSwarmFor(ourPubKey); 802058e only at start-up.
    auto own_lookups = [](std::int64_t refresh_ms) {
        Network net(16);
        Honest honest{net};
        DeterministicEntropy e(32, "c");
        ClientProfile p = mechanics_profile();
        p.own_swarm_refresh_ms = refresh_ms;
        Client bob(identity(2), config(p), std::make_shared<PoolCache>(), e);
        World w(net, std::ref(honest));
        w.command(bob, [&](Client& x) { x.start(w.now()); });
        w.run_for(milliseconds(2 * 3'600'000 + 60'000));
        std::size_t n = 0;
        for (const auto& s : w.requests("get_swarm", &bob, true)) n += s.parsed["params"]["pubkey"] == bob.account_id().hex();
        return std::pair{n, bob.counter(client_counter::own_swarm_refreshes)};
    };
    EXPECT_EQ(own_lookups(find_client_profile("desktop-2026-04").profile->own_swarm_refresh_ms),
              (std::pair<std::size_t, std::uint64_t>{3, 2}));
    EXPECT_EQ(own_lookups(find_client_profile("desktop-2024-12").profile->own_swarm_refresh_ms),
              (std::pair<std::size_t, std::uint64_t>{1, 0}));
}

TEST(ClientTest, Android2026RotatesItsRelaysEveryTenMinutesAndKeepsItsGuards) {
    // PathManager.kt PATH_ROTATE_INTERVAL_MS: new relays, the same guards.
    Network net(20);
    Honest honest{net};
    DeterministicEntropy e(33, "c");
    ClientProfile android = *find_client_profile("android-2026-04").profile;
    android.poll_namespaces = {PollNamespace{}};
    Client bob(identity(2), config(android), std::make_shared<PoolCache>(), e);
    World w(net, std::ref(honest));
    w.command(bob, [&](Client& x) { x.start(w.now()); });
    w.run_for(milliseconds(60'000));
    const auto guards = bob.guards();
    const auto before = bob.paths();
    ASSERT_EQ(before.size(), 2u);
    EXPECT_EQ(bob.counter(client_counter::guard_tests), 0u);  // SnodeDirectory: untested guards
    w.run_for(milliseconds(10 * 60'000));
    EXPECT_EQ(bob.counter(client_counter::path_rotations), 1u);
    EXPECT_EQ(bob.guards(), guards);
    ASSERT_EQ(bob.paths().size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) EXPECT_NE(bob.paths()[i].id, before[i].id);
    std::size_t rotated = 0;
    for (const auto& d : w.events_of<app::PathDropped>(&bob)) rotated += d.reason == "rotation";
    EXPECT_EQ(rotated, 2u);
}

TEST(ClientTest, OnionTimeoutsStrikePathsAndRebuildThem) {
    Network net(20);
    Honest honest{net};
    DeterministicEntropy e(16, "c");
    Client bob(identity(2), config(), std::make_shared<PoolCache>(), e);
    bool blackhole = false;
    World w(net, [&](const Seen& s) -> std::optional<Answer> {
        if (blackhole && s.onion) return std::nullopt;
        return honest(s);
    });
    w.command(bob, [&](Client& x) { x.start(w.now()); });
    w.run_for(milliseconds(3'000));
    ASSERT_EQ(bob.paths().size(), 2u);
    const auto first_paths = bob.paths();
    blackhole = true;
    // Polls time out after 25 s each; 3 timeouts on one path drop it.
    w.run_for(milliseconds(6 * 31'000));
    EXPECT_GE(bob.counter(client_counter::onion_timeout), 3u);
    auto dropped = w.events_of<app::PathDropped>();
    ASSERT_FALSE(dropped.empty());
    EXPECT_GE(bob.paths_dropped(), 1u);
    EXPECT_GT(bob.paths_built(), 2u);  // rebuilt
    EXPECT_EQ(bob.paths().size(), 2u);
    // A dropped path's guard left the pool.
    bool some_guard_gone = false;
    for (const auto& p : first_paths) some_guard_gone = some_guard_gone || !bob.in_pool(p.nodes[0].ed25519);
    EXPECT_TRUE(some_guard_gone);
    auto failed = w.events_of<app::OnionFailed>();
    ASSERT_FALSE(failed.empty());
    EXPECT_EQ(failed[0].reason, "timeout");
    EXPECT_EQ(failed[0].status, 0);
    EXPECT_EQ(failed[0].elapsed_ms, 25'000);
}

TEST(ClientTest, NextNodeNotFoundDropsThatNodeAtOnce) {
    Network net(20);
    Honest honest{net};
    DeterministicEntropy e(17, "c");
    Client bob(identity(2), config(), std::make_shared<PoolCache>(), e);
    std::optional<Ed25519Pubkey> victim;
    World w(net, [&](const Seen& s) -> std::optional<Answer> {
        if (s.onion && !victim && s.parsed.value("method", "") == "retrieve") {
            victim = net.nodes[s.path[1]].ed.pub;
            return Answer{502, "Next node not found: " + victim->hex(), true};
        }
        return honest(s);
    });
    w.command(bob, [&](Client& x) { x.start(w.now()); });
    w.run_for(milliseconds(8'000));
    ASSERT_TRUE(victim.has_value());
    EXPECT_FALSE(bob.in_pool(*victim));
    EXPECT_EQ(bob.counter(client_counter::next_node_not_found), 1u);
    for (const auto& p : bob.paths()) {
        for (const auto& n : p.nodes) EXPECT_NE(n.ed25519, *victim);
        EXPECT_EQ(p.nodes.size(), 3u);
    }
}

TEST(ClientTest, DestinationErrorsStrikeTheNodeThreeTimesThenDropIt) {
    Network net(16);
    Honest honest{net};
    DeterministicEntropy e(18, "c");
    Client bob(identity(2), config(), std::make_shared<PoolCache>(), e);
    honest.swarms[bob.account_id().hex()] = {3, 4, 5};
    World w(net, [&](const Seen& s) -> std::optional<Answer> {
        if (s.onion && s.dest == 3 && s.parsed.value("method", "") == "retrieve") return Answer{503, "busy"};
        return honest(s);
    });
    w.command(bob, [&](Client& x) { x.start(w.now()); });
    w.run_for(milliseconds(120'000));
    EXPECT_FALSE(bob.in_pool(net.nodes[3].ed.pub));
    EXPECT_EQ(bob.counter(client_counter::destination_error), 3u);
    for (const auto& n : bob.cached_swarm(bob.account_id().as_session_id())) EXPECT_NE(n.ed25519, net.nodes[3].ed.pub);
}

TEST(ClientTest, HostileBytesAreCountedNotThrown) {
    DeterministicEntropy e(19, "c");
    Client c(identity(1), config(), std::make_shared<PoolCache>(), e);
    c.start(T0);
    (void)c.take_effects();
    c.handle(T0, Inbound{SEED, to_bytes("garbage")});
    TransportPacket stray;
    stray.is_request = false;
    stray.request_id = 999'999;
    stray.status = 200;
    c.handle(T0, Inbound{SEED, encode_packet(stray)});
    c.handle(T0, TimerExpired{424242});
    EXPECT_EQ(c.counter(client_counter::malformed_packet), 1u);
    EXPECT_EQ(c.counter(client_counter::unmatched_response), 1u);
    EXPECT_EQ(c.counter(client_counter::unknown_timer), 1u);
}

TEST(ClientTest, SameSeedSameEffects) {
    auto run = [](std::uint64_t seed) {
        Network net(16);
        Honest honest{net};
        DeterministicEntropy e(seed, "det");
        Client c(identity(1), config(), std::make_shared<PoolCache>(), e);
        World w(net, std::ref(honest));
        w.command(c, [&](Client& x) { x.start(w.now()); });
        w.command(c, [&](Client& x) { x.send_message(w.now(), AccountId(x25519_from_ed25519(identity(2)).pub), "d"); });
        w.run_for(milliseconds(20'000));
        std::vector<std::pair<std::int64_t, std::string>> trace;
        for (const auto& s : w.seen) trace.emplace_back(unix_ms(s.at), s.to.to_string() + s.rpc.substr(0, 40));
        return trace;
    };
    EXPECT_EQ(run(5), run(5));
    EXPECT_NE(run(5), run(6));
}

}  // namespace
}  // namespace sessionproto
