#include "models/session/node/io.hpp"

namespace sessionproto {

std::string PeerAddress::ip_string() const {
    std::string out = std::to_string(ipv4 >> 24);
    for (int shift : {16, 8, 0}) {
        out.push_back('.');
        out.append(std::to_string((ipv4 >> shift) & 0xFF));
    }
    return out;
}

std::string PeerAddress::to_string() const {
    std::string out = ip_string();
    out.push_back(':');
    out.append(std::to_string(port));
    return out;
}

const char* to_string(Observation::Kind kind) noexcept {
    switch (kind) {
        case Observation::Kind::received: return "received";
        case Observation::Kind::relayed: return "relayed";
        case Observation::Kind::stored: return "stored";
        case Observation::Kind::retrieved: return "retrieved";
        case Observation::Kind::looked_up: return "looked_up";
    }
    return "?";
}

}  // namespace sessionproto
