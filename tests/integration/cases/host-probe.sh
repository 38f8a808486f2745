# needs: kvm
# host probe writes this host's profile as JSON, and it reads back.
. "$ROOT/tests/integration/lib.sh"
sv host probe
expect_status 0
python3 - "$WORK/out" <<'PY' || fail "bad profile"
import json, sys
p = json.load(open(sys.argv[1]))
for k in ("cpuid", "caps", "kernel", "vendor", "arch_capabilities", "unpresentable"):
    assert k in p, k
for c in ("msr_filter", "user_space_msr", "bus_lock_exit", "spec_ctrl_loadable", "cet_loadable"):
    assert c in p["caps"], c
assert p["caps"]["msr_filter"] is True
assert len(p["cpuid"]) > 10
PY
sv host probe --output "$WORK/h.json"; expect_status 0
# a probed profile feeds the planner like a hand-written one
sv pool check zen4 "$WORK/h.json"
[ "$STATUS" -le 1 ] || fail "pool check failed to run on a probed profile"
sv pool baseline "$WORK/h.json" --output "$WORK/self.json"
expect_status 0
sv pool check "$WORK/self.json" "$WORK/h.json"
expect_status 0; expect_out '^compatible'
