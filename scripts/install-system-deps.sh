#!/usr/bin/env bash
# Installs the Debian packages the build and tests need: Chromium for the end-to-end tests,
# git for worktrees and checkpoints, libsecret to build keytar, and gnome-keyring + D-Bus so
# keytar has a real Secret Service in tests. Skips what is already there.
set -euo pipefail
packages=(chromium git libsecret-1-dev gnome-keyring dbus dbus-x11 python3 make g++)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "system packages already installed"
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "Missing system packages: ${missing[*]}. Install them with your package manager (this script knows apt-get only)." >&2
  exit 1
fi
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}"
