#pragma once
// observations.csv (outputs.observations: true): one row per thing a service node saw, in the
// order the simulation produced them —
//   time_ns,node,kind,from,next,size,recipient
// time_ns: simulated time; node: the service node's index; kind: received | relayed | stored |
// retrieved; from: the previous hop or client, ip:port; next: the next hop's Ed25519 key (relayed
// only); size: bytes; recipient: the Session ID, only where the node learns it (stored,
// retrieved). The rows follow the event order, so one seed gives the same bytes.
#include <cstddef>
#include <filesystem>
#include <fstream>

#include "models/session/node/io.hpp"
#include "sim/core/time.hpp"

namespace sessionsim::scenario {

class ObservationCsv {
  public:
    /// Creates (truncates) the file and writes the header. Throws std::runtime_error naming the
    /// file when it cannot be opened.
    explicit ObservationCsv(const std::filesystem::path& file);
    void write(SimTime at, std::size_t node, const sessionproto::Observation& o);
    std::uint64_t rows() const noexcept { return rows_; }
    /// Flushes; throws std::runtime_error when anything failed to be written.
    void close();

  private:
    std::filesystem::path file_;
    std::ofstream out_;
    std::uint64_t rows_ = 0;
};

}  // namespace sessionsim::scenario
