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

# Fuzz targets replay their committed corpus: every input that ever found a
# bug stays a regression test.  (make fuzz explores further.)
fp=0 ff=0
if [ -n "${FUZZ_BINS:-}" ]; then
	echo "== fuzz corpus replay"
	for fz in $FUZZ_BINS; do
		n=$(basename "$fz")
		if "$fz" -runs=0 "tests/fuzz/corpus/$n" > "$tmp/$n.log" 2>&1; then
			fp=$((fp + 1)); printf '  ok    %-32s %s inputs\n' "$n" "$(ls "tests/fuzz/corpus/$n" | wc -l)"
		else
			ff=$((ff + 1)); printf '  FAIL  %s\n' "$n"; tail -30 "$tmp/$n.log"
		fi
	done
	echo "fuzz: $fp passed, $ff failed"
fi

p=$((up + ip + fp)) f=$((uf + if_ + ff))
echo
echo "total: $p passed, $f failed, $is skipped"
[ "$f" = 0 ]
