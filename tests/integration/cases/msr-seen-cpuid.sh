# needs: kvm
# For every built-in model: the MSR layer agrees with the CPUID the guest really
# sees (read back from KVM, which may rewrite leaf 7.0): an MSR answers iff its
# enumeration is visible.
. "$ROOT/tests/integration/lib.sh"
for m in $("$SPECVISOR" model list | awk 'NR > 1 {print $1}'); do
	SVARGS="--cpu-model $m" probe cpuid:0x7.0 cpuid:0x80000008 cpuid:0x80000001 rd:0x48 rd:0x10a rd:0x6a0 rd:0x6a8 rd:0xda0
	python3 - "$WORK/out" "$m" <<'PY' || fail "model $m: MSR answers disagree with the CPUID the guest sees"
import re, sys
out = open(sys.argv[1]).read()
def reg(leaf, r):
    return int(re.search(r"^cpuid %s eax=0x(\w+) ebx=0x(\w+) ecx=0x(\w+) edx=0x(\w+)$" % re.escape(leaf), out, re.M).group("abcd".index(r) + 1), 16)
def gp(msr):
    return re.search(r"^rd 0x%x #GP$" % msr, out, re.M) is not None
e7d, e7c, e8b = reg("0x7.0", "d"), reg("0x7.0", "c"), reg("0x80000008.0", "b")
spec = (e7d >> 26 & 1) or any(e8b >> b & 1 for b in (14, 15, 24))   # §1.2
shstk, ibt = e7c >> 7 & 1, e7d >> 20 & 1
checks = {
    "SPEC_CTRL": gp(0x48) == (not spec),
    "ARCH_CAPABILITIES": gp(0x10a) == (not (e7d >> 29 & 1)),
    "U_CET": gp(0x6a0) == (not (shstk or ibt)),                      # §4.3
    "INT_SSP_TAB": gp(0x6a8) == (not shstk),
}
bad = [k for k, ok in checks.items() if not ok]
if bad:
    print(sys.argv[2], "inconsistent:", bad); sys.exit(1)
PY
done
