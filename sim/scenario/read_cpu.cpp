#include "sim/scenario/cpu_costs_file.hpp"
#include "sim/scenario/section_readers.hpp"

namespace sessionsim::scenario::reader {

// service_nodes.cpu: a processor for every service node (sim/host/cpu_model.hpp). Absent: nodes
// answer at once, as before the model existed.
void read_cpu(Loader& l, const Val& v, std::optional<host::CpuModel>& out) {
    if (!v.present) return;
    Map m(l, v);
    m.check_keys({"cores", "costs", "speed", "https_queue", "sn_queue"});
    host::CpuModel cpu;
    std::uint64_t cores = cpu.cores;
    read_u64(l, m.get("cores"), cores, 1, 1024);
    cpu.cores = static_cast<unsigned>(cores);
    read_real(l, m.get("speed"), cpu.speed, 0, true, INF, false);
    std::uint64_t https = cpu.https_queue_limit;
    read_u64(l, m.get("https_queue"), https, 0, UINT64_MAX);
    cpu.https_queue_limit = static_cast<std::size_t>(https);
    std::uint64_t sn = cpu.sn_queue_limit;
    read_u64(l, m.get("sn_queue"), sn, 0, UINT64_MAX);
    cpu.sn_queue_limit = static_cast<std::size_t>(sn);
    const std::string expected = "'reference' or the path of a costs file written by sessionsim calibrate (relative to the scenario)";
    if (const Val c = m.get("costs"); c.present) {
        const auto text = scalar(l, c, expected);
        if (text && *text != "reference") {
            std::filesystem::path path(*text);
            if (path.is_relative()) path = l.base_dir() / path;
            std::error_code ec;
            if (text->empty() || !std::filesystem::is_regular_file(path, ec)) {
                l.fail(c, "expected " + expected + ", got " + got(c.node) + " (no such file)");
            } else {
                auto costs = read_cpu_costs(path);
                if (auto* error = std::get_if<std::string>(&costs)) {
                    l.fail(c, "expected a valid costs file, got " + got(c.node) + ": " + *error);
                } else {
                    cpu.costs = std::get<host::OperationCosts>(costs);
                    cpu.source = *text;
                }
            }
        }
    }
    out = std::move(cpu);
}

}  // namespace sessionsim::scenario::reader
