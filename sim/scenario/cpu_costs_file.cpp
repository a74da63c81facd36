#include "sim/scenario/cpu_costs_file.hpp"

#include <yaml-cpp/yaml.h>

#include "sim/scenario/yaml_reader.hpp"

#include <cmath>
#include <iomanip>
#include <ostream>
#include <utility>
#include <vector>

namespace sessionsim::scenario {
namespace {

using Field = double host::OperationCosts::*;

const std::vector<std::pair<std::string, Field>>& fields() {
    static const std::vector<std::pair<std::string, Field>> f = {
        {"request", &host::OperationCosts::request_ns},
        {"onion_layer", &host::OperationCosts::onion_layer_ns},
        {"onion_reply", &host::OperationCosts::onion_reply_ns},
        {"crypto_byte", &host::OperationCosts::crypto_byte_ns},
        {"signature_check", &host::OperationCosts::signature_check_ns},
        {"signature", &host::OperationCosts::signature_ns},
        {"hash", &host::OperationCosts::hash_ns},
        {"db_write", &host::OperationCosts::db_write_ns},
        {"db_read", &host::OperationCosts::db_read_ns},
    };
    return f;
}

std::string where(const std::filesystem::path& file, const YAML::Mark& mark) {
    return file.string() + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

}  // namespace

const std::vector<std::string>& cpu_cost_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> n;
        for (const auto& [name, field] : fields()) n.push_back(name);
        return n;
    }();
    return names;
}

void write_cpu_costs(std::ostream& out, const host::OperationCosts& costs, const std::string& machine) {
    out << "# A service node's operation costs, measured by `sessionsim calibrate` on one core of this\n"
           "# machine with the real code path (libsodium, the onion layer code, the message store).\n"
           "# Nanoseconds per operation; crypto_byte is per byte through a cipher or a hash.\n"
           "# Name this file in a scenario:  service_nodes: {cpu: {cores: 2, costs: <this file>}}\n"
        << "machine: " << YAML::Node(machine) << "\ncosts_ns:\n";
    for (const auto& [name, field] : fields()) {
        out << "  " << name << ": " << std::fixed << std::setprecision(name == "crypto_byte" ? 3 : 1)
            << costs.*field << "\n";
    }
}

std::variant<host::OperationCosts, std::string> read_cpu_costs(const std::filesystem::path& file) {
    YAML::Node root;
    try {
        root = YAML::LoadFile(file.string());
    } catch (const YAML::BadFile&) {
        return file.string() + ": cannot read the costs file";
    } catch (const YAML::Exception& e) {
        return where(file, e.mark) + ": not YAML: " + e.msg;
    }
    if (!root.IsMap()) return file.string() + ": expected a mapping with 'costs_ns' (written by sessionsim calibrate)";
    const YAML::Node costs = root["costs_ns"];
    if (!costs || !costs.IsMap()) {
        return where(file, root.Mark()) + ": key 'costs_ns': expected a mapping of operation to nanoseconds";
    }
    host::OperationCosts out;
    for (const auto& entry : costs) {
        const std::string key = entry.first.as<std::string>("");
        bool known = false;
        for (const auto& [name, field] : fields()) known = known || name == key;
        if (!known) {
            return where(file, entry.first.Mark()) + ": key 'costs_ns." + key + "': unknown operation (expected one of " +
                   reader::join(cpu_cost_names()) + ")";
        }
    }
    for (const auto& [name, field] : fields()) {
        const YAML::Node v = costs[name];
        if (!v) return where(file, costs.Mark()) + ": key 'costs_ns." + name + "': missing (expected nanoseconds >= 0)";
        double x = -1;
        try {
            x = v.as<double>();
        } catch (const YAML::Exception&) {
            x = -1;
        }
        if (!v.IsScalar() || !std::isfinite(x) || x < 0) {
            return where(file, v.Mark()) + ": key 'costs_ns." + name + "': expected nanoseconds >= 0, got '" +
                   (v.IsScalar() ? v.Scalar() : std::string("a ") + (v.IsMap() ? "mapping" : "sequence")) + "'";
        }
        out.*field = x;
    }
    return out;
}

}  // namespace sessionsim::scenario
