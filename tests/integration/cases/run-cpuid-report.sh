# needs: kvm
# Security CPUID bits this host's KVM does not present as asked are reported
# (leaf, register, bit, wanted, got); --cpuid-enforce refuses to start instead.
. "$ROOT/tests/integration/lib.sh"
sv run --kernel "$(guest hello)" --cpu-model sapphirerapids
expect_status 1
n=$(grep -c "warning: this host's KVM changed CPUID" "$WORK/err" || true)
"$SPECVISOR" host probe > "$WORK/host.json"
pc=0; "$SPECVISOR" pool check sapphirerapids "$WORK/host.json" > /dev/null 2>&1 || pc=$?
sv run --kernel "$(guest hello)" --cpu-model sapphirerapids --cpuid-enforce
if [ "$n" -gt 0 ] || [ "$pc" != 0 ]; then
	# the model cannot run here as defined: refused, nothing runs
	expect_status 2
	expect_err 'error: --cpuid-enforce: '
	expect_no_out hello
else
	expect_status 1
fi
# a model made from this host's own profile passes --cpuid-enforce
sv pool baseline "$WORK/host.json" --output "$WORK/self.json"
expect_status 0
sv run --kernel "$(guest hello)" --cpu-model "$WORK/self.json" --cpuid-enforce
expect_status 1
expect_out hello
# the report says honestly whether SPEC_CTRL could be loaded into KVM
loadable=$(python3 -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["caps"]["spec_ctrl_loadable"]))' "$WORK/host.json")
spr=$(variant sapphirerapids spr-kvm 0x80000008.0x0.ebx=0x0100d200)
SVARGS="--cpu-model $spr" probe wr:0x48=0x1
if [ "$loadable" = 1 ]; then expect_report loaded True; else
	expect_report loaded False
	report hardware | grep -q 'not enforced in hardware on this host' || fail "hardware state not reported"
fi
