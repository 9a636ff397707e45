#!/usr/bin/env bash
# The employer's path end to end, against the real server (Release) on a free loopback port:
# seed the committees, issue a certificate with credctl, verify it with credctl and with
# clients/python/verify.py, online (by number and name, by QR text) and offline (with a saved
# key set), revoke it, and check that both now answer REVOKED with exit code 2, while offline
# verification still finds it authentic (offline cannot see revocations). On the way the holder
# signs in (a local holder token), sees the certificate, shares it with a code that both
# clients verify, and sees the lookup. Prints a PASS/FAIL line per check and
# "employer-path: N passed, N failed"; exits 1 if any failed.
#
#   clients/employer-path.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON=/usr/bin/python3
VERIFY_PY=clients/python/verify.py

# shellcheck source=bench/server.sh
source bench/server.sh
work="$(mktemp -d -t employer-path.XXXXXX)"
trap 'server_stop; rm -rf "$work"' EXIT

server_build
if ! dotnet build clients/Credentials.Cli -c Release -nologo -v q >"$work/build.log" 2>&1; then
  cat "$work/build.log" >&2
  echo "employer-path: clients/Credentials.Cli did not build" >&2
  exit 1
fi
CREDCTL_DLL="$(find clients/Credentials.Cli/bin/Release -name credctl.dll -print -quit)"
server_start "$work/data" "$work/server.log" --Holders:TrustLocalTokens=true
if [[ -z $SERVER_TOKEN ]]; then
  echo "employer-path: the server printed no authority token" >&2
  exit 1
fi
dotnet "$SERVER_DLL" committees seed --data-dir "$work/data" >/dev/null

export CREDENTIALS_URL="http://$SERVER_ADDRESS"
unset CREDENTIALS_TOKEN
credctl() { dotnet "$CREDCTL_DLL" "$@"; }
verify_py() { "$PYTHON" "$VERIFY_PY" "$@"; }

passed=0
failed=0
# expect NAME CODE PATTERN COMMAND...: the command must exit with CODE and print a line matching
# the extended regular expression PATTERN (on stdout or stderr).
expect() {
  local name=$1 want=$2 pattern=$3 output code=0
  shift 3
  output="$("$@" 2>&1)" || code=$?
  if ((code == want)) && grep -qE -- "$pattern" <<<"$output"; then
    echo "PASS $name"
    passed=$((passed + 1))
  else
    printf 'FAIL %s (exit %s, expected %s and a line matching %s)\n%s\n' "$name" "$code" "$want" "$pattern" \
      "$(sed 's/crd_[[:alnum:]]*/crd_<redacted>/g' <<<"$output")"
    failed=$((failed + 1))
  fi
}

# The committee issues (here as the authority, which may issue for any committee).
credctl issue --token "$SERVER_TOKEN" --committee DL-S01 --name 张伟 --document-number 11010519491231002X \
  --series 工程系列 --specialty 建筑工程 --level deputy-senior --title-name 高级工程师 \
  --review-meeting-date 2024-10-25 --qualification-date 2024-12-01 --approval-document '大人社发〔2024〕15号' \
  --json >"$work/issued.json"
number="$("$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["number"])' "$work/issued.json")"
"$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["qrText"])' "$work/issued.json" >"$work/cert.txt"
credctl get "$number" --token "$SERVER_TOKEN" --save-envelope "$work/cert.env" >/dev/null
echo "issued $number"
# The same number with another check character: a typo the check character catches.
mistyped="${number%?}$([[ ${number: -1} == 0 ]] && echo 1 || echo 0)"

# The employer: no token.
expect "credctl verify: valid" 0 "^VALID: $number" credctl verify "$number" --name 张伟
expect "verify.py verify: valid" 0 "^VALID: $number" verify_py verify "$number" --name 张伟
expect "credctl verify, wrong name: not found" 2 "^NOT_FOUND" credctl verify "$number" --name 李四
expect "verify.py verify, wrong name: not found" 2 "^NOT_FOUND" verify_py verify "$number" --name 李四
expect "credctl verify, mistyped number: refused" 4 "INVALID_ARGUMENT" credctl verify "$mistyped" --name 张伟
expect "verify.py verify, mistyped number: refused" 4 "INVALID_ARGUMENT" verify_py verify "$mistyped" --name 张伟
expect "credctl verify-envelope TC1 file: valid" 0 "^VALID: $number" credctl verify-envelope "$work/cert.txt"
expect "verify.py verify-envelope TC1 text: valid" 0 "^VALID: $number" verify_py verify-envelope "$(cat "$work/cert.txt")"
expect "credctl verify-envelope envelope bytes: valid" 0 "^VALID: $number" credctl verify-envelope "$work/cert.env"
expect "credctl keys save" 0 "^Saved 1 key" credctl keys save "$work/keys.json"
expect "verify.py keys-save" 0 "^Saved 1 key" verify_py keys-save "$work/keys-py.json"
expect "credctl offline: valid" 0 "^VALID \(offline\): $number" credctl verify-envelope "$work/cert.txt" --offline --keys "$work/keys.json"
expect "verify.py offline (credctl's key set): valid" 0 "^VALID \(offline\): $number" \
  verify_py verify-envelope "$work/cert.env" --offline --keys "$work/keys.json"
expect "credctl offline (verify.py's key set): valid" 0 "^VALID \(offline\): $number" \
  credctl verify-envelope "$work/cert.env" --offline --keys "$work/keys-py.json"

# The holder: signs in (here with a local holder token the server was told to trust), sees the
# certificate, and shares it with a code the employer verifies with nothing else.
holder="$(dotnet "$SERVER_DLL" holders token --name 张伟 --document 11010519491231002X --data-dir "$work/data" --Holders:TrustLocalTokens=true)"
expect "credctl me certificates" 0 "^$number  VALID" credctl me certificates --token "$holder"
credctl share create "$number" --days 30 --purpose "应聘 XX 公司" --token "$holder" --json >"$work/shared.json"
code="$("$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["code"])' "$work/shared.json")"
code_id="$("$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["shareCode"]["id"])' "$work/shared.json")"
expect "credctl verify --code: valid" 0 "^VALID: $number" credctl verify --code "$code"
expect "verify.py verify --code: valid" 0 "^VALID: $number" verify_py verify --code "$code"
expect "verify.py verify --code, purpose shown" 0 "shared for: +应聘 XX 公司" verify_py verify --code "$code"
expect "credctl verify --code, unknown code: not found" 2 "^NOT_FOUND" credctl verify --code 7KQM-2XWD-9FHT-A3CN
expect "credctl me lookups: the code's use" 0 "share code $code_id" credctl me lookups --token "$holder"

# The QR code holds exactly the TC1: text (read back with zbarimg, from zbar-tools, when installed).
if command -v zbarimg >/dev/null; then
  expect "credctl qr --png" 0 "QR code version" credctl qr "$work/cert.txt" --png "$work/cert.png"
  expect "the PNG decodes to the TC1 text" 0 "^same$" bash -c \
    'zbarimg -q --raw "$1" 2>/dev/null | tr -d "\n" | cmp -s - <(tr -d "\n" <"$2") && echo same' _ "$work/cert.png" "$work/cert.txt"
fi

# A tampered QR text: one Base45 character changed.
"$PYTHON" - "$work/cert.txt" "$work/tampered.txt" <<'PY'
import sys
text = open(sys.argv[1]).read().strip()
i = len(text) // 2
open(sys.argv[2], "w").write(text[:i] + ("1" if text[i] != "1" else "2") + text[i + 1:])
PY
expect "credctl offline, tampered: not valid" 2 "^(BAD_SIGNATURE|MALFORMED)" credctl verify-envelope "$work/tampered.txt" --offline --keys "$work/keys.json"
expect "verify.py offline, tampered: not valid" 2 "^(BAD_SIGNATURE|MALFORMED)" verify_py verify-envelope "$work/tampered.txt" --offline --keys "$work/keys.json"

# Revoked: both clients now answer REVOKED with exit code 2.
# For fraud: the holder's misconduct is recorded with it (诚信档案).
expect "credctl revoke" 0 "^Revoked" credctl revoke "$number" --token "$SERVER_TOKEN" --reason false-materials --decision-document '大人社发〔2024〕40号' \
  --unit 大连市建筑设计研究院 --facts 申报材料中的业绩证明系伪造 --deciding-body 大连市人力资源和社会保障局
expect "credctl verify: revoked" 2 "^REVOKED: $number" credctl verify "$number" --name 张伟
expect "verify.py verify: revoked" 2 "^REVOKED: $number" verify_py verify "$number" --name 张伟
expect "credctl verify-envelope: revoked" 2 "^REVOKED: $number" credctl verify-envelope "$work/cert.txt"
expect "verify.py verify-envelope: revoked" 2 "^REVOKED: $number" verify_py verify-envelope "$work/cert.txt"
expect "verify.py verify --code: revoked" 2 "^REVOKED: $number" verify_py verify --code "$code"
expect "credctl share revoke" 0 "^Revoked" credctl share revoke "$code_id" --token "$holder"
expect "verify.py verify --code, revoked code: not found" 2 "^NOT_FOUND" verify_py verify --code "$code"
expect "credctl verify --json: revoked" 2 '"result": "VERIFICATION_RESULT_REVOKED"' credctl verify "$number" --name 张伟 --json
expect "credctl offline after revocation: still authentic" 0 "^VALID \(offline\)" credctl verify-envelope "$work/cert.txt" --offline --keys "$work/keys.json"
expect "verify.py offline after revocation: still authentic" 0 "^VALID \(offline\)" verify_py verify-envelope "$work/cert.txt" --offline --keys "$work/keys.json"

server_stop
expect "credctl, server stopped: server error" 3 "UNAVAILABLE" credctl verify "$number" --name 张伟 --timeout 5
expect "verify.py, server stopped: server error" 3 "UNAVAILABLE" verify_py verify "$number" --name 张伟 --timeout 5

echo "employer-path: $passed passed, $failed failed"
((failed == 0))
