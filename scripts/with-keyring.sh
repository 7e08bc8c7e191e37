#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring, so keytar
# talks to a real Secret Service. Without dbus-run-session/gnome-keyring it runs the command
# as it is, and tests that need the keychain say why they skip.
set -euo pipefail
if [[ -n "${ORCHESTRATOR_IN_KEYRING:-}" ]] || ! command -v dbus-run-session >/dev/null || ! command -v gnome-keyring-daemon >/dev/null; then
  exec "$@"
fi
export ORCHESTRATOR_IN_KEYRING=1
exec dbus-run-session -- bash -c 'echo -n ci-keyring-pass | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec "$@"' keyring "$@"
