#include "models/session/onion/bencode.hpp"

namespace sessionproto {
namespace {

void put_string(Bytes& out, std::string_view s) {
    append(out, std::to_string(s.size()));
    out.push_back(std::byte{':'});
    append(out, s);
}

class Decoder {
  public:
    explicit Decoder(ByteView data) : data_(data) {}

    Result<BencodeDict> dict() {
        if (pos_ >= data_.size()) return Error{ErrorCode::truncated, "bencode: empty input"};
        if (at(pos_) != 'd') return Error{ErrorCode::bad_encoding, "bencode: a dict starts with 'd'"};
        ++pos_;
        BencodeDict out;
        std::string previous;
        bool first = true;
        while (true) {
            if (pos_ >= data_.size()) return Error{ErrorCode::truncated, "bencode: dict not closed"};
            if (at(pos_) == 'e') break;
            auto key = string();
            if (!key) return key.error();
            if (!first && !(previous < *key)) {
                return Error{ErrorCode::bad_encoding, "bencode: dict keys not in strictly ascending order"};
            }
            if (pos_ >= data_.size()) return Error{ErrorCode::truncated, "bencode: dict value missing"};
            const char c = at(pos_);
            BencodeValue value;
            if (c == 'i') {
                auto n = integer();
                if (!n) return n.error();
                value = *n;
            } else if (c >= '0' && c <= '9') {
                auto s = string();
                if (!s) return s.error();
                value = std::move(*s);
            } else {
                return Error{ErrorCode::bad_encoding, "bencode: only strings and integers are expected as values"};
            }
            previous = *key;
            first = false;
            out.emplace(std::move(*key), std::move(value));
        }
        ++pos_;
        if (pos_ != data_.size()) return Error{ErrorCode::bad_encoding, "bencode: trailing bytes"};
        return out;
    }

  private:
    char at(std::size_t i) const noexcept { return static_cast<char>(data_[i]); }

    Result<std::uint64_t> digits(char terminator) {
        const std::size_t start = pos_;
        std::uint64_t n = 0;
        while (pos_ < data_.size() && at(pos_) >= '0' && at(pos_) <= '9') {
            if (n > (UINT64_MAX - 9) / 10) return Error{ErrorCode::bad_encoding, "bencode: number too large"};
            n = n * 10 + static_cast<std::uint64_t>(at(pos_) - '0');
            ++pos_;
        }
        if (pos_ == start) return Error{ErrorCode::bad_encoding, "bencode: digits expected"};
        if (pos_ - start > 1 && at(start) == '0') return Error{ErrorCode::bad_encoding, "bencode: leading zero"};
        if (pos_ >= data_.size()) return Error{ErrorCode::truncated, "bencode: input ends in a number"};
        if (at(pos_) != terminator) return Error{ErrorCode::bad_encoding, "bencode: bad number terminator"};
        ++pos_;
        return n;
    }

    Result<std::string> string() {
        auto n = digits(':');
        if (!n) return n.error();
        if (*n > data_.size() - pos_) return Error{ErrorCode::truncated, "bencode: string longer than the input"};
        std::string s(reinterpret_cast<const char*>(data_.data()) + pos_, *n);
        pos_ += *n;
        return s;
    }

    Result<std::int64_t> integer() {
        ++pos_;  // 'i'
        bool negative = false;
        if (pos_ < data_.size() && at(pos_) == '-') {
            negative = true;
            ++pos_;
        }
        auto n = digits('e');
        if (!n) return n.error();
        if (negative && *n == 0) return Error{ErrorCode::bad_encoding, "bencode: negative zero"};
        if (*n > static_cast<std::uint64_t>(INT64_MAX)) return Error{ErrorCode::bad_encoding, "bencode: integer too large"};
        const auto v = static_cast<std::int64_t>(*n);
        return negative ? -v : v;
    }

    ByteView data_;
    std::size_t pos_ = 0;
};

}  // namespace

Bytes bencode_dict(const BencodeDict& dict) {
    Bytes out;
    out.push_back(std::byte{'d'});
    for (const auto& [key, value] : dict) {  // std::map: keys in sorted byte order
        put_string(out, key);
        if (const auto* s = std::get_if<std::string>(&value)) {
            put_string(out, *s);
        } else {
            out.push_back(std::byte{'i'});
            append(out, std::to_string(std::get<std::int64_t>(value)));
            out.push_back(std::byte{'e'});
        }
    }
    out.push_back(std::byte{'e'});
    return out;
}

Result<BencodeDict> bdecode_dict(ByteView data) { return Decoder(data).dict(); }

}  // namespace sessionproto
