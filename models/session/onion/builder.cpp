#include "models/session/onion/builder.hpp"

#include <nlohmann/json.hpp>

#include "models/session/onion/frame.hpp"

namespace sessionproto {
namespace {

using json = nlohmann::json;

/// Supplies each layer's ephemeral secret and nonce, from entropy or from a given list.
class LayerRandomness {
  public:
    explicit LayerRandomness(Entropy& entropy) : entropy_(&entropy) {}
    explicit LayerRandomness(std::span<const LayerSecrets> given) : given_(given) {}
    /// Modelled layers: no secrets at all.
    static LayerRandomness modelled() {
        LayerRandomness r(std::span<const LayerSecrets>{});
        r.modelled_ = true;
        return r;
    }
    bool is_modelled() const noexcept { return modelled_; }

    Result<LayerSecrets> next(EncType type) {
        if (modelled_) return LayerSecrets{};
        if (entropy_ != nullptr) {
            LayerSecrets s;
            entropy_->fill(s.ephemeral.span());
            s.nonce.resize(nonce_size(type));
            entropy_->fill(s.nonce);
            return s;
        }
        if (used_ >= given_.size()) return Error{ErrorCode::invalid_argument, "not enough layer secrets"};
        return given_[used_++];
    }

  private:
    Entropy* entropy_ = nullptr;
    std::span<const LayerSecrets> given_;
    std::size_t used_ = 0;
    bool modelled_ = false;
};

/// One layer's ephemeral public key and key: real, or the all-zero stand-ins of a modelled layer.
Result<std::pair<X25519Pubkey, SymmetricKey>> layer_keys(EncType type, const LayerRandomness& randomness,
                                                         const LayerSecrets& secrets, const X25519Pubkey& node) {
    if (randomness.is_modelled()) return std::pair{X25519Pubkey{}, SymmetricKey{}};
    X25519Pubkey pub = x25519_public(secrets.ephemeral);
    auto key = client_layer_key(type, secrets.ephemeral, pub, node);
    if (!key) return key.error();
    return std::pair{pub, *key};
}

Result<Bytes> seal(EncType type, const LayerRandomness& randomness, const SymmetricKey& key, ByteView plaintext,
                   ByteView nonce) {
    if (randomness.is_modelled()) return seal_layer_modelled(type, plaintext);
    return seal_layer(type, key, plaintext, nonce);
}

/// Whether the routing JSON names the cipher: libsession's builder always does; Session's desktop
/// and Android clients send none for AES-GCM, the default a node assumes when it is absent
/// (desktop onions.ts encryptForRelayV2, util.worker.ts EncryptAESGCM; Android
/// OnionRequestEncryption.kt).
bool names_cipher(EncType enc_type, EncTypeField field) {
    return field == EncTypeField::always || enc_type != EncType::aes_gcm;
}

/// The JSON naming the next hop.
json routing_to(const Ed25519Pubkey& next, EncType enc_type, EncTypeField field, const X25519Pubkey& eph_pub) {
    json r = {{"destination", next.hex()}, {"ephemeral_key", eph_pub.hex()}};
    if (names_cipher(enc_type, field)) r["enc_type"] = std::string(to_string(enc_type));
    return r;
}

std::string label_for(std::size_t hop) {
    std::string label = "hop";
    label.append(std::to_string(hop));
    return label;
}

Result<OnionRequest> build(ByteView payload, std::span<const SnodeKeys> path, const OnionDestination& destination,
                           EncType enc_type, EncTypeField field, LayerRandomness& randomness,
                           std::vector<OnionLayerTrace>* trace) {
    if (path.empty() || path.size() >= MAX_ONION_HOPS) {
        return Error{ErrorCode::invalid_argument,
                     "an onion path has 1 to " + std::to_string(MAX_ONION_HOPS - 1) + " hops"};
    }
    const std::string enc_name(to_string(enc_type));

    // The destination's layer.
    auto secrets = randomness.next(enc_type);
    if (!secrets) return secrets.error();
    const X25519Pubkey dest_x = std::holds_alternative<SnodeKeys>(destination)
                                    ? std::get<SnodeKeys>(destination).x25519
                                    : std::get<ServerDestination>(destination).x25519;
    auto dest_keys = layer_keys(enc_type, randomness, *secrets, dest_x);
    if (!dest_keys) return dest_keys.error();
    X25519Pubkey eph_pub = dest_keys->first;
    const SymmetricKey dest_key = dest_keys->second;

    Bytes plaintext;
    json routing;  // what the last path hop reads to reach the destination
    std::string frame_json;
    if (const auto* snode = std::get_if<SnodeKeys>(&destination)) {
        const json marker = {{"headers", ""}};  // any "headers" key marks the final destination
        frame_json = marker.dump();
        plaintext = frame(payload, marker);
        routing = routing_to(snode->ed25519, enc_type, field, eph_pub);
    } else {
        const auto& server = std::get<ServerDestination>(destination);
        if (!onion_target_allowed(server.target)) {
            return Error{ErrorCode::invalid_argument, "server target '" + server.target + "' is not allowed"};
        }
        plaintext.assign(payload.begin(), payload.end());  // a server gets the body itself
        routing = {{"host", server.host},        {"target", server.target},  {"method", server.method},
                   {"protocol", server.protocol}, {"port", server.port},      {"ephemeral_key", eph_pub.hex()}};
        if (names_cipher(enc_type, field)) routing["enc_type"] = enc_name;
    }
    auto blob = seal(enc_type, randomness, dest_key, plaintext, secrets->nonce);
    if (!blob) return blob.error();
    if (trace != nullptr) {
        trace->push_back(OnionLayerTrace{"destination", frame_json, std::move(plaintext), eph_pub, *blob});
    }

    // Path layers, last hop first.
    for (std::size_t i = path.size(); i-- > 0;) {
        secrets = randomness.next(enc_type);
        if (!secrets) return secrets.error();
        auto keys = layer_keys(enc_type, randomness, *secrets, path[i].x25519);
        if (!keys) return keys.error();
        eph_pub = keys->first;
        const std::string routing_json = routing.dump();
        Bytes layer_plain = frame(*blob, routing);
        auto sealed = seal(enc_type, randomness, keys->second, layer_plain, secrets->nonce);
        if (!sealed) return sealed.error();
        if (trace != nullptr) {
            trace->push_back(OnionLayerTrace{label_for(i), routing_json, std::move(layer_plain), eph_pub, *sealed});
        }
        blob = std::move(sealed);
        routing = routing_to(path[i].ed25519, enc_type, field, eph_pub);
    }
    // The first hop's routing is only its own layer's key and type.
    json entry = {{"ephemeral_key", eph_pub.hex()}};
    if (names_cipher(enc_type, field)) entry["enc_type"] = enc_name;
    return OnionRequest{frame(*blob, entry), enc_type, dest_key, randomness.is_modelled()};
}

}  // namespace

bool onion_target_allowed(std::string_view target) noexcept {
    const bool prefix = target.rfind("/loki/", 0) == 0 || target.rfind("/oxen/", 0) == 0;
    const bool suffix = target.size() >= 6 && target.substr(target.size() - 6) == "/lsrpc";
    return prefix && suffix && target.find('?') == std::string_view::npos;
}

Result<OnionRequest> build_onion_request(ByteView payload, std::span<const SnodeKeys> path,
                                         const OnionDestination& destination, EncType enc_type, Entropy& entropy,
                                         std::vector<OnionLayerTrace>* trace) {
    LayerRandomness randomness(entropy);
    return build(payload, path, destination, enc_type, EncTypeField::always, randomness, trace);
}

Result<OnionRequest> build_onion_request(ByteView payload, std::span<const SnodeKeys> path,
                                         const OnionDestination& destination, EncType enc_type, Entropy& entropy,
                                         CryptoWork work, EncTypeField field) {
    if (work == CryptoWork::real) {
        LayerRandomness randomness(entropy);
        return build(payload, path, destination, enc_type, field, randomness, nullptr);
    }
    LayerRandomness randomness = LayerRandomness::modelled();
    return build(payload, path, destination, enc_type, field, randomness, nullptr);
}

Result<OnionRequest> build_onion_request(ByteView payload, std::span<const SnodeKeys> path,
                                         const OnionDestination& destination, EncType enc_type,
                                         std::span<const LayerSecrets> secrets, std::vector<OnionLayerTrace>* trace) {
    LayerRandomness randomness(secrets);
    return build(payload, path, destination, enc_type, EncTypeField::always, randomness, trace);
}

}  // namespace sessionproto
