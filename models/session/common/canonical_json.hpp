#pragma once
// Canonical JSON text: text that parsing and writing back (nlohmann::json, compact `dump()`)
// leaves byte for byte as it is. Where Session's code parses JSON only to nest it in a larger
// JSON text and write that out (the storage server nesting its swarm peers' answers, or a reply
// body in its onion {"body", "status"} wrapper), a canonical text can be nested as it came, and
// read back out of the larger text as it is: the bytes are the same either way, without the
// tree in between.
//
// The check is sufficient, not necessary: it accepts a strict subset of what dump() writes
// (printable ASCII strings with at most the \" and \\ escapes, integers of at most 18 digits,
// no whitespace), which is what the storage RPC's member results and its replies are. Anything
// else is "not canonical" and takes the parse-and-write path. Untrusted bytes: never throws, never reads past the text, bounded depth.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace sessionproto {

/// One top-level member of a canonical object: its key (without quotes) and its value's text.
struct CanonicalMember {
    std::string_view key;
    std::string_view value;
};

/// True when `text` is a JSON object that nlohmann::json::parse accepts and whose compact dump()
/// is `text` itself:
/// - no whitespace outside strings;
/// - strings of printable ASCII (0x20..0x7E); in values, '"' and '\' escaped as \" and \\ (the
///   only escapes dump() writes for printable ASCII), keys without either;
/// - integers `-?(0|[1-9][0-9]*)` of at most 18 digits, never "-0"; no fraction, no exponent;
/// - `true`, `false`, `null`;
/// - object keys in strictly increasing byte order (std::map's order: sorted, no duplicates);
/// - nested at most 32 deep.
/// `on_member`, when given, is called with each top-level member (in order) of an accepted text,
/// and may be called for a prefix of the members of a text that is then refused.
template <class OnMember>
bool is_canonical_json_object(std::string_view text, OnMember&& on_member);

bool is_canonical_json_object(std::string_view text);

/// The elements' texts of a canonical array value (as a CanonicalMember's value gives it), in
/// order; nullopt when `array` is not one (then nothing of it is canonical).
std::optional<std::vector<std::string_view>> canonical_json_array_items(std::string_view array);

/// Appends `content` as dump() writes a JSON string ('"' and '\' escaped) when it is printable
/// ASCII, and returns true; returns false, appending nothing, otherwise (the tree then writes it).
bool append_canonical_json_string(std::string& out, std::string_view content);

/// The characters of a string value of a canonical text (`value` with its quotes): the string
/// the parsed tree holds.
std::string canonical_json_string_content(std::string_view value);

namespace canonical_json_detail {
/// The scanner behind both overloads: `visit(context, member)` for each top-level member.
bool scan(std::string_view text, void* context, void (*visit)(void*, const CanonicalMember&));
}  // namespace canonical_json_detail

template <class OnMember>
bool is_canonical_json_object(std::string_view text, OnMember&& on_member) {
    return canonical_json_detail::scan(text, &on_member, [](void* context, const CanonicalMember& member) {
        (*static_cast<std::remove_reference_t<OnMember>*>(context))(member);
    });
}

}  // namespace sessionproto
