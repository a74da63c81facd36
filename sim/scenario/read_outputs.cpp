#include "sim/scenario/section_readers.hpp"

namespace sessionsim::scenario::reader {

void read_outputs(Loader& l, const Val& v, OutputsSpec& out) {
    Map m(l, v);
    m.check_keys({"dir", "csv", "report", "observations"});
    std::string dir = out.dir.string();
    read_string(l, m.get("dir"), dir, true);
    out.dir = dir;
    read_bool(l, m.get("csv"), out.csv);
    read_bool(l, m.get("report"), out.report);
    read_bool(l, m.get("observations"), out.observations);
}

}  // namespace sessionsim::scenario::reader
