#pragma once
// A timing correlator on polls versus retrieves (spec anonymity §2, "Bob's IP ↔ Bob's Session
// ID: Bob's guard plus the polled swarm node ... correlate the poll timing"). What the adversary
// has: from its guards, when each client IP sent an onion request; from its swarm members, when a
// retrieve for an Account ID (Session ID) arrived. A poll's onion request enters its guard one
// path's latency before the retrieve reaches the swarm node, so the poller is among the IPs that
// entered an adversary guard in the window [retrieve − w, retrieve].
//
// Clients poll periodically, so the evidence accumulates over all R retrieves of one Account ID
// (an intersection / statistical-disclosure attack, spec §2 "simple correlators" item 5; §3 "over
// many polls"). Two accumulations are kept per candidate IP i:
//
//  - credit_i = sum_r e_ir / E_r: one unit of belief per retrieve, split over the E_r entries of
//    its window (i has e_ir of them). The statistical-disclosure mean: the expected number of the
//    ID's retrieves i made if each poller were a uniform pick of its window. It ranks the truth
//    well but never concentrates, since background IPs keep collecting credit.
//
//  - the belief, a Bayesian posterior (uniform prior over the N IPs) from presence in windows.
//    i's background presence b_i: its chance to be in a window of this target by its own traffic
//    alone, measured as the share of the OTHER targets' retrieve windows it was in (the
//    adversary's own background estimate, which captures pollers that happen to poll in step),
//    smoothed by one pseudo-window of the rate-based value 1 − exp(−n_i w / T) (i's n_i entries
//    over the time T they span, as Poisson), which alone decides when there is no other target.
//    Two hypotheses on the owner's polls: with prior π0 none of them enters an adversary guard
//    (all its guards are honest: P_g of spec §3 fails), and then the windows say nothing about it
//    (likelihood ratio 1); otherwise each poll enters one with probability 1 − δ, so
//        P(i in window | i owns the ID) = (1 − δ) + δ b_i,   P(i in window | not) = b_i,
//    and each window where i is present multiplies the odds by ((1 − δ) + δ b_i) / b_i, each
//    where it is absent by δ (the absent ratio δ(1 − b_i) / (1 − b_i) does not depend on b_i).
//    With p_i the windows i was in, L_i = p_i log(((1 − δ) + δ b_i) / b_i) + (R − p_i) log δ and
//        weight_i = π0 + (1 − π0) exp(L_i).
//    A limit: two clients polling with nearly the same period (5 s plus a similar round trip)
//    stay in step for minutes, and their windows cannot tell them apart; when the owner itself is
//    unseen, such a bystander can take the belief (World reports this as deanonymised_wrong_share).
//    The background term is what keeps a chatty IP, present in every window by its own traffic,
//    from winning; π0 keeps an owner whose polls the adversary never saw from being confidently
//    pinned on someone else (its belief stays near uniform); δ > 0 keeps a poller whose other
//    guards are honest (absent from many windows) in the running.
//
// Pure: no engine, no RNG. Candidates and targets are indices the caller chooses (the World uses
// client indices for both: the candidate IP's client, and the client owning the Account ID).
#include <cstddef>
#include <map>
#include <vector>

#include "sim/core/time.hpp"

namespace sessionsim::adversary {

/// What the retrieves of one target (an Account ID) told the adversary.
struct PollEvidence {
    std::size_t retrieves = 0;               ///< R: retrieves of this target the adversary saw
    std::size_t retrieves_with_entries = 0;  ///< of those, with at least one entry in the window
    std::map<std::size_t, double> credit;    ///< candidate -> sum of its shares (non-zero only)
    std::map<std::size_t, std::size_t> windows;  ///< candidate -> windows it was in (p_i; non-zero only)
    std::map<std::size_t, double> background;    ///< candidate -> b_i, for those in a window
    std::map<std::size_t, double> log_weight;    ///< candidate -> log weight_i, for those in a window
    double absent_log_weight = 0.0;              ///< log weight of an IP in no window (L = R log δ)

    /// Dense credit over `candidates` (zero where none). Errors: a credited candidate >= candidates.
    std::vector<double> scores(std::size_t candidates) const;
    /// Dense posterior weights exp(log weight_i − max) over `candidates`: the adversary's belief,
    /// for assess() (a weight may underflow to 0). Errors: as scores().
    std::vector<double> belief(std::size_t candidates) const;
};

/// How many windows of the rate-based presence smooth the measured background presence.
inline constexpr double BACKGROUND_PSEUDO_WINDOWS = 1.0;

class PollCorrelator {
  public:
    /// `candidates`: how many client IPs there are (N). `window`: how far before a retrieve to
    /// look (w). `miss_probability`: δ. `prior_unseen`: π0. Errors: candidates == 0, window < 0,
    /// δ not in (0, 1], π0 not in [0, 1).
    PollCorrelator(std::size_t candidates, SimDuration window, double miss_probability = 0.5, double prior_unseen = 0.0);
    /// Entry events must be added in time order (the simulation's order).
    void add_entry(SimTime at, std::size_t candidate);
    /// A retrieve for `target` seen at `at`; any order, any target index.
    void add_retrieve(SimTime at, std::size_t target);
    /// The rate-based presence 1 − exp(−n_i w / T) for each candidate, from all entries added
    /// (0 for an IP with none; 1 when the entries span no time).
    std::vector<double> background_presence() const;
    /// The accumulated evidence per target (ordered by target index), over every retrieve added.
    std::map<std::size_t, PollEvidence> evidence() const;
    std::size_t candidates() const noexcept { return candidates_; }
    std::size_t entries() const noexcept { return entries_.size(); }
    std::size_t retrieves() const noexcept { return retrieves_.size(); }

  private:
    struct Entry {
        SimTime at;
        std::size_t candidate;
    };
    struct Retrieve {
        SimTime at;
        std::size_t target;
    };
    std::size_t candidates_;
    SimDuration window_;
    double miss_probability_;
    double prior_unseen_;
    std::vector<Entry> entries_;
    std::vector<Retrieve> retrieves_;
};

}  // namespace sessionsim::adversary
