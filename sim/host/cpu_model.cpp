#include "sim/host/cpu_model.hpp"

#include <cmath>

namespace sessionsim::host {

OperationCosts reference_costs() noexcept {
    OperationCosts c;
    // `sessionsim calibrate --ms-per-op 300` on one core of a 2-core AMD EPYC virtual machine,
    // Debian 12, libsodium 1.0.18, Release build, 2026-12-07 (rounded). The database figures
    // are those of the in-memory message store: oxenss's SQLite costs more per write.
    c.request_ns = 5'700;
    c.onion_layer_ns = 35'200;
    c.onion_reply_ns = 1'300;
    c.crypto_byte_ns = 0.73;
    c.signature_check_ns = 41'300;
    c.signature_ns = 14'300;
    c.hash_ns = 350;
    c.db_write_ns = 4'400;
    c.db_read_ns = 1'900;
    return c;
}

SimDuration cost_of(const sessionproto::Work& w, const CpuModel& model) noexcept {
    const OperationCosts& c = model.costs;
    const double ns = w.requests * c.request_ns + w.onion_layers * c.onion_layer_ns + w.onion_replies * c.onion_reply_ns +
                      static_cast<double>(w.crypto_bytes) * c.crypto_byte_ns +
                      w.signature_checks * c.signature_check_ns + w.signatures * c.signature_ns +
                      w.hashes * c.hash_ns + w.db_writes * c.db_write_ns + w.db_reads * c.db_read_ns;
    const double scaled = model.speed > 0 ? ns / model.speed : ns;
    return nanoseconds(static_cast<std::int64_t>(std::llround(scaled)));
}

}  // namespace sessionsim::host
