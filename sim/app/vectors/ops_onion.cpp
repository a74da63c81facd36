// Ops on onion requests: one hop's decryption, a node parsing a framed request, a 3-hop build.
#include "models/session/onion/builder.hpp"
#include "models/session/onion/frame.hpp"
#include "models/session/onion/hop_encryption.hpp"
#include "models/session/onion/hop_processing.hpp"
#include "sim/app/vectors/vector_ops.hpp"

namespace sessionsim::vectors {
namespace {

using namespace sessionproto;

EncType enc_type_of(const Input& in) {
    const auto type = parse_enc_type(in.text("enc_type"));
    if (!type) throw VectorError("unknown enc_type '" + in.text("enc_type") + "'");
    return *type;
}

template <class Key>
Key key_of(const Input& in, const std::string& name) {
    return *Key::from(in.hex(name, Key::SIZE));
}

/// The node's key and the client's key for one layer; they must agree.
SymmetricKey layer_key(const Input& in, EncType type) {
    const auto A = key_of<X25519Pubkey>(in, "client_ephemeral_x25519_pubkey_hex");
    const auto a = key_of<X25519SecretKey>(in, "client_ephemeral_x25519_secret_key_hex");
    const auto B = key_of<X25519Pubkey>(in, "server_x25519_pubkey_hex");
    const auto b = key_of<X25519SecretKey>(in, "server_x25519_secret_key_hex");
    const auto node = value_or_throw(node_layer_key(type, b, B, A), "node key");
    const auto client = value_or_throw(client_layer_key(type, a, A, B), "client key");
    if (node != client) throw VectorError("the node's and the client's layer keys differ");
    return node;
}

SnodeKeys snode_of(const json& j, const std::string& where) {
    if (!j.is_object()) throw VectorError(where + " must be an object");
    const Input in(j);
    return SnodeKeys{key_of<Ed25519Pubkey>(in, "ed25519_pubkey_hex"), key_of<X25519Pubkey>(in, "x25519_pubkey_hex")};
}

json build_3hop(const Input& in) {
    const EncType type = enc_type_of(in);
    const json& path_json = in.field("path");
    if (!path_json.is_array()) throw VectorError("input field 'path' must be a list");
    std::vector<SnodeKeys> path;
    for (const json& hop : path_json) path.push_back(snode_of(hop, "a path entry"));
    const SnodeKeys destination = snode_of(in.field("destination"), "destination");
    const auto secrets_hex = in.hex_list("ephemeral_secret_keys_hex");
    const auto nonces = in.hex_list("nonces_hex");
    if (secrets_hex.size() != nonces.size()) throw VectorError("as many nonces as ephemeral keys are needed");
    std::vector<LayerSecrets> secrets;
    for (std::size_t i = 0; i < secrets_hex.size(); ++i) {
        secrets.push_back(LayerSecrets{value_or_throw(X25519SecretKey::from(secrets_hex[i]), "ephemeral key"), nonces[i]});
    }
    std::vector<OnionLayerTrace> trace;
    const OnionRequest request = value_or_throw(
        build_onion_request(as_bytes(in.text("payload")), path, destination, type, secrets, &trace), "build");
    json layers = json::array();
    for (const auto& layer : trace) {
        layers.push_back({{"for", layer.for_label},
                          {"frame_json", layer.frame_json},
                          {"plaintext_hex", hex(layer.plaintext)},
                          {"eph_pub_hex", layer.ephemeral_pub.hex()},
                          {"ciphertext_hex", hex(layer.ciphertext)}});
    }
    const Bytes response = value_or_throw(seal_layer(type, request.destination_key, as_bytes(in.text("response_plaintext")),
                                                     in.hex("response_nonce_hex")),
                                          "response");
    return json{{"layers", layers},
                {"request_body_hex", hex(request.body)},
                {"response_ciphertext_hex", hex(response)},
                {"response_b64", to_base64(response)}};
}

}  // namespace

void register_onion_ops(OpTable& ops) {
    ops["onion_hop_decrypt"] = {
        [](const Input& in) {
            const EncType type = enc_type_of(in);
            const SymmetricKey key = layer_key(in, type);
            const Bytes plain = value_or_throw(open_layer(type, key, in.hex("ciphertext_hex")), "decrypt");
            return json{{"plaintext", to_string(plain)}, {"symmetric_key_hex", key.hex()}};
        },
        [](const Input& in, const json& /*expected*/) {
            // The reject path is the node's decryption: what the node holds (its key pair, the
            // request's ephemeral key and enc_type) and nothing of the client's secrets.
            const auto type = parse_enc_type(in.text("enc_type"));
            if (!type) return true;  // a node refuses an enc_type it does not speak
            const auto A = key_of<X25519Pubkey>(in, "client_ephemeral_x25519_pubkey_hex");
            const auto B = key_of<X25519Pubkey>(in, "server_x25519_pubkey_hex");
            const auto b = key_of<X25519SecretKey>(in, "server_x25519_secret_key_hex");
            const auto key = node_layer_key(*type, b, B, A);
            return !key || !open_layer(*type, *key, in.hex("ciphertext_hex")).ok();
        }};
    ops["onion_parse_request"] = {
        [](const Input& in) {
            const Bytes request = in.hex("request_hex");
            const auto hop = value_or_throw(parse_entry_request(request), "parse");
            const auto framed = value_or_throw(parse_frame(request), "frame");
            const X25519Keypair own{key_of<X25519Pubkey>(in, "server_x25519_pubkey_hex"),
                                    key_of<X25519SecretKey>(in, "server_x25519_secret_key_hex")};
            const auto key = value_or_throw(node_layer_key(hop.enc_type, own.sec, own.pub, hop.ephemeral), "key");
            const Bytes payload = value_or_throw(open_layer(hop.enc_type, key, hop.ciphertext), "decrypt");
            const Bytes reply = value_or_throw(
                seal_layer(hop.enc_type, key, as_bytes(in.text("reply_plaintext")), in.hex("reply_nonce_hex")), "reply");
            return json{{"payload", to_string(payload)},
                        {"remote_pubkey_hex", hop.ephemeral.hex()},
                        {"metadata", framed.control},
                        {"reply_hex", hex(reply)}};
        },
        {}};
    ops["onion_build_3hop"] = {build_3hop, {}};
}

}  // namespace sessionsim::vectors
