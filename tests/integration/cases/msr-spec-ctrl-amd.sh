# needs: kvm
# SPEC_CTRL judged against the guest's model, AMD enumeration (0x80000008.EBX
# reaches the guest on every KVM).  The seed-004 case: a model with AMD STIBP but
# no AMD IBRS (Threadripper PRO 3955WX, 0x018cb757, cpu-generations.md §3.8) can
# set STIBP without #GP; IBRS and PSFD are refused and change nothing.
. "$ROOT/tests/integration/lib.sh"
m=$(variant zen2 tr-pro-no-ibrs 0x80000008.0x0.ebx=0x018cb757)
SVARGS="--cpu-model $m" probe cpuid:0x80000008 rd:0x48 wr:0x48=0x2 rd:0x48 wr:0x48=0x1 rd:0x48 \
	wr:0x48=0x6 rd:0x48 wr:0x48=0x80 rd:0x48 wr:0x48=0x400 rd:0x48
# the guest sees STIBP (bit 15) and SSBD (24), not IBRS (14); other bits may be
# limited to what the host has (non-security bits are ANDed with the host)
ebx=$(sed -n 's/^cpuid 0x80000008.0 eax=[^ ]* ebx=\(0x[0-9a-f]*\) .*/\1/p' "$WORK/out")
(( (ebx >> 15 & 1) && (ebx >> 24 & 1) && !(ebx >> 14 & 1) )) || fail "guest 0x80000008.EBX=$ebx"
expect_out '^rd 0x48 = 0x0$'
expect_out '^wr 0x48 0x2 ok$'
expect_out '^wr 0x48 0x1 #GP$'
expect_out '^wr 0x48 0x6 ok$'
expect_out '^wr 0x48 0x80 #GP$'
expect_out '^wr 0x48 0x400 #GP$'
# the reads after each refused write still show the last accepted value
[ "$(grep -c '^rd 0x48 = 0x2$' "$WORK/out")" = 2 ] || fail "refused IBRS write changed the value"
[ "$(grep -c '^rd 0x48 = 0x6$' "$WORK/out")" = 3 ] || fail "refused PSFD/BHI_DIS_S write changed the value"
expect_report spec_ctrl 0x6
expect_report msr_gp 3

# Zen 3 (KVM 6.18 view) enumerates IBRS and PSFD: both accepted.
SVARGS="--cpu-model zen3" probe wr:0x48=0x1 wr:0x48=0x81 rd:0x48 wr:0x48=0x8 rd:0x48
expect_out '^wr 0x48 0x1 ok$'
expect_out '^wr 0x48 0x81 ok$'
expect_out '^wr 0x48 0x8 #GP$'
[ "$(grep -c '^rd 0x48 = 0x81$' "$WORK/out")" = 2 ] || fail "Intel-only IPRED_DIS_U accepted on an AMD model"
