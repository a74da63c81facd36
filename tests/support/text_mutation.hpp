#pragma once
// One-character mutations of a text, for tests that hold a reader to a reference on texts close
// to valid ones.
#include <cstddef>
#include <string>
#include <string_view>

namespace sessionsim::test {

/// `text` (not empty) with one character replaced, dropped or added, the new character taken from
/// `chars`; `below(n)` draws uniformly in [0, n), in this order: the position, the kind, the
/// character.
template <class Below>
std::string mutate_one_character(std::string text, std::string_view chars, Below&& below) {
    const std::size_t at = below(text.size());
    switch (below(3)) {
        case 0: text[at] = chars[below(chars.size())]; break;
        case 1: text.erase(at, 1); break;
        default: text.insert(at, 1, chars[below(chars.size())]); break;
    }
    return text;
}

}  // namespace sessionsim::test
