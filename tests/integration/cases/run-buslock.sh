# needs: kvm
# --bus-lock-ratelimit needs KVM's bus-lock exit: refused with a line naming
# the capability where the host lacks it, unless ...-optional (then a warning).
. "$ROOT/tests/integration/lib.sh"
"$SPECVISOR" host probe > "$WORK/host.json" || fail "host probe"
has=$(python3 -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["caps"]["bus_lock_exit"]))' "$WORK/host.json")
sv run --kernel "$(guest hello)" --bus-lock-ratelimit 100 --report json --report-file "$WORK/r.json"
if [ "$has" = 1 ]; then
	expect_status 1; expect_out 'hello from specvisor guest'
else
	expect_status 2; expect_one_error 'KVM_CAP_X86_BUS_LOCK_EXIT'
	expect_no_out 'hello'
	sv run --kernel "$(guest hello)" --bus-lock-ratelimit 100 --bus-lock-ratelimit-optional
	expect_status 1; expect_out 'hello from specvisor guest'
	expect_err 'warning:.*KVM_CAP_X86_BUS_LOCK_EXIT'
fi
