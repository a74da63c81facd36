#include "sim/adversary/correlation_scoring.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

namespace sessionsim::adversary {
namespace {

/// The FPRs at which spec anonymity §1 ("Guessing / linking-attack evaluation") asks for the TPR.
constexpr std::array<std::pair<double, const char*>, 3> REPORTED_FPRS{{{1e-2, "1e-2"}, {1e-3, "1e-3"}, {1e-4, "1e-4"}}};

}  // namespace

std::map<sessionproto::SessionId, std::uint32_t> clients_by_session_id(const world::World& w) {
    std::map<sessionproto::SessionId, std::uint32_t> out;
    for (std::uint32_t u = 0; u < w.client_count(); ++u) out.emplace(w.client(u).account_id().as_session_id(), u);
    return out;
}

void LinkTally::add_target(std::span<const double> scores, std::size_t truth) {
    const std::vector<double> p = normalise_scores(scores);
    ScoreGroup* group = nullptr;  // most candidates share a score: look it up once per run
    for (std::size_t i = 0; i < p.size(); ++i) {
        if (group == nullptr || group->score != p[i]) {
            group = &groups_[p[i]];
            group->score = p[i];
        }
        if (i == truth) ++group->true_links; else ++group->false_links;
    }
    candidates_ = p.size();
    ++targets_;
}

nlohmann::json LinkTally::summary() const {
    nlohmann::json j = nlohmann::json::object();
    if (targets_ == 0 || candidates_ < 2) return j;
    std::vector<ScoreGroup> groups;
    groups.reserve(groups_.size());
    for (const auto& [score, group] : groups_) groups.push_back(group);
    const auto curve = roc_curve(std::span<const ScoreGroup>(groups));
    const double base_rate = 1.0 / static_cast<double>(candidates_);
    j["pairs"] = targets_ * candidates_;
    j["true_links"] = targets_;
    j["base_rate"] = base_rate;
    j["auc"] = auc_mann_whitney(std::span<const ScoreGroup>(groups));
    for (const auto& [max_fpr, name] : REPORTED_FPRS) {
        const auto point = operating_point_at_fpr(curve, max_fpr);
        nlohmann::json at;
        at["tpr"] = point.tpr;
        at["fpr"] = point.fpr;
        const auto precision = precision_at_base_rate(point.tpr, point.fpr, base_rate);
        at["precision_at_base_rate"] = precision ? nlohmann::json(*precision) : nlohmann::json(nullptr);
        j["at_fpr"][name] = at;
    }
    return j;
}

void put_population(nlohmann::json& c, std::span<const CandidateAssessment> targets, std::size_t clients) {
    if (targets.empty()) return;
    const auto p = summarise_population(targets, 5);
    const auto n = static_cast<double>(targets.size());
    double set = 0, effective = 0, min_entropy = 0, rank = 0;
    for (const auto& t : targets) {
        set += static_cast<double>(t.anonymity_set_size);
        effective += t.effective_set_size;
        min_entropy += t.min_entropy_bits;
        rank += t.truth_rank;
    }
    c["mean_anonymity_set_size"] = set / n;
    c["mean_effective_set_size"] = effective / n;
    c["mean_entropy_bits"] = p.mean_entropy_bits;
    c["entropy_p05_bits"] = p.entropy_p05_bits;
    c["max_entropy_bits"] = std::log2(static_cast<double>(clients));
    c["mean_min_entropy_bits"] = min_entropy / n;
    c["mean_truth_rank"] = rank / n;
    c["deanonymised_share"] = p.deanonymised_share;
    // "Deanonymised" says the adversary is sure (max p >= 0.5), not that it is right: split it.
    double right = 0;
    for (const auto& t : targets) right += t.truth_probability >= DEANONYMISED_PROBABILITY ? 1 : 0;
    c["deanonymised_right_share"] = right / n;
    c["deanonymised_wrong_share"] = p.deanonymised_share - right / n;
    c["top1_accuracy"] = p.top1_accuracy;
    c["top5_accuracy"] = p.top_k_accuracy;
}

void score_target(std::vector<double> scores, std::size_t truth, std::vector<CandidateAssessment>& targets,
                  LinkTally& links) {
    if (std::all_of(scores.begin(), scores.end(), [](double x) { return x == 0; })) {
        std::fill(scores.begin(), scores.end(), 1.0);
    }
    targets.push_back(assess(scores, truth));
    links.add_target(scores, truth);
}

std::map<std::uint32_t, std::vector<std::size_t>> messages_by_recipient(const std::vector<world::MessageRecord>& messages) {
    std::map<std::uint32_t, std::vector<std::size_t>> out;
    for (std::size_t i = 0; i < messages.size(); ++i) out[messages[i].recipient].push_back(i);
    return out;
}

const world::MessageRecord* message_stored_at(const std::vector<world::MessageRecord>& messages,
                                              const std::map<std::uint32_t, std::vector<std::size_t>>& by_recipient,
                                              std::uint32_t recipient, SimTime at) {
    const auto it = by_recipient.find(recipient);
    if (it == by_recipient.end()) return nullptr;
    const world::MessageRecord* truth = nullptr;
    for (const auto i : it->second) {
        const auto& m = messages[i];
        if (m.stored && m.sent_at <= at && m.stored_at >= at && (truth == nullptr || m.sent_at > truth->sent_at)) truth = &m;
    }
    return truth;
}

}  // namespace sessionsim::adversary
