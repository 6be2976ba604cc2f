#!/usr/bin/env bash
# Makes sure a Chromium is installed for the browser tests, and prints its path as the last line on stdout.
#
#   bash eng/browser/ensure-chromium.sh
#
# A Chromium already on the machine (chromium, chromium-browser, google-chrome…) is used as it is. Otherwise Debian's
# `chromium` package is installed with apt-get, non-interactively and without recommended packages (those would bring
# systemd, avahi and printing tools; chromium runs headless without them). Needs root, or sudo when not root (sudo -n
# when there is no terminal to ask for a password). What it does goes to stderr; only the path goes to stdout.
# tests/OrderPayments.Api.Tests/OperatorPage/Chromium.cs runs this when it finds no browser.
set -euo pipefail

say() { echo "ensure-chromium: $*" >&2; }

find_chromium() {
  local name
  for name in chromium chromium-browser google-chrome-stable google-chrome; do
    if command -v "$name" >/dev/null 2>&1; then
      command -v "$name"
      return 0
    fi
  done
  return 1
}

if path=$(find_chromium); then
  say "found $path"
  echo "$path"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  say "no Chromium found, and apt-get is not here (not Debian or Ubuntu): install Chromium or Chrome by hand"
  exit 1
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    say "no Chromium found; installing it needs root, and sudo is not here: run this script as root"
    exit 1
  fi
  if [ -t 0 ]; then as_root=(sudo); else as_root=(sudo -n); fi
fi

export DEBIAN_FRONTEND=noninteractive
# Wait for another apt or dpkg run (another test process, another build) instead of failing on its lock.
apt=(apt-get -o DPkg::Lock::Timeout=300 -o Acquire::Retries=3)

say "no Chromium found; installing Debian's chromium package:"
say "  ${as_root[*]}${as_root:+ }${apt[*]} update -q"
"${as_root[@]}" "${apt[@]}" update -q >&2
say "  ${as_root[*]}${as_root:+ }${apt[*]} install -y -q --no-install-recommends chromium"
"${as_root[@]}" "${apt[@]}" install -y -q --no-install-recommends chromium >&2

if ! path=$(find_chromium); then
  say "apt-get installed chromium, but no chromium is on PATH"
  exit 1
fi

say "installed $("$path" --version 2>/dev/null || echo chromium) at $path"
echo "$path"
