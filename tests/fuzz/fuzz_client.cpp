// libFuzzer target: a whole client under hostile datagrams. The client bootstraps from a seed;
// each input is split into datagrams (2-byte length prefixes, then a flag byte): raw bytes, or a
// response to request id (flag >> 1) with status 200 whose body is the bytes (so the fuzzer
// reaches the pool, swarm and onion-reply parsers). Time moves on between datagrams and some of
// the client's timers fire. The client must never crash, throw or assert.
#include "models/session/node/client.hpp"
#include "models/session/node/transport.hpp"

using namespace sessionproto;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    DeterministicEntropy entropy(31, "fuzz/client");
    ClientConfig config;
    config.seed_nodes = {PeerAddress{0x0B000100, STORAGE_HTTPS_PORT}};
    auto pools = std::make_shared<PoolCache>();
    Client client(ed25519_generate(entropy), config, pools, entropy);
    Timestamp now{std::chrono::milliseconds{1767225600000}};
    client.start(now);
    std::vector<TimerRequest> timers = client.take_effects().timers;
    std::size_t i = 0;
    while (i + 3 <= size) {
        const std::size_t n = (static_cast<std::size_t>(data[i]) << 8 | data[i + 1]) % 8192;
        const std::uint8_t flag = data[i + 2];
        i += 3;
        const std::size_t take = std::min(n, size - i);
        Bytes bytes(reinterpret_cast<const std::byte*>(data + i), reinterpret_cast<const std::byte*>(data + i + take));
        i += take;
        Bytes payload = (flag & 1) != 0 ? encode_packet(TransportPacket{false, static_cast<std::uint64_t>(flag >> 1), "",
                                                                        200, std::move(bytes)})
                                        : std::move(bytes);
        client.handle(now, Inbound{PeerAddress{0x0B000100, STORAGE_HTTPS_PORT}, std::move(payload)});
        Effects e = client.take_effects();
        timers.insert(timers.end(), e.timers.begin(), e.timers.end());
        if (!timers.empty() && (flag & 2) != 0) {
            const TimerRequest t = timers.front();
            timers.erase(timers.begin());
            now = std::max(now, t.at);
            client.handle(now, TimerExpired{t.id});
            Effects more = client.take_effects();
            timers.insert(timers.end(), more.timers.begin(), more.timers.end());
        }
        if ((flag & 4) != 0) {
            (void)client.send_message(now, *AccountId::parse("05" + std::string(64, 'a')), "hello");
            (void)client.take_effects();
        }
        now += std::chrono::milliseconds(100);
    }
    return 0;
}
