#include "sim/app/args.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace sessionsim::app {

Args::Args(const std::vector<std::string>& argv, const std::vector<std::string>& value_options,
           const std::vector<std::string>& flags) {
    auto known = [](const std::vector<std::string>& list, std::string_view name) {
        return std::find(list.begin(), list.end(), name) != list.end();
    };
    for (std::size_t i = 0; i < argv.size(); ++i) {
        const std::string& arg = argv[i];
        if (arg.rfind("--", 0) != 0 || arg == "--") {
            positional_.push_back(arg);
            continue;
        }
        const std::size_t eq = arg.find('=');
        const std::string name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
        if (known(flags, name)) {
            if (eq != std::string::npos) throw UsageError("option --" + name + " takes no value");
            flags_[name] = true;
        } else if (known(value_options, name)) {
            if (eq != std::string::npos) {
                values_[name] = arg.substr(eq + 1);
            } else if (i + 1 < argv.size()) {
                values_[name] = argv[++i];
            } else {
                throw UsageError("option --" + name + " needs a value");
            }
        } else {
            throw UsageError("unknown option --" + name);
        }
    }
}

bool Args::flag(std::string_view name) const { return flags_.count(name) != 0; }

std::optional<std::string> Args::value(std::string_view name) const {
    const auto it = values_.find(name);
    if (it == values_.end()) return std::nullopt;
    return it->second;
}

std::uint64_t Args::u64(std::string_view name, std::uint64_t fallback, std::uint64_t min_value) const {
    const auto text = value(name);
    if (!text) return fallback;
    errno = 0;
    char* end = nullptr;
    const unsigned long long v = std::strtoull(text->c_str(), &end, 10);
    if (text->empty() || *end != '\0' || errno == ERANGE || (*text)[0] == '-') {
        throw UsageError("--" + std::string(name) + " expects a non-negative integer, got '" + *text + "'");
    }
    if (v < min_value) {
        throw UsageError("--" + std::string(name) + " must be at least " + std::to_string(min_value) + ", got " +
                         *text);
    }
    return v;
}

double Args::real(std::string_view name, double fallback) const {
    const auto text = value(name);
    if (!text) return fallback;
    char* end = nullptr;
    const double v = std::strtod(text->c_str(), &end);
    if (text->empty() || *end != '\0' || !std::isfinite(v)) {
        throw UsageError("--" + std::string(name) + " expects a number, got '" + *text + "'");
    }
    return v;
}

}  // namespace sessionsim::app
