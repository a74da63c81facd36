#!/usr/bin/env bash
# `sessionsim vectors`: the shipped vectors all pass; unknown ops, missing fields, bad files and
# accepted negative cases are failures with a line each; the closing line and exit codes.
set -euo pipefail
bin=${1:?usage: vectors_cli_test.sh PATH/TO/sessionsim VECTOR_DIR}
dir=${2:?usage: vectors_cli_test.sh PATH/TO/sessionsim VECTOR_DIR}
fail() { echo "FAIL: $*" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

out=$("$bin" vectors "$dir"/*.json) || fail "shipped vectors failed:
$out"
last=$(tail -1 <<<"$out")
[[ "$last" =~ ^[0-9]+\ passed,\ 0\ failed$ ]] || fail "bad closing line: $last"
[[ $(wc -l <<<"$out") -eq 1 ]] || fail "unexpected failure lines: $out"

# The derived vectors (an independent implementation's answers, tests/vectors/derived/README.md).
if compgen -G "$dir/derived/*.json" >/dev/null; then
  out=$("$bin" vectors "$dir"/derived/*.json) || fail "derived vectors failed:
$out"
  [[ $(tail -1 <<<"$out") =~ ^[0-9]+\ passed,\ 0\ failed$ ]] || fail "derived: $(tail -1 <<<"$out")"
fi

# A vector file with: a good vector, an unknown op, a missing input field, a wrong expected
# value, an extra expected field, and a negative case that must be rejected but is not.
good='{"op":"ed25519_seed_keypair","name":"good","input":{"ed25519_seed_hex":"'$(printf '00%.0s' {1..32})'"},"expected":{"ed25519_pubkey_hex":"3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29","ed25519_secret_key_hex":"'$(printf '00%.0s' {1..32})'3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29"},"negative":[],"notes":"","source":{},"derived":true}'
cat >"$tmp/mixed.json" <<JSON
{"topic":"runner self-test","vectors":[
 $good,
 {"op":"no_such_op","name":"unknown","input":{},"expected":{},"negative":[],"notes":"","source":{},"derived":true},
 {"op":"ed25519_seed_keypair","name":"missing-field","input":{},"expected":{},"negative":[],"notes":"","source":{},"derived":true},
 {"op":"ed25519_pk_to_x25519","name":"wrong-value","input":{"ed25519_pubkey_hex":"3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29"},"expected":{"x25519_pubkey_hex":"00"},"negative":[],"notes":"","source":{},"derived":true},
 {"op":"ed25519_pk_to_x25519","name":"extra-expected","input":{"ed25519_pubkey_hex":"3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29"},"expected":{"x25519_pubkey_hex":"5bf55c73b82ebe22be80f3430667af570fae2556a6415e6b30d4065300aa947d","other":1},"negative":[],"notes":"","source":{},"derived":true},
 {"op":"ed25519_seed_keypair","name":"no-reject-path","input":{"ed25519_seed_hex":"$(printf '00%.0s' {1..32})"},"expected":{"ed25519_pubkey_hex":"3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29","ed25519_secret_key_hex":"$(printf '00%.0s' {1..32})3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29"},"negative":[{"description":"x","input":{}}],"notes":"","source":{},"derived":true}
]}
JSON
set +e; out=$("$bin" vectors "$tmp/mixed.json" "$tmp/missing.json"); rc=$?; set -e
[[ $rc -eq 1 ]] || fail "expected exit 1 with failures, got $rc: $out"
grep -q "unknown: unknown op 'no_such_op'" <<<"$out" || fail "unknown op not reported: $out"
grep -q "missing-field: could not compute: input field 'ed25519_seed_hex' is missing" <<<"$out" || fail "missing field: $out"
grep -q "wrong-value: 'x25519_pubkey_hex' differs" <<<"$out" || fail "wrong value: $out"
grep -q "extra-expected: expected field 'other' is not computed" <<<"$out" || fail "extra field: $out"
grep -q "no-reject-path: negative case 1: op 'ed25519_seed_keypair' has no reject path" <<<"$out" || fail "negative: $out"
grep -q "missing.json: cannot be read" <<<"$out" || fail "missing file: $out"
[[ $(tail -1 <<<"$out") == "1 passed, 6 failed" ]] || fail "closing line: $(tail -1 <<<"$out")"

# A negative case that the reject path accepts: the right ciphertext with its own key.
python3 - "$dir/onionreq.json" "$tmp/accepted.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
v = [v for v in d["vectors"] if v["op"] == "onion_hop_decrypt"][0]
v["negative"] = [{"description": "the unmodified ciphertext decrypts", "input": {}}]
json.dump({"topic": "t", "vectors": [v]}, open(sys.argv[2], "w"))
PY
set +e; out=$("$bin" vectors "$tmp/accepted.json"); rc=$?; set -e
[[ $rc -eq 1 ]] || fail "accepted negative must fail: $out"
grep -q "negative case 1 (the unmodified ciphertext decrypts) was accepted" <<<"$out" || fail "accepted negative: $out"

echo '{"vectors": [' >"$tmp/broken.json"
set +e; out=$("$bin" vectors "$tmp/broken.json"); rc=$?; set -e
[[ $rc -eq 1 ]] && grep -q "broken.json: not valid JSON" <<<"$out" || fail "broken JSON: $out"
set +e; "$bin" vectors >/dev/null 2>&1; rc=$?; set -e
[[ $rc -eq 64 ]] || fail "no file: expected 64, got $rc"
echo "vectors CLI: all checks passed"
