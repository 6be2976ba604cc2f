#!/usr/bin/env bash
# Makes sure curl is installed, for the README's first order by curl, which a test runs as written
# (tests/OrderPayments.Api.Tests/Docs/ReadmeFirstOrderTests.cs runs this script first):
#
#   bash eng/docs/ensure-curl.sh
#
# curl on PATH is used as it is. Otherwise Debian's `curl` package is installed (eng/apt/install.sh: apt-get, as root
# or through sudo). What it does goes to stderr.
set -euo pipefail

say() { echo "ensure-curl: $*" >&2; }

if command -v curl >/dev/null 2>&1; then
  say "found $(command -v curl)"
  exit 0
fi

say "curl is not installed; installing Debian's curl package:"
bash "$(dirname "$0")/../apt/install.sh" curl

if ! command -v curl >/dev/null 2>&1; then
  say "apt-get installed curl, but no curl is on PATH"
  exit 1
fi

say "installed $(curl --version | head -n 1)"
