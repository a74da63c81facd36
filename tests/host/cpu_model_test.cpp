// The service node's processor model (sim/host/cpu_model.hpp) behind a NodeHost: what handling
// costs, who waits for a core, what a full queue drops, and what a crash forgets.
#include "sim/host/cpu_model.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "sim/host/node_host.hpp"

namespace sessionsim::host {
namespace {

using namespace std::chrono_literals;
using sessionproto::Effects;
using sessionproto::Input;
using sessionproto::Timestamp;

/// Echoes every datagram ("re:" + text) and reports one request of work for it; an echo that
/// comes back becomes an event at the sender.
class WorkingEcho {
  public:
    void handle(Timestamp now, Input input) {
        auto* in = std::get_if<sessionproto::Inbound>(&input);
        if (in == nullptr) return;
        const std::string text = sessionproto::to_string(in->payload);
        if (text.rfind("re:", 0) == 0) {
            effects_.events.push_back(sessionproto::app::StoreConfirmed{text, sessionproto::unix_ms(now), std::nullopt});
            return;
        }
        ++effects_.work.requests;
        effects_.sends.push_back({in->from, sessionproto::to_bytes("re:" + text)});
    }
    Effects take_effects() { return std::exchange(effects_, {}); }
    void send(sessionproto::PeerAddress to, std::string text) { effects_.sends.push_back({to, sessionproto::to_bytes(text)}); }

  private:
    Effects effects_;
};

/// WorkingEcho with a service node's queues: "sn:..." is another node's request, "re:..." a
/// reply, anything else a client's request, answered "busy" when it cannot be queued.
class QueuedEcho : public WorkingEcho {
  public:
    static sessionproto::InputQueue input_queue(sessionproto::ByteView payload) {
        const std::string text = sessionproto::to_string(payload);
        if (text.rfind("sn:", 0) == 0) return sessionproto::InputQueue::sn;
        if (text.rfind("re:", 0) == 0) return sessionproto::InputQueue::reply;
        return sessionproto::InputQueue::https;
    }
    static std::optional<sessionproto::Bytes> busy_reply(sessionproto::ByteView payload) {
        if (input_queue(payload) != sessionproto::InputQueue::https) return std::nullopt;
        return sessionproto::to_bytes("re:busy " + sessionproto::to_string(payload));
    }
};
static_assert(NodeWithInputQueues<QueuedEcho>);
static_assert(!NodeWithInputQueues<WorkingEcho>);

/// Two hosts 5 ms apart on unlimited links; b gets `cpu` when one is given. What each host's
/// node emits as an event (an echo that came back) is recorded, with when and where.
template <class Node>
struct Bench {
    Engine engine{1};
    net::Topology topology{{{"r", 5ms}}, {}};
    net::Network network{engine, topology};
    std::vector<std::pair<SimTime, std::string>> echoes;  // events at a: (when, text)
    std::vector<std::string> at_b;                         // events at b
    std::optional<NodeHost<Node>> a, b;
    explicit Bench(std::optional<CpuModel> cpu) {
        net::AccessLink link;
        link.up_bps = link.down_bps = 0;
        HostSinks sinks{[this](SimTime at, net::HostId host, const sessionproto::AppEvent& e) {
                            const std::string& text = std::get<sessionproto::app::StoreConfirmed>(e).hash;
                            if (host == a->id()) {
                                echoes.emplace_back(at, text);
                            } else {
                                at_b.push_back(text);
                            }
                        },
                        {}};
        a.emplace(engine, network, net::HostSpec{net::RegionId{0}, link, std::nullopt}, Node{}, sinks);
        b.emplace(engine, network, net::HostSpec{net::RegionId{0}, link, std::nullopt}, Node{}, sinks);
        if (cpu) b->use_cpu(*cpu);
    }
    /// a sends `texts` to b at 1 s, in order.
    void send_at_one_second(std::vector<std::string> texts) {
        engine.schedule_at(SIM_EPOCH + 1s, [this, texts = std::move(texts)] {
            for (const auto& text : texts) a->protocol().send(b->address(22021), text);
            a->apply();
        });
    }
    /// a sends "m0", "m1", ... to b at 1 s.
    void send_at_one_second(int count) {
        std::vector<std::string> texts;
        for (int i = 0; i < count; ++i) {
            std::string text = "m";
            text += std::to_string(i);
            texts.push_back(std::move(text));
        }
        send_at_one_second(std::move(texts));
    }
};

CpuModel one_ms_per_request(unsigned cores, std::size_t queue_limit = 0) {  // 0: unbounded
    CpuModel cpu;
    cpu.cores = cores;
    cpu.costs = OperationCosts{};
    cpu.costs.request_ns = 1e6;
    cpu.https_queue_limit = queue_limit;  // WorkingEcho has no input queues: everything counts here
    cpu.sn_queue_limit = 0;
    return cpu;
}

TEST(CpuModel, CostSumsEveryOperationAndDividesBySpeed) {
    CpuModel cpu;
    cpu.costs = OperationCosts{1, 10, 100, 0.5, 1000, 10000, 100000, 1e6, 1e7};
    sessionproto::Work w;
    w.requests = 1;
    w.onion_layers = 2;
    w.onion_replies = 3;
    w.crypto_bytes = 4;
    w.signature_checks = 5;
    w.signatures = 6;
    w.hashes = 7;
    w.db_writes = 8;
    w.db_reads = 9;
    const double expected = 1 + 20 + 300 + 2 + 5000 + 60000 + 700000 + 8e6 + 9e7;
    EXPECT_EQ(cost_of(w, cpu), nanoseconds(static_cast<std::int64_t>(expected)));
    cpu.speed = 2;
    EXPECT_EQ(cost_of(w, cpu), nanoseconds(std::llround(expected / 2)));
    EXPECT_EQ(cost_of(sessionproto::Work{}, cpu), SimDuration{});
}

TEST(CpuModel, ReferenceCostsAreAllSet) {
    const OperationCosts r = reference_costs();
    for (const double v : {r.request_ns, r.onion_layer_ns, r.onion_reply_ns, r.crypto_byte_ns, r.signature_check_ns,
                           r.signature_ns, r.hash_ns, r.db_write_ns, r.db_read_ns}) {
        EXPECT_GT(v, 0.0);
    }
    // An onion layer is an X25519 exchange plus a cipher: it costs more than hashing a message.
    EXPECT_GT(r.onion_layer_ns, r.hash_ns);
}

TEST(CpuModel, OneCoreServesArrivalsInTurn) {
    Bench<WorkingEcho> bench(one_ms_per_request(1));
    bench.send_at_one_second(2);
    bench.engine.run();
    // Both reach b at 1.005 s; the first is done at 1.006 s, the second waits for it and is done
    // at 1.007 s; each echo takes 5 ms back.
    ASSERT_EQ(bench.echoes.size(), 2u);
    EXPECT_EQ(bench.echoes[0], std::make_pair(SIM_EPOCH + 1011ms, std::string("re:m0")));
    EXPECT_EQ(bench.echoes[1], std::make_pair(SIM_EPOCH + 1012ms, std::string("re:m1")));
    const CpuStats* st = bench.b->cpu_stats();
    ASSERT_NE(st, nullptr);
    EXPECT_EQ(st->jobs, 2u);
    EXPECT_EQ(st->waited, 1u);
    EXPECT_EQ(st->wait_ns, 1'000'000u);
    EXPECT_EQ(st->max_wait_ns, 1'000'000u);
    EXPECT_EQ(st->busy_ns, 2'000'000u);
    EXPECT_EQ(st->peak_queue, 1u);
    EXPECT_EQ(st->dropped, 0u);
    EXPECT_EQ(bench.a->cpu_stats(), nullptr);  // a has no processor: its echoes cost nothing
}

TEST(CpuModel, TwoCoresServeTwoAtOnce) {
    Bench<WorkingEcho> bench(one_ms_per_request(2));
    bench.send_at_one_second(3);
    bench.engine.run();
    ASSERT_EQ(bench.echoes.size(), 3u);
    EXPECT_EQ(bench.echoes[0].first, SIM_EPOCH + 1011ms);
    EXPECT_EQ(bench.echoes[1].first, SIM_EPOCH + 1011ms);
    EXPECT_EQ(bench.echoes[2].first, SIM_EPOCH + 1012ms);
    EXPECT_EQ(bench.b->cpu_stats()->waited, 1u);
}

TEST(CpuModel, FullQueueDropsAndCounts) {
    Bench<WorkingEcho> bench(one_ms_per_request(1, 1));
    bench.send_at_one_second(4);
    bench.engine.run();
    // One on the core, one waiting, two dropped.
    ASSERT_EQ(bench.echoes.size(), 2u);
    EXPECT_EQ(bench.b->cpu_stats()->dropped, 2u);
    EXPECT_EQ(bench.b->cpu_stats()->jobs, 2u);
}

TEST(CpuModel, ClientsRequestsBeyondTheirCapAreAnsweredBusyNodesRequestsDroppedRepliesNeverCapped) {
    CpuModel cpu = one_ms_per_request(1);
    cpu.https_queue_limit = 1;
    cpu.sn_queue_limit = 1;
    Bench<QueuedEcho> bench(cpu);
    // In this order, all at 1.005 s at b: h0 takes the core, h1 waits, h2 finds the https queue
    // full; s0 waits, s1 and s2 find the sn queue full; the replies are not capped.
    bench.send_at_one_second({"h0", "h1", "h2", "sn:s0", "sn:s1", "sn:s2", "re:r0", "re:r1"});
    bench.engine.run();
    // a hears: the busy answer at once (1.010 s), then h0, h1, s0 served in turn; the two replies
    // reach b's node, each on its core in turn.
    const std::vector<std::pair<SimTime, std::string>> expected{{SIM_EPOCH + 1010ms, "re:busy h2"},
                                                                {SIM_EPOCH + 1011ms, "re:h0"},
                                                                {SIM_EPOCH + 1012ms, "re:h1"},
                                                                {SIM_EPOCH + 1013ms, "re:sn:s0"}};
    EXPECT_EQ(bench.echoes, expected);
    EXPECT_EQ(bench.at_b, (std::vector<std::string>{"re:r0", "re:r1"}));
    const CpuStats* st = bench.b->cpu_stats();
    EXPECT_EQ(st->dropped, 3u);       // h2, s1, s2
    EXPECT_EQ(st->busy_replies, 1u);  // h2
    EXPECT_EQ(st->jobs, 5u);          // h0, h1, s0, r0, r1
    EXPECT_EQ(st->peak_queue, 4u);    // h1, s0, r0, r1
}

TEST(CpuModel, GoingOfflineForgetsWorkInProgressAndTheQueue) {
    Bench<WorkingEcho> bench(one_ms_per_request(1));
    bench.send_at_one_second(3);
    bench.engine.schedule_at(SIM_EPOCH + 1005ms + 500us, [&] {
        EXPECT_EQ(bench.b->cpu_queue_length(), 2u);
        bench.b->go_offline();
    });
    bench.engine.run();
    EXPECT_TRUE(bench.echoes.empty());
    EXPECT_EQ(bench.b->cpu_queue_length(), 0u);
}

TEST(CpuModel, WithoutAProcessorAnswersAtOnce) {
    // A host without use_cpu: the same exchange, both echoes at 1.010 s.
    Bench<WorkingEcho> bench(std::nullopt);
    bench.send_at_one_second(2);
    bench.engine.run();
    ASSERT_EQ(bench.echoes.size(), 2u);
    EXPECT_EQ(bench.echoes[0].first, SIM_EPOCH + 1010ms);
    EXPECT_EQ(bench.echoes[1].first, SIM_EPOCH + 1010ms);
    EXPECT_EQ(bench.b->cpu_stats(), nullptr);
}

}  // namespace
}  // namespace sessionsim::host
