# needs: kvm
# The bundled demonstration guest (no --kernel) negotiates and powers off: status 0.
. "$ROOT/tests/integration/lib.sh"
sv run --report text
expect_status 0
expect_out '^demo: specvisor demonstration guest$'
expect_out '^hypervisor.0x40000100: "SpecvisorVMM" max=0x40000101$'
expect_out '^vmitig.detected: (archcap|hvleaf)$'
expect_out '^vmitig.report: retpoline bhb_clear_loop$'
expect_out '^demo: done$'
expect_err '=== specvisor security-control report ==='
expect_err 'reported mitigations: retpoline,bhb-clear-loop'

# What `make run` shows: a guest on a Cascade Lake + Sapphire Rapids pool model,
# as if on the Sapphire Rapids host, gets RRSBA_DIS_S and BHI_DIS_S forced, tries
# to clear SPEC_CTRL and reads back only its own value.
"$SPECVISOR" pool baseline "$ROOT/data/hosts/cascadelake.json" "$ROOT/data/hosts/sapphirerapids.json" \
	--name clx-spr-pool --output "$WORK/pool.json" 2> /dev/null || fail "pool baseline"
sv run --cpu-model "$WORK/pool.json" --host-profile "$ROOT/data/hosts/sapphirerapids.json" \
	--report json --report-file "$WORK/report.json"
expect_status 0
expect_out '^cpu.brand: specvisor clx-spr-pool CPU model$'
expect_out '^vmitig.mitigation_ctrl: 0x3 '
expect_out '^spec_ctrl.write: 0x0 ok$'
expect_out '^spec_ctrl.readback: 0x0$'
expect_report spec_ctrl 0x0
expect_report spec_ctrl_in_force 0x440
expect_report forced_mask 0x440
