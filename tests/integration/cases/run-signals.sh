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
# A console reader that stalls (a FIFO nobody reads) must not keep specvisor
# from stopping: guest output goes through a thread of its own.
mkfifo "$WORK/fifo"
sleep 60 < "$WORK/fifo" & reader=$!
{ for i in $(seq 3000); do echo "line $i of a paste larger than the pipe buffer of a stalled reader"; done; } > "$WORK/in"
"$SPECVISOR" run --kernel "$(guest echo)" < "$WORK/in" > "$WORK/fifo" 2> "$WORK/err.stall" &
pid=$!
sleep 2
kill -TERM $pid
STATUS=0; wait $pid || STATUS=$?
kill $reader 2>/dev/null
expect_status 143
# and a reader that goes away (EPIPE) does not kill it either
STATUS=0
"$SPECVISOR" run --kernel "$(guest hello)" 2> "$WORK/err.pipe" | true || true
"$SPECVISOR" run --kernel "$(guest cmdline)" --append "$(head -c 3000 /dev/zero | tr '\0' x)" 2> "$WORK/err.pipe" | head -c 10 > /dev/null
STATUS=${PIPESTATUS[0]}
expect_status 1
