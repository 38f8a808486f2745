#!/usr/bin/env bash
# make check: unit tests, then integration tests; the last line is the total.
# usage: run-all.sh SPECVISOR GUESTDIR UNIT_BIN...
set -u
bin=$1 guests=$2
shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== unit tests"
UNIT_RESULT=$tmp/unit tests/run-unit.sh "$@"
read -r up uf < "$tmp/unit" || { up=0; uf=1; }

echo "== integration tests"
SPECVISOR=$bin GUESTS=$guests INTEGRATION_RESULT=$tmp/integ tests/integration/run.sh
read -r ip if_ is < "$tmp/integ" || { ip=0; if_=1; is=0; }

p=$((up + ip)) f=$((uf + if_))
echo
echo "total: $p passed, $f failed, $is skipped"
[ "$f" = 0 ]
