#pragma once
// Suggestions for typos in keys and names: the closest candidate by edit distance.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sessionsim::scenario {

/// Optimal-string-alignment edit distance (insert, delete, substitute, swap neighbours: 1 each).
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `word` if it is close enough to be a likely typo, else empty.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace sessionsim::scenario
