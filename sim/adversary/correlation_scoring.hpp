#pragma once
// Scoring correlators against the simulator's ground truth (which no adversary has): the pieces
// the compromised-node correlators (compromised/correlators.cpp) and the link observer's
// (link_observer/link_observer_adversary.cpp) share — who owns which Session ID, which message a store carried, the
// population figures of spec anonymity §1 item 6, and the linking-attack ROC of §1 ("Guessing /
// linking-attack evaluation").
#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/adversary/anonymity_metrics.hpp"
#include "sim/world/world.hpp"

namespace sessionsim::adversary {

/// Client index by the Session ID (Account ID) it owns.
std::map<sessionproto::SessionId, std::uint32_t> clients_by_session_id(const world::World& w);

/// Message ids by recipient client.
std::map<std::uint32_t, std::vector<std::size_t>> messages_by_recipient(const std::vector<world::MessageRecord>& messages);

/// The message a store for `recipient` seen at `at` carried: the latest one to that recipient
/// sent by then whose store was confirmed at or after it; nullptr when none fits.
const world::MessageRecord* message_stored_at(const std::vector<world::MessageRecord>& messages,
                                              const std::map<std::uint32_t, std::vector<std::size_t>>& by_recipient,
                                              std::uint32_t recipient, SimTime at);

/// Every (target, candidate) pair a correlator scored, as a link: score = the candidate's
/// normalised probability, true link = the candidate is the truth. Pairs are kept as (score,
/// true, false) counts by distinct score, so targets × candidates pairs (up to ~10^8) never
/// exist one by one: most share a score (zero, the uniform belief, ...).
class LinkTally {
  public:
    void add_target(std::span<const double> scores, std::size_t truth);
    /// `pairs`, `true_links`, `base_rate` (1/N: one true link per target), `auc`, and at each
    /// reported FPR (1e-2, 1e-3, 1e-4) the operating point's `tpr`, `fpr` and
    /// `precision_at_base_rate`. An empty object without both true and false links.
    nlohmann::json summary() const;

  private:
    std::map<double, ScoreGroup> groups_;  // by normalised score
    std::size_t candidates_ = 0;
    std::size_t targets_ = 0;
};

/// Scores one target: a correlator's scores over the candidates (all zero: it saw nothing, so
/// every candidate is as likely) assessed against the truth and added to the ROC tally.
void score_target(std::vector<double> scores, std::size_t truth, std::vector<CandidateAssessment>& targets,
                  LinkTally& links);

/// The population figures every correlator reports (spec anonymity §1 item 6), added to `out`:
/// nothing when there are no targets.
void put_population(nlohmann::json& out, std::span<const CandidateAssessment> targets, std::size_t clients);

}  // namespace sessionsim::adversary
