#!/usr/bin/env bash
# Makes sure Debian's nginx package is installed, for eng/selfhost/check.sh (docs/self-hosting.md puts the API behind
# nginx). Installed with apt-get, non-interactively, without starting it: the package would start a server on port 80
# of this machine; the check runs its own nginx on the throwaway server instead. Needs root.
set -euo pipefail

say() { echo "ensure-nginx: $*" >&2; }

# Installed and as new as the package lists know: the guide's `apt-get install -y nginx` is then a no-op on the
# throwaway server (which has no network to download an upgrade).
if [ -x /usr/sbin/nginx ] && ! apt-get -s -o Debug::NoLocking=1 install nginx 2>/dev/null | grep -q '^Inst '; then
  say "found $(/usr/sbin/nginx -v 2>&1)"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  say "nginx is not installed and apt-get is not here (not Debian or Ubuntu): install nginx by hand"
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt=(apt-get -o DPkg::Lock::Timeout=300 -o Acquire::Retries=3)
# policy-rc.d answering 101 tells the package's scripts not to start the service (Debian's invoke-rc.d policy).
policy=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"
  chmod 0755 "$policy"
  own_policy=1
fi
trap '[ "$own_policy" -eq 1 ] && rm -f "$policy"' EXIT

say "installing Debian's nginx package (not started):"
[ -x /usr/sbin/nginx ] || "${apt[@]}" update -q >&2
"${apt[@]}" install -y -q --no-install-recommends nginx >&2
say "installed $(/usr/sbin/nginx -v 2>&1)"
