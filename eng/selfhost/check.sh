#!/usr/bin/env bash
# Runs docs/self-hosting.md as written, so that the guide cannot drift from what works:
#
#   sudo eng/selfhost/check.sh          (tests/OrderPayments.Infra.Tests runs it: SelfHostingGuideTests)
#
# Every fenced block of the guide that starts with ```bash carries a tag, and runs accordingly:
#   ```bash build          in the repository, as on a build machine (the two dotnet publish commands);
#   ```bash server:NAME    in order, on a throwaway server (eng/selfhost/server.sh): a private mount, network and pid
#                          namespace where /etc, /opt and /var are overlays and /run is empty, so nothing on this machine
#                          changes and ports 80, 443 and 5000 are the server's own; server.sh adds its own checks
#                          before and after each block;
#   ```bash manual         commands that need the internet: they must be listed in MANUAL below with what the check
#                          does in their place.
# A ```bash block without a tag fails the check: no command in the guide goes unrun.
# Needs root (namespaces, useradd in the overlay), Debian's nginx (installed by ensure-nginx.sh), python3, curl.
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
guide="$repo/docs/self-hosting.md"
say() { echo "selfhost-check: $*" >&2; }

# The manual commands, each with what server.sh does instead.
declare -A MANUAL=(
  ["sudo certbot certonly --nginx -d pay.example.com"]="a self-signed certificate for pay.example.com where certbot writes it (/etc/letsencrypt/live/pay.example.com/), trusted by the server's CA bundle"
)

if [ "$(id -u)" -ne 0 ]; then
  say "needs root: the throwaway server is a mount, network and pid namespace"
  exit 1
fi

work="$(mktemp -d /tmp/orderpayments-selfhost.XXXXXX)"
chmod 0755 "$work"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/blocks"

# The guide's bash blocks, one file each, named NN-TAG (TAG with ':' as '-'); blocks of other languages are skipped whole.
awk -v dir="$work/blocks" '
  /^```/ {
    if (inside) { inside = 0; next }
    if ($0 ~ /^```bash/) {
      tag = substr($0, 8); gsub(/^ +| +$/, "", tag); if (tag == "") tag = "UNTAGGED"
      gsub(":", "-", tag); n++; file = sprintf("%s/%02d-%s", dir, n, tag); printf "" > file; inside = 1; bash = 1; next
    }
    inside = 1; bash = 0; next
  }
  inside && bash { print >> file }
' "$guide"

status=0
for block in "$work"/blocks/*; do
  name="$(basename "$block")"
  case "${name#*-}" in
    build | server-* ) ;;
    manual)
      while IFS= read -r line; do
        [ -z "$line" ] && continue
        if [ -z "${MANUAL[$line]+set}" ]; then
          say "docs/self-hosting.md has a manual command this check does not cover: $line (list it in MANUAL with what stands in for it)"
          status=1
        else
          say "manual: '$line' stands for: ${MANUAL[$line]}"
        fi
      done < "$block"
      ;;
    *)
      say "docs/self-hosting.md has a \`\`\`bash block without a tag (build, server:NAME or manual): $(head -n 1 "$block")"
      status=1
      ;;
  esac
done
[ "$status" -eq 0 ] || exit 1

bash "$repo/eng/selfhost/ensure-nginx.sh"

for block in "$work"/blocks/*-build; do
  if [ "${SELFHOST_REUSE_BUILD:-}" = 1 ] && [ -d "$repo/out/orderpayments" ] && [ -d "$repo/out/orderpayments-sc" ]; then
    say "SELFHOST_REUSE_BUILD=1: not running $(basename "$block") (only for working on this check; the test never sets it)"
    continue
  fi
  say "build block $(basename "$block"):"
  started=$SECONDS
  (cd "$repo" && PS4='+ ' bash -euo pipefail -x "$block")
  say "build block $(basename "$block") took $((SECONDS - started)) s"
done

say "server blocks on a throwaway server:"
unshare --mount --net --pid --fork --mount-proc bash "$repo/eng/selfhost/server.sh" "$repo" "$work"
say "docs/self-hosting.md: every block ran as written"
