# needs: kvm
# Security CPUID bits this host's KVM does not present as asked are reported
# (leaf, register, bit, wanted, got); --cpuid-enforce refuses to start instead.
. "$ROOT/tests/integration/lib.sh"
sv run --kernel "$(guest hello)" --cpu-model sapphirerapids
expect_status 1
n=$(grep -c "warning: this host's KVM changed CPUID" "$WORK/err" || true)
sv run --kernel "$(guest hello)" --cpu-model sapphirerapids --cpuid-enforce
if [ "$n" -gt 0 ]; then
	expect_status 2
	expect_err 'error: this host.s KVM changed CPUID\.0x[0-9a-f]+\.[0-9]+:E[A-D]X\[[0-9]+\] [A-Z_]+: wanted [01], got [01]'
	expect_err "error: --cpuid-enforce: KVM on this host does not present $n security CPUID bit"
	expect_no_out hello
else
	expect_status 1
fi
# the report says honestly whether SPEC_CTRL could be loaded into KVM
"$SPECVISOR" host probe > "$WORK/host.json"
loadable=$(python3 -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["caps"]["spec_ctrl_loadable"]))' "$WORK/host.json")
spr=$(variant sapphirerapids spr-kvm 0x80000008.0x0.ebx=0x0100d200)
SVARGS="--cpu-model $spr" probe wr:0x48=0x1
if [ "$loadable" = 1 ]; then expect_report loaded True; else
	expect_report loaded False
	report hardware | grep -q 'not enforced in hardware on this host' || fail "hardware state not reported"
fi
