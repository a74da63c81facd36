// The workload against closed forms, with tolerances from the sample sizes (tests/support/stats.hpp).
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "sim/workload/contact_graph.hpp"
#include "sim/workload/message_schedule.hpp"
#include "sim/workload/online_schedule.hpp"
#include "tests/support/stats.hpp"

namespace sessionsim::workload {
namespace {

using namespace std::chrono_literals;

TEST(ContactGraph, SimpleSymmetricAndNearItsDegreeDistribution) {
    RandomStream rng(1);
    const std::size_t users = 5000;
    const ContactGraph g = ContactGraph::generate(users, Distribution::constant(8), rng);
    double sum = 0;
    for (std::uint32_t u = 0; u < users; ++u) {
        const auto& c = g.contacts(u);
        for (std::size_t i = 0; i < c.size(); ++i) {
            ASSERT_NE(c[i], u);                                  // no self-loop
            if (i > 0) {
                ASSERT_LT(c[i - 1], c[i]);  // sorted, no repeats
            }
            ASSERT_TRUE(g.connected(c[i], u));                   // symmetric
        }
        sum += static_cast<double>(c.size());
    }
    // Configuration model with k = 8: expected self-loops ~ (k-1)/2 and repeated pairs
    // ~ ((k-1)/2)^2 in all (Newman 2010, ch. 13.2): a loss of about 16 edges of 20,000.
    EXPECT_EQ(g.edge_count() * 2, static_cast<std::size_t>(sum));
    const double lost = 8.0 * users / 2 - static_cast<double>(g.edge_count());
    const double expected_lost = (8.0 - 1) / 2 + std::pow((8.0 - 1) / 2, 2);
    EXPECT_NEAR(lost, expected_lost, testing::Z * std::sqrt(expected_lost) + 1);
    EXPECT_GT(g.largest_component(), users * 99 / 100);
}

TEST(ContactGraph, LognormalDegreesHaveTheirMean) {
    RandomStream rng(2);
    const std::size_t users = 20000;
    const auto spec = Distribution::lognormal(10, 0.5);
    const ContactGraph g = ContactGraph::generate(users, spec, rng);
    const double mean = spec.mean();  // 10 * e^(0.125)
    const double sd = std::sqrt((std::exp(0.25) - 1) * std::exp(2 * std::log(10.0) + 0.25));
    // Rounding to whole degrees and the few dropped pairs shift the mean by well under 0.5.
    EXPECT_NEAR(g.mean_degree(), mean, testing::mean_tolerance(sd, users) + 0.5);
}

TEST(ContactGraph, SameSeedSameGraph) {
    RandomStream a(3), b(3), c(4);
    const auto spec = Distribution::uniform(1, 12);
    const ContactGraph x = ContactGraph::generate(500, spec, a), y = ContactGraph::generate(500, spec, b),
                       z = ContactGraph::generate(500, spec, c);
    bool all_equal = true, any_different = false;
    for (std::uint32_t u = 0; u < 500; ++u) {
        all_equal &= x.contacts(u) == y.contacts(u);
        any_different |= x.contacts(u) != z.contacts(u);
    }
    EXPECT_TRUE(all_equal);
    EXPECT_TRUE(any_different);
}

ScheduleConfig flat(double rate) {
    ScheduleConfig c;
    c.rate_per_user_per_hour = rate;
    return c;
}

TEST(MessageSchedule, FlatPoissonCountsMatchTheRate) {
    RandomStream rng(5);
    const ContactGraph g = ContactGraph::generate(2000, Distribution::constant(5), rng);
    const RandomStreams streams(6);
    MessageSchedule schedule(flat(6.0), g, streams);  // 6 per hour
    const SimTime end = SIM_EPOCH + 10h;
    std::size_t total = 0, users_with_contacts = 0;
    for (std::uint32_t u = 0; u < g.users(); ++u) {
        if (g.contacts(u).empty()) {
            EXPECT_FALSE(schedule.next(u, SIM_EPOCH).has_value());
            continue;
        }
        ++users_with_contacts;
        SimTime t = SIM_EPOCH;
        while (auto m = schedule.next(u, t)) {
            if (m->at > end) break;
            ASSERT_GT(m->at, t);
            ASSERT_TRUE(g.connected(u, m->recipient));
            ++total;
            t = m->at;
        }
    }
    // Sum of independent Poisson(60) counts: mean and variance 60 per user.
    const double expected = 60.0 * static_cast<double>(users_with_contacts);
    EXPECT_NEAR(static_cast<double>(total), expected, testing::Z * std::sqrt(expected));
}

TEST(MessageSchedule, DiurnalShapeFollowsTheCosine) {
    RandomStream rng(7);
    const ContactGraph g = ContactGraph::generate(1000, Distribution::constant(4), rng);
    ScheduleConfig c = flat(4.0);
    c.diurnal_amplitude = 0.8;
    c.diurnal_peak_hour = 20.0;
    c.epoch_unix_ms = 1'767'225'600'000;  // midnight UTC
    MessageSchedule schedule(c, g, RandomStreams(8));
    // Count sends in the 6 hours around the peak (17-23 h) and around the trough (5-11 h) over 10 days.
    std::size_t near_peak = 0, near_trough = 0, total = 0;
    for (std::uint32_t u = 0; u < g.users(); ++u) {
        SimTime t = SIM_EPOCH;
        while (auto m = schedule.next(u, t)) {
            if (m->at > SIM_EPOCH + 240h) break;
            const double hour = std::fmod(to_seconds(m->at) / 3600.0, 24.0);
            near_peak += (hour >= 17 && hour < 23) ? 1 : 0;
            near_trough += (hour >= 5 && hour < 11) ? 1 : 0;
            ++total;
            t = m->at;
        }
    }
    // Share of sends in a 6 h window centred on the peak: the integral of 1 + A cos(2 pi x / 24)
    // over x in [-3, 3] h, 6 + A (24 / pi) sin(pi / 4), over the day's 24 h (minus for the trough).
    const double a = 0.8;
    const double peak_share = (6 + a * 24 / std::numbers::pi * std::sin(std::numbers::pi / 4)) / 24;
    const double trough_share = (6 - a * 24 / std::numbers::pi * std::sin(std::numbers::pi / 4)) / 24;
    const double n = static_cast<double>(total);
    EXPECT_NEAR(near_peak / n, peak_share, testing::mean_tolerance(std::sqrt(peak_share * (1 - peak_share)), total));
    EXPECT_NEAR(near_trough / n, trough_share,
                testing::mean_tolerance(std::sqrt(trough_share * (1 - trough_share)), total));
    EXPECT_NEAR(schedule.diurnal_factor(SIM_EPOCH + 20h), 1.8, 1e-9);
    EXPECT_NEAR(schedule.diurnal_factor(SIM_EPOCH + 8h), 0.2, 1e-9);
}

TEST(MessageSchedule, ZipfActivityWeightsHaveMeanOneAndTheirRankRatios) {
    RandomStream rng(9);
    const ContactGraph g = ContactGraph::generate(1000, Distribution::constant(3), rng);
    ScheduleConfig c = flat(2.0);
    c.activity = Distribution::zipf(1.0);
    MessageSchedule schedule(c, g, RandomStreams(10));
    double sum = 0, max_w = 0, min_w = 1e300;
    for (std::uint32_t u = 0; u < 1000; ++u) {
        sum += schedule.weight(u);
        max_w = std::max(max_w, schedule.weight(u));
        min_w = std::min(min_w, schedule.weight(u));
    }
    EXPECT_NEAR(sum / 1000, 1.0, 1e-9);
    EXPECT_NEAR(max_w / min_w, 1000.0, 1e-6);  // rank 1 against rank 1000 with s = 1
}

TEST(MessageSchedule, SizesFollowTheirDistributionAndStayUnderTheStorageLimit) {
    RandomStream rng(11);
    const ContactGraph g = ContactGraph::generate(200, Distribution::constant(3), rng);
    ScheduleConfig c = flat(60.0);
    c.message_size_bytes = Distribution::exponential(500);
    MessageSchedule schedule(c, g, RandomStreams(12));
    double sum = 0;
    std::size_t n = 0;
    for (std::uint32_t u = 0; u < 200; ++u) {
        SimTime t = SIM_EPOCH;
        for (int k = 0; k < 100; ++k) {
            const auto m = schedule.next(u, t);
            if (!m) break;
            sum += m->size_bytes;
            ASSERT_GE(m->size_bytes, 1u);
            ASSERT_LE(m->size_bytes, 76'800u);
            ++n;
            t = m->at;
        }
    }
    // Rounding to whole bytes (at least 1) shifts the mean by at most 1 byte.
    EXPECT_NEAR(sum / static_cast<double>(n), 500.0, testing::mean_tolerance(500, n) + 1);
}

}  // namespace
}  // namespace sessionsim::workload

namespace sessionsim::workload {
namespace {

TEST(OnlineSchedule, LongRunOnlineShareIsTheRenewalRewardRatio) {
    OnlineConfig c;
    c.always_online = false;
    c.online = Distribution::exponential(30 * 60e3);   // mean 30 min
    c.offline = Distribution::exponential(90 * 60e3);  // mean 90 min
    const std::size_t users = 400;
    OnlineSchedule schedule(c, users, RandomStreams(13));
    EXPECT_DOUBLE_EQ(schedule.online_share(), 0.25);
    const SimTime horizon = SIM_EPOCH + hours(24 * 20);
    double online_seconds = 0;
    std::size_t started_online = 0;
    for (std::uint32_t u = 0; u < users; ++u) {
        bool online = schedule.starts_online(u);
        started_online += online ? 1 : 0;
        SimTime t = SIM_EPOCH;
        while (t < horizon) {
            const SimTime end = std::min(horizon, t + schedule.next_period(u, online));
            if (online) online_seconds += to_seconds(end - t);
            t = end;
            online = !online;
        }
    }
    const double share = online_seconds / (to_seconds(horizon) * users);
    // Alternating-renewal CLT: the time online over T has variance
    // T (m_off^2 s_on^2 + m_on^2 s_off^2) / (m_on + m_off)^3, with s = m for exponential periods.
    const double m_on = 1800, m_off = 5400, T = to_seconds(horizon);
    const double var = T * (m_off * m_off * m_on * m_on + m_on * m_on * m_off * m_off) / std::pow(m_on + m_off, 3);
    const double sd_share = std::sqrt(var / users) / T;
    EXPECT_NEAR(share, 0.25, testing::Z * sd_share);
    EXPECT_NEAR(static_cast<double>(started_online) / users, 0.25, testing::mean_tolerance(std::sqrt(0.25 * 0.75), users));
    OnlineSchedule always(OnlineConfig{}, 3, RandomStreams(1));
    EXPECT_TRUE(always.starts_online(2));
}

}  // namespace
}  // namespace sessionsim::workload
