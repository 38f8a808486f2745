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
