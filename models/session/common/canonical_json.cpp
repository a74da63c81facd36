#include "models/session/common/canonical_json.hpp"

#include <string>
#include <optional>
#include <vector>

namespace sessionproto {

namespace {

constexpr int MAX_DEPTH = 32;
constexpr std::size_t MAX_DIGITS = 18;  // any 18-digit integer fits int64: nlohmann keeps it an integer

class Scanner {
public:
    explicit Scanner(std::string_view text) : text_(text) {}

    bool at_end() const { return pos_ == text_.size(); }

    /// A string at pos (with its quotes); `content` receives what is between them. A value may hold
    /// the two escapes dump() writes for printable ASCII (\" and \\); a key holds none, as an
    /// escape would make the escaped text's byte order differ from the key's.
    bool string(std::string_view& content, bool escapes) {
        if (!take('"')) return false;
        const std::size_t start = pos_;
        while (pos_ < text_.size()) {
            const auto c = static_cast<unsigned char>(text_[pos_]);
            if (c == '"') {
                content = text_.substr(start, pos_ - start);
                ++pos_;
                return true;
            }
            if (c == '\\' && escapes && pos_ + 1 < text_.size() && (text_[pos_ + 1] == '"' || text_[pos_ + 1] == '\\')) {
                pos_ += 2;
                continue;
            }
            if (c < 0x20 || c > 0x7E || c == '\\') return false;
            ++pos_;
        }
        return false;  // unterminated
    }

    bool value(int depth) {
        if (pos_ >= text_.size()) return false;
        const char c = text_[pos_];
        if (c == '{') return object(depth + 1, nullptr, nullptr);
        if (c == '[') return array(depth + 1);
        if (c == '"') {
            std::string_view ignored;
            return string(ignored, true);
        }
        if (c == 't') return literal("true");
        if (c == 'f') return literal("false");
        if (c == 'n') return literal("null");
        return integer();
    }

    bool object(int depth, void* context, void (*visit)(void*, const CanonicalMember&)) {
        if (depth > MAX_DEPTH || !take('{')) return false;
        if (take('}')) return true;
        std::string_view previous;
        bool first = true;
        while (true) {
            std::string_view key;
            if (!string(key, false)) return false;
            if (!first && !(previous < key)) return false;  // sorted, no duplicates (std::map)
            first = false;
            previous = key;
            if (!take(':')) return false;
            const std::size_t start = pos_;
            if (!value(depth)) return false;
            if (visit != nullptr) visit(context, CanonicalMember{key, text_.substr(start, pos_ - start)});
            if (take('}')) return true;
            if (!take(',')) return false;
        }
    }

private:
    bool take(char c) {
        if (pos_ < text_.size() && text_[pos_] == c) {
            ++pos_;
            return true;
        }
        return false;
    }

    bool literal(std::string_view word) {
        if (text_.substr(pos_, word.size()) != word) return false;
        pos_ += word.size();
        return true;
    }

public:
    /// An array; `items`, when given, receives each element's text.
    bool array(int depth, std::vector<std::string_view>* items = nullptr) {
        if (depth > MAX_DEPTH || !take('[')) return false;
        if (take(']')) return true;
        while (true) {
            const std::size_t start = pos_;
            if (!value(depth)) return false;
            if (items != nullptr) items->push_back(text_.substr(start, pos_ - start));
            if (take(']')) return true;
            if (!take(',')) return false;
        }
    }

private:

    bool integer() {
        const bool negative = take('-');
        const std::size_t start = pos_;
        while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
        const std::size_t digits = pos_ - start;
        if (digits == 0 || digits > MAX_DIGITS) return false;
        if (text_[start] == '0' && (digits > 1 || negative)) return false;  // leading zero, "-0"
        // A fraction or an exponent would follow here; the caller refuses the '.', 'e' or 'E'
        // as the next token is neither ',', '}' nor ']'.
        return true;
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

}  // namespace

namespace canonical_json_detail {

bool scan(std::string_view text, void* context, void (*visit)(void*, const CanonicalMember&)) {
    Scanner s(text);
    return s.object(1, context, visit) && s.at_end();
}

}  // namespace canonical_json_detail

bool is_canonical_json_object(std::string_view text) { return canonical_json_detail::scan(text, nullptr, nullptr); }

std::optional<std::vector<std::string_view>> canonical_json_array_items(std::string_view array) {
    Scanner s(array);
    std::vector<std::string_view> items;
    if (!s.array(1, &items) || !s.at_end()) return std::nullopt;
    return items;
}

bool append_canonical_json_string(std::string& out, std::string_view content) {
    for (const char c : content) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u > 0x7E) return false;
    }
    out.reserve(out.size() + content.size() + 2);
    out += '"';
    for (const char c : content) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    out += '"';
    return true;
}

std::string canonical_json_string_content(std::string_view value) {
    std::string out;
    if (value.size() < 2) return out;
    const std::string_view inner = value.substr(1, value.size() - 2);
    out.reserve(inner.size());
    for (std::size_t i = 0; i < inner.size(); ++i) {
        if (inner[i] == '\\' && i + 1 < inner.size()) ++i;  // \" or \\ (the only escapes accepted)
        out += inner[i];
    }
    return out;
}

}  // namespace sessionproto
