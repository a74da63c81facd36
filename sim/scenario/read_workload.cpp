#include "sim/scenario/section_readers.hpp"

namespace sessionsim::scenario::reader {

void read_workload(Loader& l, const Val& v, WorkloadSpec& w) {
    Map m(l, v);
    m.check_keys({"contacts", "activity", "rate_per_user_per_hour", "diurnal_amplitude", "diurnal_peak_hour",
                  "message_size_bytes", "ttl"});
    read_distribution(l, m.get("contacts"), w.contacts, Distribution::Unit::number);
    read_distribution(l, m.get("activity"), w.activity, Distribution::Unit::number);
    read_real(l, m.get("rate_per_user_per_hour"), w.rate_per_user_per_hour, 0, false, INF, false);
    read_real(l, m.get("diurnal_amplitude"), w.diurnal_amplitude, 0, false, 1, false);
    read_real(l, m.get("diurnal_peak_hour"), w.diurnal_peak_hour, 0, false, 24, true);
    read_distribution(l, m.get("message_size_bytes"), w.message_size_bytes, Distribution::Unit::number);
    read_duration(l, m.get("ttl"), w.ttl, false, hours(24 * 14));
}

}  // namespace sessionsim::scenario::reader
