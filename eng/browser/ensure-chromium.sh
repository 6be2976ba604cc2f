#!/usr/bin/env bash
# Makes sure a Chromium is installed for the browser tests, and prints its path as the last line on stdout.
#
#   bash eng/browser/ensure-chromium.sh
#
# A Chromium already on the machine (chromium, chromium-browser, google-chrome…) is used as it is. Otherwise Debian's
# `chromium` package is installed with apt-get (eng/apt/install.sh), non-interactively and without recommended packages
# (those would bring systemd, avahi and printing tools; chromium runs headless without them). Needs root, or sudo when
# not root (sudo -n when there is no terminal to ask for a password). What it does goes to stderr; only the path goes
# to stdout.
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

say "no Chromium found; installing Debian's chromium package:"
bash "$(dirname "$0")/../apt/install.sh" chromium

if ! path=$(find_chromium); then
  say "apt-get installed chromium, but no chromium is on PATH"
  exit 1
fi

say "installed $("$path" --version 2>/dev/null || echo chromium) at $path"
echo "$path"
