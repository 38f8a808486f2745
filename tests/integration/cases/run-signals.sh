# needs: kvm
# SIGTERM and SIGINT stop a running guest cleanly: status 128+N, a message.
. "$ROOT/tests/integration/lib.sh"
for sig in TERM INT; do
	"$SPECVISOR" run --kernel "$(guest idle)" --vcpus 2 > "$WORK/out" 2> "$WORK/err" < /dev/null &
	pid=$!
	for _ in $(seq 100); do grep -q 'idle: waiting' "$WORK/out" && break; sleep 0.05; done
	grep -q 'idle: waiting' "$WORK/out" || {
		for t in /proc/$pid/task/*; do echo "$t: $(cat "$t/wchan" 2>/dev/null) $(awk '{print $3}' "$t/stat" 2>/dev/null)"; done
		kill -9 $pid; fail "guest did not start"; }
	kill -$sig $pid
	STATUS=0; wait $pid || STATUS=$?
	case $sig in TERM) expect_status 143 ;; INT) expect_status 130 ;; esac
	expect_err 'received signal'
done
