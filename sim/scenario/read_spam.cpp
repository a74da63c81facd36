#include "sim/scenario/section_readers.hpp"

namespace sessionsim::scenario::reader {

/// One spam adversary (sim/adversary/spam/spam_config.hpp).
void read_spam(Loader& l, Map& m, adversary::SpamConfig& out) {
    m.check_keys({"type", "name", "flooders", "rate_per_second", "target", "message_size_bytes", "ttl", "start",
                  "proof_of_work", "content", "defences", "link"});
    read_u64(l, m.get("flooders"), out.flooders, 1, 10'000);
    if (const Val lv = m.get("link"); lv.present) read_link(l, lv, out.link.emplace());
    read_real(l, m.get("rate_per_second"), out.rate_per_second, 0, true, 1e7, false);
    if (const Val tv = m.get("target"); tv.present) {
        const std::string expected = "a mapping with one of users, swarms, nodes and a count, like {users: 1}";
        if (!tv.node.IsMap() || tv.node.size() != 1) {
            l.fail(tv, "expected " + expected + ", got " + got(tv.node));
        } else {
            Map t(l, tv);
            t.check_keys({"users", "swarms", "nodes"});
            const std::pair<const char*, adversary::SpamConfig::TargetKind> kinds[] = {
                {"users", adversary::SpamConfig::TargetKind::users},
                {"swarms", adversary::SpamConfig::TargetKind::swarms},
                {"nodes", adversary::SpamConfig::TargetKind::nodes}};
            for (const auto& [key, kind] : kinds) {
                if (const Val cv = t.get(key); cv.present) {
                    out.target = kind;
                    read_u64(l, cv, out.target_count, 1, 1'000'000);
                }
            }
        }
    }
    read_distribution(l, m.get("message_size_bytes"), out.message_size_bytes, Distribution::Unit::number);
    if (const Val cv = m.get("content"); cv.present) {
        read_enum<bool>(l, cv, out.session_messages, {{"random", false}, {"messages", true}});
        if (out.session_messages && out.target != adversary::SpamConfig::TargetKind::users) {
            l.fail(cv, "expected content: messages only with a users target (a message needs a recipient who "
                       "can open it), got target " + std::string(out.target == adversary::SpamConfig::TargetKind::swarms ? "swarms" : "nodes"));
        }
    }
    read_duration(l, m.get("ttl"), out.ttl, false, days(14));
    read_duration(l, m.get("start"), out.start, true);
    if (const Val pv = m.get("proof_of_work"); pv.present) {
        if (!pv.node.IsMap()) {
            l.fail(pv, "expected a mapping with difficulty and hash_rate, got " + got(pv.node));
        } else {
            Map p(l, pv);
            p.check_keys({"difficulty", "hash_rate"});
            auto& pow = out.pow.emplace();
            read_real(l, p.get("difficulty"), pow.difficulty, 0, true, 1e12, false);
            read_real(l, p.get("hash_rate"), pow.hash_rate, 0, true, 1e15, false);
        }
    }
    if (const Val dv = m.get("defences"); dv.present) {
        if (!dv.node.IsMap()) {
            l.fail(dv, "expected a mapping with token_bucket, storage_cap_bytes, message_requests, got " + got(dv.node));
        } else {
            Map d(l, dv);
            d.check_keys({"token_bucket", "storage_cap_bytes", "message_requests"});
            read_bool(l, d.get("token_bucket"), out.token_bucket);
            read_bool(l, d.get("message_requests"), out.message_requests);
            if (const Val cv = d.get("storage_cap_bytes"); cv.present) {
                std::uint64_t cap = 0;
                read_u64(l, cv, cap, 1024, UINT64_MAX);
                out.storage_cap_bytes = cap;
            }
        }
    }
}

}  // namespace sessionsim::scenario::reader
