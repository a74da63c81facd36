// service_nodes.cpu in scenarios and the costs file `sessionsim calibrate` writes: values read,
// files resolved against the scenario, every mistake named with its file, line, column and key.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "sim/scenario/cpu_costs_file.hpp"
#include "sim/scenario/yaml_loader.hpp"

namespace sessionsim::scenario {
namespace {

namespace fs = std::filesystem;

/// A fresh folder under the test's temporary directory.
fs::path folder(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / ("sessionsim_cpu_spec_" + name);
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

void write(const fs::path& file, const std::string& text) {
    std::ofstream out(file, std::ios::binary);
    out << text;
}

std::string scenario_with_cpu(const std::string& cpu) {
    return "name: t\nduration: 1min\nservice_nodes:\n  count: 10\n  cpu: " + cpu + "\nclients: {count: 5}\n";
}

/// Every problem of loading `file`, formatted; empty when it loads.
std::string problems(const fs::path& file) {
    try {
        load_scenario(file);
    } catch (const ScenarioErrors& e) {
        std::string all;
        for (const auto& p : e.problems()) all += p.format() + "\n";
        return all;
    }
    return "";
}

host::OperationCosts sample_costs() {
    host::OperationCosts c;
    c.request_ns = 5700.5;
    c.onion_layer_ns = 35200;
    c.onion_reply_ns = 1300.25;  // written with one decimal: 1300.2 or 1300.3
    c.crypto_byte_ns = 0.731;
    c.signature_check_ns = 41300;
    c.signature_ns = 14300;
    c.hash_ns = 350;
    c.db_write_ns = 4400;
    c.db_read_ns = 1900;
    return c;
}

TEST(CpuSpec, AbsentByDefaultAndReferenceWhenNamed) {
    const fs::path dir = folder("default");
    write(dir / "none.yaml", "name: t\nduration: 1min\nservice_nodes: {count: 10}\nclients: {count: 5}\n");
    EXPECT_FALSE(load_scenario(dir / "none.yaml").service_nodes.cpu.has_value());
    write(dir / "ref.yaml", scenario_with_cpu("{cores: 4, speed: 0.5, https_queue: 100, sn_queue: 0}"));
    const auto cpu = load_scenario(dir / "ref.yaml").service_nodes.cpu;
    ASSERT_TRUE(cpu.has_value());
    EXPECT_EQ(cpu->cores, 4u);
    EXPECT_DOUBLE_EQ(cpu->speed, 0.5);
    EXPECT_EQ(cpu->https_queue_limit, 100u);
    EXPECT_EQ(cpu->sn_queue_limit, 0u);
    EXPECT_EQ(cpu->source, "reference");
    EXPECT_EQ(cpu->costs, host::reference_costs());
    // Unset queues are oxenss's: 1000 requests each.
    write(dir / "queues.yaml", scenario_with_cpu("{cores: 1}"));
    const auto defaults = load_scenario(dir / "queues.yaml").service_nodes.cpu;
    ASSERT_TRUE(defaults.has_value());
    EXPECT_EQ(defaults->https_queue_limit, 1000u);
    EXPECT_EQ(defaults->sn_queue_limit, 1000u);
}

TEST(CpuSpec, ACalibrationFileIsReadBackRelativeToTheScenario) {
    const fs::path dir = folder("file");
    fs::create_directories(dir / "machines");
    std::ostringstream text;
    write_cpu_costs(text, sample_costs(), "test machine");
    write(dir / "machines" / "mine.yaml", text.str());
    write(dir / "s.yaml", scenario_with_cpu("{cores: 2, costs: machines/mine.yaml}"));
    const auto cpu = load_scenario(dir / "s.yaml").service_nodes.cpu;
    ASSERT_TRUE(cpu.has_value());
    EXPECT_EQ(cpu->source, "machines/mine.yaml");
    EXPECT_DOUBLE_EQ(cpu->costs.request_ns, 5700.5);
    EXPECT_DOUBLE_EQ(cpu->costs.onion_layer_ns, 35200);
    EXPECT_NEAR(cpu->costs.onion_reply_ns, 1300.25, 0.051);
    EXPECT_DOUBLE_EQ(cpu->costs.crypto_byte_ns, 0.731);
    EXPECT_DOUBLE_EQ(cpu->costs.db_read_ns, 1900);
    // The file names every operation, in the order cpu_cost_names gives.
    std::size_t at = 0;
    for (const auto& name : cpu_cost_names()) {
        const auto found = text.str().find("  " + name + ": ", at);
        ASSERT_NE(found, std::string::npos) << name;
        at = found;
    }
}

TEST(CpuSpec, MistakesInTheScenarioNameTheirKey) {
    const fs::path dir = folder("bad_scenario");
    write(dir / "cores.yaml", scenario_with_cpu("{cores: 0}"));
    const std::string cores = problems(dir / "cores.yaml");
    EXPECT_NE(cores.find("cores.yaml:5:"), std::string::npos) << cores;
    EXPECT_NE(cores.find("service_nodes.cpu.cores"), std::string::npos) << cores;
    write(dir / "speed.yaml", scenario_with_cpu("{speed: 0}"));
    EXPECT_NE(problems(dir / "speed.yaml").find("service_nodes.cpu.speed"), std::string::npos);
    write(dir / "typo.yaml", scenario_with_cpu("{core: 2}"));
    const std::string typo = problems(dir / "typo.yaml");
    EXPECT_NE(typo.find("cores"), std::string::npos) << typo;  // the suggestion
    write(dir / "missing.yaml", scenario_with_cpu("{costs: nowhere.yaml}"));
    const std::string missing = problems(dir / "missing.yaml");
    EXPECT_NE(missing.find("service_nodes.cpu.costs"), std::string::npos) << missing;
    EXPECT_NE(missing.find("no such file"), std::string::npos) << missing;
}

TEST(CpuSpec, MistakesInACostsFileNameItsLineAndOperation) {
    const fs::path dir = folder("bad_costs");
    std::ostringstream good;
    write_cpu_costs(good, sample_costs(), "m");
    std::string text = good.str();
    // A negative cost: its own line in the costs file.
    std::string negative = text;
    negative.replace(negative.find("  hash: "), std::string("  hash: 350.0").size(), "  hash: -3");
    write(dir / "negative.yaml", negative);
    write(dir / "s1.yaml", scenario_with_cpu("{costs: negative.yaml}"));
    const std::string p1 = problems(dir / "s1.yaml");
    EXPECT_NE(p1.find("negative.yaml:"), std::string::npos) << p1;
    EXPECT_NE(p1.find("costs_ns.hash"), std::string::npos) << p1;
    EXPECT_NE(p1.find("got '-3'"), std::string::npos) << p1;
    // A missing operation and an unknown one.
    std::string short_file = text.substr(0, text.find("  db_read: "));
    write(dir / "short.yaml", short_file);
    write(dir / "s2.yaml", scenario_with_cpu("{costs: short.yaml}"));
    EXPECT_NE(problems(dir / "s2.yaml").find("costs_ns.db_read': missing"), std::string::npos);
    write(dir / "extra.yaml", text + "  quantum: 1\n");
    write(dir / "s3.yaml", scenario_with_cpu("{costs: extra.yaml}"));
    const std::string p3 = problems(dir / "s3.yaml");
    EXPECT_NE(p3.find("costs_ns.quantum': unknown operation"), std::string::npos) << p3;
    // Not YAML at all.
    write(dir / "junk.yaml", "costs_ns: [unclosed\n");
    write(dir / "s4.yaml", scenario_with_cpu("{costs: junk.yaml}"));
    EXPECT_NE(problems(dir / "s4.yaml").find("not YAML"), std::string::npos);
}

}  // namespace
}  // namespace sessionsim::scenario
