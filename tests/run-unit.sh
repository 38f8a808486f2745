#!/usr/bin/env bash
# Runs cmocka unit-test binaries; prints one summary line per binary and a
# total "unit: N passed, N failed".  With VALGRIND=1 each runs under valgrind.
# Sets UNIT_PASSED/UNIT_FAILED when sourced-run via run-all.sh (printed last).
set -u
passed=0 failed=0 bad_bins=()
for t in "$@"; do
	name=$(basename "$t")
	if [ "${VALGRIND:-0}" = 1 ]; then
		out=$(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite "$t" 2>&1)
	else
		out=$("$t" 2>&1)
	fi
	rc=$?
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	p=${p:-0} f=${f:-0}
	if [ $rc -ne 0 ] && [ "$f" = 0 ]; then f=1; fi
	passed=$((passed + p)) failed=$((failed + f))
	if [ "$f" != 0 ]; then
		printf '%s\n' "$out" | grep -v '^\[ \(RUN\|      OK\) ' | tail -40
		printf '  FAIL  %-32s %s passed, %s failed (exit %s)\n' "$name" "$p" "$f" "$rc"
		bad_bins+=("$name")
	else
		printf '  ok    %-32s %s passed\n' "$name" "$p"
	fi
done
echo "unit: $passed passed, $failed failed"
echo "$passed $failed" > "${UNIT_RESULT:-/dev/null}"
[ "$failed" = 0 ]
