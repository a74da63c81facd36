// libFuzzer target: a whole service node under hostile datagrams. The node knows a swarm of 6
// (itself included); each input is split into datagrams (2-byte length prefixes) sent from a
// client address or from a swarm peer's address, with time moving on between them. The node must
// never crash, throw or assert, whatever arrives.
#include <vector>

#include "models/session/node/service_node.hpp"

using namespace sessionproto;

namespace {

struct Fixture {
    DeterministicEntropy entropy{11, "fuzz/service_node"};
    std::vector<Ed25519Keypair> identities;
    std::vector<SnodeRecord> records;
    SwarmUpdate update;
    Fixture() {
        for (std::uint32_t i = 0; i < 6; ++i) {
            identities.push_back(ed25519_generate(entropy));
            records.push_back(SnodeRecord{identities.back().pub, x25519_from_ed25519(identities.back()).pub,
                                          PeerAddress{0x0B000100 + i, STORAGE_HTTPS_PORT}, 42});
        }
        update = make_swarm_update(1, records);
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static Fixture fixture;
    DeterministicEntropy entropy(12, "fuzz/service_node/node");
    // The first byte's top bit picks a sampled run's node (it accepts modelled onion layers).
    ServiceNodeConfig config;
    config.accept_modelled_crypto = size > 0 && (data[0] & 0x80) != 0;
    ServiceNode node(fixture.identities[0], PeerAddress{0x0B000100, STORAGE_HTTPS_PORT}, config, entropy);
    Timestamp now{std::chrono::milliseconds{1767225600000}};
    node.handle(now, fixture.update);
    (void)node.take_effects();
    std::size_t i = 0;
    while (i + 3 <= size) {
        const std::size_t n = (static_cast<std::size_t>(data[i]) << 8 | data[i + 1]) % 4096;
        const bool from_peer = (data[i + 2] & 1) != 0;
        i += 3;
        const std::size_t take = std::min(n, size - i);
        Bytes payload(reinterpret_cast<const std::byte*>(data + i), reinterpret_cast<const std::byte*>(data + i + take));
        i += take;
        const PeerAddress from = from_peer ? PeerAddress{0x0B000101, STORAGE_OMQ_PORT} : PeerAddress{0x0C000001, 0};
        node.handle(now, Inbound{from, std::move(payload)});
        const Effects effects = node.take_effects();
        for (const TimerRequest& t : effects.timers) {
            if (t.id % 3 == 0) node.handle(t.at, TimerExpired{t.id});  // fire some of them
        }
        (void)node.take_effects();
        now += std::chrono::milliseconds(250);
    }
    return 0;
}
