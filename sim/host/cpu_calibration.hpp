#pragma once
// `sessionsim calibrate`: the cost of a service node's operations (cpu_model.hpp) measured on this
// machine with the real code path — libsodium's X25519, XChaCha20-Poly1305 and Ed25519, the onion
// layer code, the message hash, the message store, packet decoding and JSON parsing — each timed
// by the wall clock over repeated calls on one core. Not deterministic by nature: its output is a
// file a scenario names, never part of a run.
#include <chrono>

#include "sim/host/cpu_model.hpp"

namespace sessionsim::host {

/// Measures every OperationCosts figure, spending about `per_operation` on each.
OperationCosts measure_operation_costs(std::chrono::milliseconds per_operation = std::chrono::milliseconds{200});

}  // namespace sessionsim::host
