#!/usr/bin/env bash
# Installs or upgrades the self-hosted API from a `dotnet publish` folder (docs/self-hosting.md). Run as root:
#   deploy/install.sh out/orderpayments
# - the system user and group `orderpayments` (no login, no home of its own);
# - the app in /opt/orderpayments (files root's, read-only to the service); the version it replaces is kept in
#   /opt/orderpayments.previous for a rollback;
# - /etc/orderpayments/orderpayments.env from deploy/orderpayments.env the first time only (mode 0640, root:orderpayments);
# - /var/backups/orderpayments for the backups (0750, orderpayments's);
# - the units orderpayments.service, orderpayments-backup.service and orderpayments-backup.timer, then systemd reloads.
# It starts nothing: `systemctl enable --now orderpayments orderpayments-backup.timer` does, once the settings are in.
set -euo pipefail

publish="${1:?usage: deploy/install.sh PUBLISH_FOLDER (the folder dotnet publish wrote)}"
here="$(cd "$(dirname "$0")" && pwd)"
if [ ! -x "$publish/OrderPayments.Api" ]; then
  echo "$publish has no OrderPayments.Api executable: give the folder dotnet publish wrote (-o)." >&2
  exit 2
fi

getent group orderpayments >/dev/null || groupadd --system orderpayments
getent passwd orderpayments >/dev/null ||
  useradd --system --gid orderpayments --home-dir /var/lib/orderpayments --no-create-home --shell /usr/sbin/nologin orderpayments

# The new version beside the old, then swapped: a running service keeps the files it has open until it restarts.
rm -rf /opt/orderpayments.next
install -d -m 0755 /opt/orderpayments.next
cp -R "$publish/." /opt/orderpayments.next/
chown -R root:root /opt/orderpayments.next
chmod -R u=rwX,go=rX /opt/orderpayments.next
if [ -d /opt/orderpayments ]; then
  rm -rf /opt/orderpayments.previous
  mv /opt/orderpayments /opt/orderpayments.previous
fi
mv /opt/orderpayments.next /opt/orderpayments

install -d -m 0750 -o root -g orderpayments /etc/orderpayments
if [ ! -e /etc/orderpayments/orderpayments.env ]; then
  install -m 0640 -o root -g orderpayments "$here/orderpayments.env" /etc/orderpayments/orderpayments.env
  echo "Wrote /etc/orderpayments/orderpayments.env: fill in the API keys and the Vipps settings before starting."
fi

install -d -m 0750 -o orderpayments -g orderpayments /var/backups/orderpayments
install -m 0644 "$here/orderpayments.service" "$here/orderpayments-backup.service" "$here/orderpayments-backup.timer" /etc/systemd/system/
systemctl daemon-reload
echo "Installed $publish in /opt/orderpayments (the version it replaced, if any, in /opt/orderpayments.previous)."
