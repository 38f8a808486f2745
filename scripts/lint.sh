#!/usr/bin/env bash
# Static analysis: cppcheck and the clang static analyzer (scan-build) over
# src/.  Installs them if missing.  Exit 1 on any finding.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v cppcheck >/dev/null || need+=(cppcheck)
command -v scan-build >/dev/null || need+=(clang-tools)
if [ ${#need[@]} -gt 0 ]; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
out=$(cppcheck --quiet --enable=warning,portability --std=c11 -Isrc src 2>&1)
if [ -n "$out" ]; then
	echo "$out"
	exit 1
fi
echo "cppcheck: no findings"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
scan-build -o "$tmp/report" --status-bugs make -s BUILD="$tmp/build" CC=clang "$tmp/build/libspecvisor.a" "$tmp/build/specvisor"
