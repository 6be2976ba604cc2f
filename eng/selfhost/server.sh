#!/usr/bin/env bash
# The throwaway server of eng/selfhost/check.sh: runs inside `unshare --mount --net --pid --fork`, so everything started
# here ends with it and nothing outside changes. Runs the guide's `bash server:NAME` blocks in order, as root, from a
# folder holding deploy/ and out/ as the guide says, with its own checks before_NAME / after_NAME around them.
#   server.sh REPO WORK      (WORK holds blocks/ from check.sh)
set -euo pipefail

repo="$1"
work="$2"
say() { echo "selfhost-server: $*" >&2; }
fail() { say "FAILED: $*"; exit 1; }

# --- The server: overlays over what the guide writes, an empty /run, loopback, systemd's stand-ins on PATH. ---
for dir in etc opt var; do
  mkdir -p "$work/overlay/$dir/upper" "$work/overlay/$dir/work"
  mount -t overlay overlay -o "lowerdir=/$dir,upperdir=$work/overlay/$dir/upper,workdir=$work/overlay/$dir/work" "/$dir"
done
mount -t tmpfs -o mode=0755 tmpfs /run
ip link set lo up
echo "127.0.0.1 pay.example.com" >> /etc/hosts
export SELFHOST_STATE="$work/state"
mkdir -p "$SELFHOST_STATE"
chmod 0755 "$SELFHOST_STATE"
export PATH="$repo/eng/selfhost/stand-ins:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
mkdir -p "$work/server"
ln -s "$repo/deploy" "$work/server/deploy"
ln -s "$repo/out" "$work/server/out"
cd "$work/server"

api=http://127.0.0.1:5000
storefront_key="storefront-key-$RANDOM$RANDOM-0123456789"
operator_key="operator-key-$RANDOM$RANDOM-0123456789"
fulfillment_key="fulfillment-key-$RANDOM$RANDOM-0123456789"

json() { /usr/bin/python3 -c 'import json, sys; d = json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"; }

start_order() { # ID [PROVIDER] → the status document
  local body='{"amount":{"currency":"NOK","value":1000},"description":"Self-hosting check","returnUrl":"https://shop.example/return"}'
  if [ "${2:-vipps}" = payex ]; then
    body='{"amount":{"currency":"NOK","value":1000},"description":"Self-hosting check","userFlow":"PUSH_MESSAGE","phoneNumber":"4712345678","provider":"payex"}'
  fi
  curl -fsS -X PUT -H "X-Api-Key: $storefront_key" -H 'Content-Type: application/json' --data "$body" "$api/api/orders/$1/payment"
}

order_ids() { # every order id, sorted, one a line
  local after="" page
  while :; do
    page="$(curl -fsS -H "X-Api-Key: $operator_key" "$api/api/orders?limit=200${after:+&after=$after}")"
    echo "$page" | json '"\n".join(o["orderId"] for o in d["items"])'
    after="$(echo "$page" | json 'd.get("next") or ""')"
    [ -n "$after" ] || break
  done | sed '/^$/d' | sort
}

written() { # files the overlays hold (what this server wrote), one a line
  (cd "$work/overlay" && find etc/upper opt/upper var/upper -mindepth 1 ! -type d | sed 's#/upper##' | sort)
}

# --- Checks around the guide's blocks. ---
after_install() {
  [ -x /opt/orderpayments/OrderPayments.Api ] || fail "install.sh left no /opt/orderpayments/OrderPayments.Api"
  [ "$(stat -c '%a %U:%G' /etc/orderpayments/orderpayments.env)" = "640 root:orderpayments" ] || fail "the settings file is not 0640 root:orderpayments"
  # What certbot would have done (the guide's manual block): a certificate where it writes them, trusted here.
  mkdir -p /etc/letsencrypt/live/pay.example.com
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=pay.example.com -addext subjectAltName=DNS:pay.example.com \
    -keyout /etc/letsencrypt/live/pay.example.com/privkey.pem -out /etc/letsencrypt/live/pay.example.com/fullchain.pem 2>/dev/null
  cat /etc/letsencrypt/live/pay.example.com/fullchain.pem >> /etc/ssl/certs/ca-certificates.crt
  # The operator's edit of the settings file: keys per role, and the embedded simulator as the provider (no Vipps account
  # is reachable from here), with its control API to play the customer; PayEx callbacks only from 127.0.0.3.
  sed -i \
    -e "s|^OrderPayments__ApiKeys__Storefront__0=.*|OrderPayments__ApiKeys__Storefront__0=$storefront_key|" \
    -e "s|^OrderPayments__ApiKeys__Fulfillment__0=.*|OrderPayments__ApiKeys__Fulfillment__0=$fulfillment_key|" \
    -e "s|^OrderPayments__ApiKeys__Operator__0=.*|OrderPayments__ApiKeys__Operator__0=$operator_key|" \
    -e "s|^Vipps__BaseUrl=.*|Vipps__BaseUrl=|" \
    /etc/orderpayments/orderpayments.env
  printf '%s\n' Simulator__Embedded=true Simulator__ControlApi=true PayEx__CallbackAllowedSources__0=127.0.0.3/32 >> /etc/orderpayments/orderpayments.env
  written > "$work/written-before-start"
}

after_start() {
  for i in 1 2 3 4 5; do start_order "first-$i" > /dev/null; done
  [ "$(order_ids | wc -l)" -eq 5 ] || fail "five orders were started"
  # The unit's sandbox keeps the service to its state directory; here (no sandbox) the check looks at what it wrote.
  written > "$work/written-after-start"
  local outside
  outside="$(comm -13 "$work/written-before-start" "$work/written-after-start" | grep -v '^var/lib/orderpayments/' || true)"
  [ -z "$outside" ] || fail "the service wrote outside /var/lib/orderpayments: $outside"
  grep -q 'OrderPayments API on' "$SELFHOST_STATE/orderpayments.service.log" || fail "the API's start line is not in its log"
}

after_proxy() {
  # A Vipps webhook through the public URL: the simulator delivers to https://pay.example.com/api/webhooks/vipps (nginx),
  # and the API verifies it against the registered URL whatever Host and address nginx passes on.
  local reference delivered
  reference="$(start_order webhook-1 | json 'd["reference"]')"
  curl -fsS -X POST "$api/simulator/vipps/control/payments/$reference/approve" > /dev/null
  for _ in $(seq 1 200); do
    delivered="$(curl -fsS "$api/simulator/vipps/control/stats" | json 'd["webhooks"].get("webhooks.delivered", 0)')"
    [ "$delivered" -ge 1 ] && break
    sleep 0.1
  done
  [ "$delivered" -ge 1 ] || fail "no Vipps webhook was delivered through nginx: $(curl -fsS "$api/simulator/vipps/control/stats")"
  grep -Eq '"POST /api/webhooks/vipps HTTP/[0-9.]+" 20[02] ' /var/log/nginx/access.log || fail "nginx did not pass a webhook on with 200: $(tail -n 5 /var/log/nginx/access.log)"

  # PayEx callbacks: the address nginx saw is the one checked (allowed: 127.0.0.3), not one a client writes.
  local payex callback code
  payex="$(start_order payex-1 payex | json 'd["reference"]')"
  callback='{"payment":{"id":"/psp/vipps/payments/p1","number":1},"transaction":{"id":"/psp/vipps/payments/p1/authorizations/1","number":1}}'
  post() { curl -sS -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data "$callback" "$@"; }
  code="$(post --interface 127.0.0.3 "https://pay.example.com/api/callbacks/payex?reference=$payex")"
  [ "$code" = 200 ] || fail "a callback through nginx from an allowed address got $code"
  code="$(post --interface 127.0.0.4 -H 'X-Forwarded-For: 127.0.0.3' "https://pay.example.com/api/callbacks/payex?reference=$payex")"
  [ "$code" = 403 ] || fail "a callback through nginx from elsewhere, claiming an allowed address, got $code"
  code="$(post --interface 127.0.0.4 -H 'X-Forwarded-For: 127.0.0.3' "$api/api/callbacks/payex?reference=$payex")"
  [ "$code" = 403 ] || fail "a callback straight to Kestrel with a forged X-Forwarded-For got $code"
  code="$(curl -sS -o /dev/null -w '%{http_code}' http://pay.example.com/health)"
  [ "$code" = 301 ] || fail "plain HTTP is not redirected to HTTPS ($code)"
}

before_backup() {
  order_ids > "$work/orders-before-backup"
  # Orders keep changing while the backups run.
  touch "$work/busy"
  (i=0; while [ -e "$work/busy" ]; do i=$((i + 1)); start_order "during-backup-$i" > /dev/null || true; done) &
  busy_pid=$!
}

after_backup() {
  rm -f "$work/busy"
  wait "$busy_pid" || true
  ls /var/backups/orderpayments/orders-*.db > /dev/null || fail "the backup service wrote no orders-*.db"
  grep -q 'Backed up /var/lib/orderpayments/orders.db' "$SELFHOST_STATE/orderpayments-backup.service.log" || fail "the backup service did not report its copy"
}

after_restore() {
  order_ids > "$work/orders-after-restore"
  local missing
  missing="$(comm -23 "$work/orders-before-backup" "$work/orders-after-restore")"
  [ -z "$missing" ] || fail "orders committed before the backup are missing after the restore: $missing"
  say "restore: $(wc -l < "$work/orders-after-restore") orders, every one of the $(wc -l < "$work/orders-before-backup") from before the backup"
}

before_upgrade() { order_ids > "$work/orders-before-upgrade"; }

after_upgrade() {
  [ -d /opt/orderpayments.previous ] || fail "install.sh kept no previous version"
  [ -z "$(comm -23 "$work/orders-before-upgrade" <(order_ids))" ] || fail "orders are missing after the upgrade"
}

after_rollback() {
  [ -z "$(comm -23 "$work/orders-before-upgrade" <(order_ids))" ] || fail "orders are missing after the rollback"
}

finally() {
  # The self-contained build runs the same service.
  deploy/install.sh out/orderpayments-sc
  systemctl restart orderpayments
  [ "$(curl -fsS "$api/health" | json 'd["status"]')" = Healthy ] || fail "the self-contained build is not healthy"
  [ -d /opt/orderpayments/shared ] || [ -f /opt/orderpayments/libcoreclr.so ] || fail "the installed build is not the self-contained one"

  # An older binary meets a store a newer one migrated: it refuses to start, exit 1 (not restarted), the file unchanged.
  systemctl stop orderpayments
  local version
  version="$(/usr/bin/python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA user_version").fetchone()[0])' /var/lib/orderpayments/orders.db)"
  /usr/bin/python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute(f"PRAGMA user_version = {int(sys.argv[2]) + 1}"); c.commit()' /var/lib/orderpayments/orders.db "$version"
  if systemctl start orderpayments 2> "$work/refused"; then fail "the API started on a store of a newer schema version"; fi
  grep -q 'exit 1' "$work/refused" || fail "the refused start did not exit 1: $(cat "$work/refused")"
  grep -q 'RestartPreventExitStatus' "$work/refused" || fail "the unit would restart a refused start"
  journalctl -u orderpayments -n 5 | grep -q "did not start: The runtime file has schema version $((version + 1)); this build knows up to $version. Upgrade the application." \
    || fail "the refusal is not in the log: $(journalctl -u orderpayments -n 5)"
  [ "$(/usr/bin/python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA user_version").fetchone()[0])' /var/lib/orderpayments/orders.db)" = "$((version + 1))" ] \
    || fail "the refused start changed the store's version"
}

cleanup() {
  rm -f "$work/busy"
  systemctl stop orderpayments > /dev/null 2>&1 || true
  systemctl stop nginx > /dev/null 2>&1 || true
}
trap cleanup EXIT

# --- The guide's server blocks, in order. ---
for block in "$work"/blocks/*-server-*; do
  name="${block##*-server-}"
  say "block server:$name"
  if declare -F "before_$name" > /dev/null; then "before_$name"; fi
  PS4='+ ' bash -euo pipefail -x "$block"
  if declare -F "after_$name" > /dev/null; then "after_$name"; fi
done
finally
say "the server did everything the guide says"
