#!/usr/bin/env bash
# Installs what ka2pcmk's tests and demo need on a Debian 12 machine, as root:
# Debian's keepalived, Pacemaker and its tools, pcs, crmsh, the resource
# agents, sshd and iproute2 (for the namespace lab), Chromium (report
# rendering), then the npm dependencies from the lockfile. Idempotent: it
# installs only what is missing. Daemons are not started on the host
# (a policy-rc.d refuses it while apt runs): the lab starts its own copies
# inside namespaces.
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS=(keepalived pacemaker pacemaker-cli-utils corosync pcs crmsh resource-agents
      openssh-server openssh-client iproute2 iputils-ping procps psmisc util-linux e2fsprogs
      python3 ca-certificates kmod chromium zsh groff-base man-db)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  policy=/usr/sbin/policy-rc.d
  saved=""
  if [[ -e $policy ]]; then saved=$(mktemp); cp -p "$policy" "$saved"; fi
  printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod 755 "$policy"
  restore() { if [[ -n $saved ]]; then mv "$saved" "$policy"; else rm -f "$policy"; fi; }
  trap restore EXIT
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
  restore; trap - EXIT
fi

if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund
fi
