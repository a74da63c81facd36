#include "sim/core/phold.hpp"

#include <chrono>
#include <cmath>

namespace sessionsim {

Phold::Phold(Engine& engine, const PholdConfig& config)
    : engine_(engine),
      config_(config),
      rng_(engine.random().stream("phold")),
      mean_delay_ns_(static_cast<double>(config.mean_delay.count())) {}

SimDuration Phold::delay() {
    return config_.lookahead + SimDuration{std::llround(rng_.exponential(1.0) * mean_delay_ns_)};
}

void Phold::schedule(std::uint32_t lp, SimTime at) { engine_.schedule_at(at, lp, Event{this, lp}); }

void Phold::start() {
    engine_.reserve(static_cast<std::size_t>(config_.lps) * config_.events_per_lp);
    for (std::uint32_t lp = 0; lp < config_.lps; ++lp) {
        for (std::uint32_t k = 0; k < config_.events_per_lp; ++k) schedule(lp, engine_.now() + delay());
    }
}

void Phold::on_event(std::uint32_t /*lp*/) {
    const auto destination = static_cast<std::uint32_t>(rng_.uniform_int(0, config_.lps - 1));
    schedule(destination, engine_.now() + delay());
}

PholdResult run_phold(const PholdConfig& config, std::string_view log_spec) {
    Engine engine(config.seed);
    engine.log().configure(log_spec);
    Phold model(engine, config);
    model.start();
    SIM_LOG(engine.log(), info, engine, "phold") << config.lps << " LPs x " << config.events_per_lp
                                                   << " events, until t=" << format_time(SIM_EPOCH + config.end)
                                                   << " s, seed " << config.seed;
    const auto start = std::chrono::steady_clock::now();
    engine.run_until(SIM_EPOCH + config.end);
    const auto stop = std::chrono::steady_clock::now();
    PholdResult result;
    result.events_processed = engine.events_processed();
    result.wall_seconds = std::chrono::duration<double>(stop - start).count();
    result.events_per_second =
        result.wall_seconds > 0 ? static_cast<double>(result.events_processed) / result.wall_seconds : 0.0;
    result.fingerprint = engine.fingerprint().hex();
    result.heap_allocated_actions = engine.heap_allocated_actions();
    return result;
}

}  // namespace sessionsim
