#include "sim/scenario/observation_csv.hpp"

#include <stdexcept>

namespace sessionsim::scenario {

ObservationCsv::ObservationCsv(const std::filesystem::path& file) : file_(file), out_(file, std::ios::binary) {
    if (!out_) throw std::runtime_error("cannot write " + file.string());
    out_ << "time_ns,node,kind,from,next,size,recipient\n";
}

void ObservationCsv::write(SimTime at, std::size_t node, const sessionproto::Observation& o) {
    out_ << to_nanoseconds(at) << ',' << node << ',' << sessionproto::to_string(o.kind) << ','
         << o.from.to_string() << ',';
    if (o.next) out_ << o.next->hex();
    out_ << ',' << o.size << ',';
    if (o.recipient) out_ << o.recipient->hex();
    out_ << '\n';
    ++rows_;
}

void ObservationCsv::close() {
    out_.flush();
    if (!out_) throw std::runtime_error("writing " + file_.string() + " failed");
    out_.close();
}

}  // namespace sessionsim::scenario
