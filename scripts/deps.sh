#!/usr/bin/env bash
# Installs the Debian packages that building and testing specvisor need.
# Idempotent: does nothing when everything is already there.
set -euo pipefail

pkgs=(make gcc clang binutils libc6-dev libjansson-dev libcmocka-dev valgrind
      libclang-rt-dev python3)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "deps: all build and test packages present"
	exit 0
fi
echo "deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
else
	SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
