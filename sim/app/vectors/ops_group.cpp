// Ops on closed-group crypto: multi-recipient encryption, config encryption and padding, and
// group subaccounts (tests/vectors/README.md).
#include <memory>
#include <string>
#include <vector>

#include "models/session/crypto/account_id.hpp"
#include "models/session/crypto/config_encrypt.hpp"
#include "models/session/crypto/group_subaccount.hpp"
#include "models/session/crypto/keys.hpp"
#include "models/session/crypto/multi_encrypt.hpp"
#include "sim/app/vectors/vector_ops.hpp"

namespace sessionsim::vectors {
namespace {

using namespace sessionproto;

Ed25519Keypair keypair_of_seed(ByteView seed) { return ed25519_from_seed(*Ed25519Seed::from(seed)); }

/// The inputs shared by multi_encrypt and multi_encrypt_simple.
struct MultiInput {
    X25519Keypair sender;
    std::vector<X25519Keypair> recipients;
    XChaChaNonce nonce{};
    std::string domain;
    std::vector<Bytes> messages;

    std::vector<X25519Pubkey> recipient_pubs() const {
        std::vector<X25519Pubkey> out;
        for (const auto& r : recipients) out.push_back(r.pub);
        return out;
    }
};

MultiInput multi_input(const Input& in) {
    MultiInput m;
    m.sender = x25519_from_ed25519(keypair_of_seed(in.hex("sender_ed25519_seed_hex", 32)));
    for (const auto& seed : in.hex_list("recipient_ed25519_seeds_hex")) {
        if (seed.size() != 32) throw VectorError("recipient_ed25519_seeds_hex: every seed must be 32 bytes");
        m.recipients.push_back(x25519_from_ed25519(keypair_of_seed(seed)));
    }
    const Bytes nonce = in.hex("nonce_hex", 24);
    std::copy(nonce.begin(), nonce.end(), m.nonce.begin());
    m.domain = in.text("domain");
    for (const auto& text : in.text_list("messages")) m.messages.push_back(to_bytes(text));
    return m;
}

void register_multi_encrypt(OpTable& ops) {
    ops["multi_encrypt"] = {
        [](const Input& in) {
            const auto m = multi_input(in);
            const auto pubs = m.recipient_pubs();
            auto cts = value_or_throw(encrypt_for_multiple(m.messages, pubs, m.nonce, m.sender, m.domain),
                                      "encrypt_for_multiple");
            json list = json::array();
            for (const auto& ct : cts) list.push_back(hex(ct));
            return json{{"ciphertexts_hex", list}};
        },
        [](const Input& in, const json& expected) {
            // Rejects when no listed recipient, using `domain`, decrypts any expected ciphertext.
            if (!expected.contains("ciphertexts_hex")) throw VectorError("expected lacks 'ciphertexts_hex'");
            const json wrapper = {{"ciphertexts_hex", expected.at("ciphertexts_hex")}};
            const auto expected_cts = Input(wrapper).hex_list("ciphertexts_hex");
            const auto m = multi_input(in);
            for (const auto& recipient : m.recipients) {
                if (decrypt_for_multiple(expected_cts, m.nonce, recipient, m.sender.pub, m.domain)) {
                    return false;
                }
            }
            return true;
        }};
    ops["multi_encrypt_simple"] = {[](const Input& in) {
                                       const auto m = multi_input(in);
                                       const auto pubs = m.recipient_pubs();
                                       const auto encoded = value_or_throw(
                                           encrypt_for_multiple_simple(m.messages, pubs, m.nonce, m.sender, m.domain),
                                           "encrypt_for_multiple_simple");
                                       return json{{"encoded_hex", hex(encoded)}};
                                   },
                                   {}};
}

}  // namespace

void register_group_ops(OpTable& ops) {
    register_multi_encrypt(ops);
    ops["config_encrypt"] = {[](const Input& in) {
                                 const auto key_base = *SymmetricKey::from(in.hex("key_base_hex", 32));
                                 const auto ct = value_or_throw(
                                     config_encrypt(as_bytes(in.text("message")), key_base, in.text("domain")),
                                     "config_encrypt");
                                 return json{{"ciphertext_hex", hex(ct)},
                                             {"nonce_hex", hex(ByteView(ct).last(24))}};
                             },
                             {}};
    ops["config_padded_size"] = {[](const Input& in) {
                                     const auto sizes = in.integer_list("sizes");
                                     const auto overheads = in.integer_list("overheads");
                                     if (sizes.size() != overheads.size()) {
                                         throw VectorError("sizes and overheads must be lists of the same length");
                                     }
                                     json out = json::array();
                                     for (std::size_t i = 0; i < sizes.size(); ++i) {
                                         if (sizes[i] < 0 || overheads[i] < 0) throw VectorError("sizes must not be negative");
                                         out.push_back(padded_size(static_cast<std::size_t>(sizes[i]),
                                                                   static_cast<std::size_t>(overheads[i])));
                                     }
                                     return json{{"padded_sizes", out}};
                                 },
                                 {}};
    ops["group_subaccount_sign"] = {
        [](const Input& in) {
            const auto group = keypair_of_seed(in.hex("group_ed25519_seed_hex", 32));
            const auto member = keypair_of_seed(in.hex("member_ed25519_seed_hex", 32));
            const auto member_id =
                value_or_throw(AccountId::from_bytes(in.hex("member_session_id_hex", 33)), "member_session_id_hex");
            const auto auth = value_or_throw(
                make_subaccount(group, member_id, in.boolean("write"), in.boolean("delete")), "make_subaccount");
            const auto sig =
                value_or_throw(subaccount_sign(auth, member.sec, as_bytes(in.text("message"))), "subaccount_sign");
            return json{{"subaccount_b64", to_base64(sig.token.view())},
                        {"subaccount_sig_b64", to_base64(sig.token_signature.view())},
                        {"signature_b64", to_base64(sig.signature.view())},
                        {"auth_data_hex", auth.hex()}};
        },
        {}};
}

}  // namespace sessionsim::vectors
