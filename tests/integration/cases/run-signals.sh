# needs: kvm
# SIGTERM and SIGINT stop a running guest cleanly: status 128+N, a message.
. "$ROOT/tests/integration/lib.sh"
for sig in TERM INT; do
	out=$WORK/out.$sig err=$WORK/err.$sig
	"$SPECVISOR" run --kernel "$(guest idle)" --vcpus 2 > "$out" 2> "$err" < /dev/null &
	pid=$!
	for _ in $(seq 600); do grep -qs 'idle: waiting' "$out" && break; sleep 0.05; done
	grep -qs 'idle: waiting' "$out" || {
		for t in /proc/$pid/task/*; do echo "$t: $(cat "$t/wchan" 2>/dev/null) $(awk '{print $3}' "$t/stat" 2>/dev/null)"; done
		cat "$out" "$err"; kill -9 $pid; fail "guest did not start"; }
	kill -$sig $pid
	STATUS=0; wait $pid || STATUS=$?
	case $sig in TERM) expect_status 143 ;; INT) expect_status 130 ;; esac
	grep -q 'received signal' "$err" || fail "no message on stderr"
done
