#!/usr/bin/env bash
# Installs what building, testing and the demo need on Debian 12, and nothing when it is all there.
# Debian packages: JDK 17 and Maven to build; PostgreSQL 15, etcd and HAProxy run as real processes
# in the tests; iproute2/nftables for the network-namespace suites; rpm (rpmbuild) and systemd
# (systemd-analyze) for scripts/package.sh and the packaging tests; openssh-server (sshd, ssh-keygen)
# and openssh-client (ssh-keyscan) for the provisioner's sandbox, whose hosts each run a real sshd;
# pgbackrest for the backup and restore tests; patroni (3.0.2) for the migration tests, which run real
# Patroni daemons beside pgha ones.
set -euo pipefail

packages=(openjdk-17-jdk-headless maven postgresql-15 postgresql-client-15 etcd-server etcd-client haproxy
          rpm systemd openssh-server openssh-client pgbackrest patroni
          iproute2 nftables util-linux procps curl ca-certificates)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "install-deps: run as root or install sudo" >&2; exit 1; }
    sudo_cmd=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  # Debian starts the etcd/haproxy/postgresql services on install where systemd runs; our tests
  # start their own processes on free ports, so the packaged services are not needed.
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# PostgreSQL refuses to run as root; the tests and the demo run it as this unprivileged user.
if ! id postgres >/dev/null 2>&1; then
  echo "install-deps: user 'postgres' missing (postgresql-common should have created it)" >&2
  exit 1
fi
