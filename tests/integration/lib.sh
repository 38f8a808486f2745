# Helpers for integration cases (sourced).  $SPECVISOR, $GUESTS, $WORK, $ROOT
# are set by run.sh.
set -u

fail() { echo "FAIL: $*"; [ -f "$WORK/out" ] && { echo "--- guest stdout:"; tail -30 "$WORK/out"; }; \
	[ -f "$WORK/err" ] && { echo "--- stderr:"; tail -30 "$WORK/err"; }; exit 1; }
skip() { echo "$*"; exit 77; }

# sv ARGS...: run specvisor; stdout -> $WORK/out, stderr -> $WORK/err, status -> $STATUS
sv() {
	STATUS=0
	"$SPECVISOR" "$@" > "$WORK/out" 2> "$WORK/err" < /dev/null || STATUS=$?
	echo "+ specvisor $* -> $STATUS"
}
# guest NAME: path of a test guest
guest() { echo "$GUESTS/tests/$1.elf"; }

expect_status() { [ "$STATUS" = "$1" ] || fail "exit status $STATUS, expected $1"; }
expect_out() { grep -Eq -- "$1" "$WORK/out" || fail "stdout lacks /$1/"; }
expect_no_out() { ! grep -Eq -- "$1" "$WORK/out" || fail "stdout has /$1/"; }
expect_err() { grep -Eq -- "$1" "$WORK/err" || fail "stderr lacks /$1/"; }
expect_no_err() { ! grep -Eq -- "$1" "$WORK/err" || fail "stderr has /$1/"; }
# one-line error: exactly one "specvisor: error:" line
expect_one_error() {
	local n
	n=$(grep -c '^specvisor: error:' "$WORK/err")
	[ "$n" = 1 ] || fail "expected exactly one error line, got $n"
	expect_err "$1"
}

# variant BASE NAME SPEC...: a test-only variant of a built-in model, path echoed
variant() {
	local base=$1 name=$2
	shift 2
	python3 "$ROOT/tests/integration/model_variant.py" "$ROOT/data/models/$base.json" "$WORK/$name.json" "$name" "$@"
	echo "$WORK/$name.json"
}
# probe OPS...: run the msrprobe guest with ops; extra specvisor args in $SVARGS
probe() {
	sv run --kernel "$(guest msrprobe)" ${SVARGS:-} --report json --report-file "$WORK/report.json" --append "$*"
	expect_status 1
	expect_out '^msrprobe: done$'
}
# report FIELD [VCPU]: a field of vCPU VCPU (default 0) from the last JSON report
report() {
	python3 -c 'import json,sys; v=json.load(open(sys.argv[1]))["vcpus"][int(sys.argv[3])][sys.argv[2]]; print("\n".join(v) if isinstance(v, list) else v)' \
		"$WORK/report.json" "$1" "${2:-0}"
}
expect_report() { local got; got=$(report "$1"); [ "$got" = "$2" ] || fail "report $1 = $got, expected $2"; }
