#pragma once
// PHOLD, the standard benchmark model of discrete-event engines (Fujimoto, 1990).
//
// N logical processes (LPs), each starting with M events at lookahead + Exp(mean). Processing an
// event schedules one new event at a uniformly chosen LP at now + lookahead + Exp(mean), until
// the end time. With lookahead 0.1 s and mean 1 s the queue holds N*M events at all times.
#include <cstdint>
#include <string>
#include <string_view>

#include "sim/core/engine.hpp"

namespace sessionsim {

struct PholdConfig {
    std::uint32_t lps = 1000;
    std::uint32_t events_per_lp = 10;
    SimDuration end = seconds(1000);
    SimDuration lookahead = milliseconds(100);
    SimDuration mean_delay = seconds(1);
    std::uint64_t seed = 1;
};

/// The model on an existing engine: start() schedules the initial events.
class Phold {
  public:
    Phold(Engine& engine, const PholdConfig& config);
    void start();

  private:
    struct Event {  // the action of one event: 16 bytes, stored in place in the engine's slot
        Phold* model;
        std::uint32_t lp;
        void operator()() const { model->on_event(lp); }
    };
    void on_event(std::uint32_t lp);
    void schedule(std::uint32_t lp, SimTime at);
    SimDuration delay();

    Engine& engine_;
    PholdConfig config_;
    RandomStream& rng_;
    double mean_delay_ns_;
};

struct PholdResult {
    std::uint64_t events_processed = 0;
    double wall_seconds = 0;        ///< the event loop only
    double events_per_second = 0;   ///< events_processed / wall_seconds
    std::string fingerprint;        ///< the engine's fingerprint, hex
    std::uint64_t heap_allocated_actions = 0;
};

/// Builds an engine seeded with config.seed, runs the model to config.end and reports.
/// `log_spec` configures the engine's logger ("engine:info"; empty: warnings only).
PholdResult run_phold(const PholdConfig& config, std::string_view log_spec = {});

}  // namespace sessionsim
