#include "sim/scenario/section_readers.hpp"

namespace sessionsim::scenario::reader {

/// Compromised service nodes (sim/adversary/compromised/compromised_config.hpp): exactly one of fraction,
/// count, region; optionally active (drop, delay, tamper, target). Tampering needs real crypto on
/// every flow: a modelled stand-in has no cipher or MAC to catch it.
void read_compromised(Loader& l, Map& m, adversary::CompromisedNodesConfig& out, const Val& item,
                      const CryptoSpec& crypto) {
    m.check_keys({"type", "name", "fraction", "count", "region", "stake", "staking_requirement", "operator_share", "drop", "delay", "tamper", "target"});
    read_real(l, m.get("drop"), out.active.drop, 0, false, 1, false);
    read_distribution(l, m.get("delay"), out.active.delay, Distribution::Unit::milliseconds);
    if (const Val v = m.get("tamper"); v.present) {
        const std::size_t before = l.problem_count();
        read_real(l, v, out.active.tamper, 0, false, 1, false);
        if (l.problem_count() == before && out.active.tamper > 0 && crypto.mode == CryptoMode::sampled &&
            crypto.fraction < 1) {
            l.fail(v, "expected tamper 0 with crypto.mode sampled and fraction < 1 (modelled flows have no cipher or "
                      "MAC to detect tampering; use crypto.mode real), got " + got(v.node));
        }
    }
    using Target = adversary::ActiveBehaviour::Target;
    read_enum<Target>(l, m.get("target"), out.active.target,
                      {{"all", Target::all}, {"clients", Target::clients}, {"relays", Target::relays}});
    int given = 0;
    if (const Val v = m.get("fraction"); v.present) {
        ++given;
        out.selection = adversary::CompromisedNodesConfig::Selection::fraction;
        read_real(l, v, out.fraction, 0, false, 1, false);
    }
    if (const Val v = m.get("count"); v.present) {
        ++given;
        out.selection = adversary::CompromisedNodesConfig::Selection::count;
        read_u64(l, v, out.count, 0, UINT64_MAX);
    }
    if (const Val v = m.get("region"); v.present) {
        ++given;
        out.selection = adversary::CompromisedNodesConfig::Selection::region;
        read_string(l, v, out.region, true);
    }
    if (const Val v = m.get("stake"); v.present) {
        ++given;
        out.selection = adversary::CompromisedNodesConfig::Selection::stake;
        read_real(l, v, out.stake, 0, false, 1e15, false);
    }
    read_real(l, m.get("staking_requirement"), out.staking_requirement, 0, true, 1e15, false);
    read_real(l, m.get("operator_share"), out.operator_share, 0.25, false, 1, false);
    if (out.selection != adversary::CompromisedNodesConfig::Selection::stake) {
        for (const char* key : {"staking_requirement", "operator_share"}) {
            if (const Val v = m.get(key); v.present) l.fail(v, std::string("expected ") + key + " only with stake, got " + got(v.node));
        }
    }
    if (given != 1) l.fail(item, "expected exactly one of fraction, count, region, stake, got " + std::to_string(given));
}

}  // namespace sessionsim::scenario::reader
