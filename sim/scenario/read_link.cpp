#include "sim/scenario/section_readers.hpp"

namespace sessionsim::scenario::reader {

void read_link(Loader& l, const Val& v, net::AccessLink& link) {
    Map m(l, v);
    m.check_keys({"up", "down", "queue_limit_bytes", "delay", "jitter", "loss"});
    read_bandwidth(l, m.get("up"), link.up_bps);
    read_bandwidth(l, m.get("down"), link.down_bps);
    read_u64(l, m.get("queue_limit_bytes"), link.queue_limit_bytes, 0, UINT64_MAX);
    read_duration(l, m.get("delay"), link.access_delay, true);
    read_distribution(l, m.get("jitter"), link.jitter, Distribution::Unit::milliseconds);
    read_real(l, m.get("loss"), link.loss, 0, false, 1, false);
}

}  // namespace sessionsim::scenario::reader
