// Ops on identities: Ed25519 keys from seeds, X25519 conversion, Account IDs, group IDs.
#include "models/session/crypto/account_id.hpp"
#include "models/session/crypto/keys.hpp"
#include "sim/app/vectors/vector_ops.hpp"

namespace sessionsim::vectors {
namespace {

using namespace sessionproto;

Ed25519Seed seed_of(const Input& in, const std::string& name) { return *Ed25519Seed::from(in.hex(name, 32)); }

}  // namespace

void register_identity_ops(OpTable& ops) {
    ops["account_id_from_seed"] = {[](const Input& in) {
                                       const auto kp = ed25519_from_seed(seed_of(in, "ed25519_seed_hex"));
                                       const auto id = AccountId::from_ed25519(kp.pub);
                                       if (!id) throw VectorError(id.error().message);
                                       return json{{"ed25519_pubkey_hex", kp.pub.hex()},
                                                   {"x25519_pubkey_hex", id->x25519().hex()},
                                                   {"session_id_hex", id->hex()}};
                                   },
                                   {}};
    ops["ed25519_seed_keypair"] = {[](const Input& in) {
                                       const auto kp = ed25519_from_seed(seed_of(in, "ed25519_seed_hex"));
                                       return json{{"ed25519_pubkey_hex", kp.pub.hex()},
                                                   {"ed25519_secret_key_hex", kp.sec.hex()}};
                                   },
                                   {}};
    ops["ed25519_sign"] = {[](const Input& in) {
                               const auto kp = ed25519_from_seed(seed_of(in, "ed25519_seed_hex"));
                               const auto sig = ed25519_sign(kp.sec, as_bytes(in.text("message")));
                               return json{{"signature_hex", sig.hex()}};
                           },
                           {}};
    ops["ed25519_pk_to_x25519"] = {[](const Input& in) {
                                       const auto pub = Ed25519Pubkey::from(in.hex("ed25519_pubkey_hex", 32));
                                       const auto x = x25519_from_ed25519(*pub);
                                       if (!x) throw VectorError(x.error().message);
                                       return json{{"x25519_pubkey_hex", x->hex()}};
                                   },
                                   {}};
    ops["ed25519_sk_to_x25519"] = {[](const Input& in) {
                                       const auto sec = Ed25519SecretKey::from(in.hex("ed25519_secret_key_hex", 64));
                                       return json{{"x25519_secret_key_hex", x25519_from_ed25519(*sec).hex()}};
                                   },
                                   {}};
    ops["group_id_from_seed"] = {[](const Input& in) {
                                     const auto kp = ed25519_from_seed(seed_of(in, "group_ed25519_seed_hex"));
                                     const SessionId id(IdPrefix::group, kp.pub.data);
                                     return json{{"group_ed25519_pubkey_hex", kp.pub.hex()}, {"group_id_hex", id.hex()}};
                                 },
                                 {}};
}

}  // namespace sessionsim::vectors
