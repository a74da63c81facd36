#include "sim/app/vectors/vector_runner.hpp"

#include <exception>
#include <fstream>
#include <ostream>
#include <set>

namespace sessionsim::vectors {
namespace {

const std::set<std::string> VECTOR_KEYS{"op", "name", "input", "expected", "negative", "notes", "source", "derived"};

std::string shorten(const std::string& s) {
    if (s.size() <= 120) return s;
    std::string out = s.substr(0, 117);
    out.append("...");
    return out;
}

/// Every difference between expected and computed, as "field: expected X, got Y" (top level).
std::string compare(const json& expected, const json& computed) {
    std::string out;
    auto add = [&](const std::string& line) {
        if (!out.empty()) out.append("; ");
        out.append(line);
    };
    for (const auto& [key, value] : expected.items()) {
        if (!computed.contains(key)) {
            add("expected field '" + key + "' is not computed by the op (extra field in the vector?)");
        } else if (computed.at(key) != value) {
            add("'" + key + "' differs: expected " + shorten(value.dump()) + ", got " + shorten(computed.at(key).dump()));
        }
    }
    for (const auto& [key, value] : computed.items()) {
        if (!expected.contains(key)) add("expected field '" + key + "' is missing from the vector");
    }
    return out;
}

}  // namespace

std::string run_vector(const json& vector, const OpTable& ops) {
    if (!vector.is_object()) return "a vector must be a JSON object";
    for (const auto& key : VECTOR_KEYS) {
        if (!vector.contains(key)) return "vector lacks the required key '" + key + "'";
    }
    for (const auto& [key, value] : vector.items()) {
        if (!VECTOR_KEYS.count(key)) return "vector has an unknown key '" + key + "'";
    }
    if (!vector.at("op").is_string()) return "'op' must be a string";
    const std::string op_name = vector.at("op").get<std::string>();
    const auto op = ops.find(op_name);
    if (op == ops.end()) return "unknown op '" + op_name + "'";
    const json& input = vector.at("input");
    const json& expected = vector.at("expected");
    if (!input.is_object() || !expected.is_object()) return "'input' and 'expected' must be objects";
    if (!vector.at("negative").is_array()) return "'negative' must be a list";

    try {
        const json computed = op->second.compute(Input(input));
        if (std::string diff = compare(expected, computed); !diff.empty()) return diff;
    } catch (const std::exception& e) {
        return std::string("could not compute: ") + e.what();
    }

    std::size_t index = 0;
    for (const json& negative : vector.at("negative")) {
        ++index;
        const std::string label = "negative case " + std::to_string(index);
        if (!negative.is_object() || !negative.contains("input") || !negative.at("input").is_object()) {
            return label + ": must be an object with an 'input' object";
        }
        if (!op->second.rejects) return label + ": op '" + op_name + "' has no reject path";
        json modified = input;
        for (const auto& [key, value] : negative.at("input").items()) modified[key] = value;
        try {
            if (!op->second.rejects(Input(modified), expected)) {
                const std::string why = negative.value("description", std::string());
                return label + " (" + why + ") was accepted";
            }
        } catch (const std::exception& e) {
            return label + ": could not run: " + e.what();
        }
    }
    return "";
}

RunTotals run_files(const std::vector<std::string>& files, const OpTable& ops, std::ostream& out) {
    RunTotals totals;
    for (const std::string& file : files) {
        std::ifstream in(file);
        if (!in) {
            out << file << ": cannot be read\n";
            ++totals.failed;
            continue;
        }
        json doc;
        try {
            doc = json::parse(in);
        } catch (const json::parse_error& e) {
            out << file << ": not valid JSON: " << e.what() << '\n';
            ++totals.failed;
            continue;
        }
        if (!doc.is_object() || !doc.contains("vectors") || !doc.at("vectors").is_array()) {
            out << file << ": not a vector file (expected an object with a 'vectors' list)\n";
            ++totals.failed;
            continue;
        }
        std::size_t index = 0;
        for (const json& vector : doc.at("vectors")) {
            ++index;
            const std::string failure = run_vector(vector, ops);
            if (failure.empty()) {
                ++totals.passed;
                continue;
            }
            ++totals.failed;
            std::string name = std::to_string(index);
            name.insert(name.begin(), '#');
            if (vector.is_object() && vector.contains("name") && vector.at("name").is_string()) {
                name = vector.at("name").get<std::string>();
            }
            out << file << ": " << name << ": " << failure << '\n';
        }
    }
    return totals;
}

}  // namespace sessionsim::vectors
