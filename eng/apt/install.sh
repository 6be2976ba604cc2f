#!/usr/bin/env bash
# Installs Debian packages with apt-get, for the scripts that make sure a tool the tests need is there
# (eng/browser/ensure-chromium.sh, eng/docs/ensure-curl.sh):
#
#   bash eng/apt/install.sh PACKAGE...
#
# Non-interactively and without recommended packages. Needs root, or sudo when not root (sudo -n when there is no
# terminal to ask for a password). Waits for another apt or dpkg run (another test process, another build) instead of
# failing on its lock. Everything it prints goes to stderr.
set -euo pipefail

say() { echo "apt-install: $*" >&2; }

if [ "$#" -eq 0 ]; then
  say "usage: install.sh PACKAGE..."
  exit 2
fi

if ! command -v apt-get >/dev/null 2>&1; then
  say "apt-get is not here (not Debian or Ubuntu): install $* by hand"
  exit 1
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    say "installing $* needs root, and sudo is not here: run this as root"
    exit 1
  fi
  if [ -t 0 ]; then as_root=(sudo); else as_root=(sudo -n); fi
fi

export DEBIAN_FRONTEND=noninteractive
apt=(apt-get -o DPkg::Lock::Timeout=300 -o Acquire::Retries=3)

say "  ${as_root[*]}${as_root:+ }${apt[*]} update -q"
"${as_root[@]}" "${apt[@]}" update -q >&2
say "  ${as_root[*]}${as_root:+ }${apt[*]} install -y -q --no-install-recommends $*"
"${as_root[@]}" "${apt[@]}" install -y -q --no-install-recommends "$@" >&2
