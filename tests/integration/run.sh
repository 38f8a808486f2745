#!/usr/bin/env bash
# Integration tests: each tests/integration/cases/*.sh is one test that boots
# real guests on KVM (or checks the command line) and exits 0 (pass), 77 (skip)
# or anything else (fail).  A case whose file says "# needs: kvm" is skipped,
# LOUDLY, when /dev/kvm is not usable; the others always run.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export SPECVISOR=${SPECVISOR:-$root/build/specvisor}
export GUESTS=${GUESTS:-$root/build/guest}
case $SPECVISOR in /*) ;; *) SPECVISOR=$root/$SPECVISOR ;; esac
case $GUESTS in /*) ;; *) GUESTS=$root/$GUESTS ;; esac
export ROOT=$root
# VALGRIND=1: every specvisor run goes through valgrind; an error fails the case.
if [ "${VALGRIND:-0}" = 1 ]; then
	wrap=$(mktemp -d)/specvisor
	printf '#!/bin/sh\nexec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite "%s" "$@"\n' "$SPECVISOR" > "$wrap"
	chmod +x "$wrap"
	SPECVISOR=$wrap
fi
timeout_s=${CASE_TIMEOUT:-180}

kvm_reason=""
if [ ! -e /dev/kvm ]; then
	kvm_reason="/dev/kvm does not exist"
elif [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
	kvm_reason="no read/write permission on /dev/kvm"
elif ! probe_err=$("$SPECVISOR" host probe 2>&1 >/dev/null); then
	kvm_reason="specvisor host probe failed: $probe_err"
fi

# Cases that also run without KVM use this to skip their KVM part.
if [ -z "$kvm_reason" ]; then export KVM_OK=1; else export KVM_OK=0; fi
passed=0 failed=0 skipped=0 failures=()
for t in "$here"/cases/${CASES:-*}.sh; do
	name=$(basename "$t" .sh)
	if [ -n "$kvm_reason" ] && grep -q '^# needs: kvm' "$t"; then
		skipped=$((skipped + 1))
		printf '  SKIP  %s\n' "$name"
		continue
	fi
	work=$(mktemp -d)
	start=$EPOCHREALTIME
	WORK=$work timeout -k 5 "$timeout_s" bash "$t" > "$work/case.log" 2>&1
	rc=$?
	dur=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
	case $rc in
	0)  passed=$((passed + 1)); printf '  ok    %-36s %ss\n' "$name" "$dur" ;;
	77) skipped=$((skipped + 1)); printf '  SKIP  %-36s %s\n' "$name" "$(tail -1 "$work/case.log")" ;;
	*)  failed=$((failed + 1)); failures+=("$name")
	    printf '  FAIL  %-36s (exit %s%s)\n' "$name" "$rc" "$([ $rc = 124 ] && echo ", timed out after ${timeout_s}s")"
	    sed 's/^/        | /' "$work/case.log" | tail -60 ;;
	esac
	rm -rf "$work"
done

if [ -n "$kvm_reason" ]; then
	echo
	echo "  ************************************************************************"
	echo "  *** $skipped INTEGRATION TESTS SKIPPED: KVM is not usable here:"
	echo "  ***   $kvm_reason"
	echo "  *** They did NOT pass. Run on a machine with /dev/kvm to test the VMM."
	echo "  ************************************************************************"
fi
echo "integration: $passed passed, $failed failed, $skipped skipped"
echo "$passed $failed $skipped" > "${INTEGRATION_RESULT:-/dev/null}"
[ "$failed" = 0 ]
