#include "sim/scenario/section_readers.hpp"

namespace sessionsim::scenario::reader {

void read_crypto(Loader& l, const Val& v, CryptoSpec& out) {
    Map m(l, v);
    m.check_keys({"mode", "fraction"});
    read_enum(l, m.get("mode"), out.mode, {{"real", CryptoMode::real}, {"sampled", CryptoMode::sampled}});
    const Val f = m.get("fraction");
    if (out.mode == CryptoMode::sampled) {
        out.fraction = 0.01;
        read_real(l, f, out.fraction, 0, false, 1, false);
    } else if (f.present) {
        l.fail(f, "expected no fraction with mode real (fraction applies to mode sampled), got " + got(f.node));
    }
}

}  // namespace sessionsim::scenario::reader
