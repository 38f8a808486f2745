# needs: kvm
# SPEC_CTRL bits of leaf 7.2 (which reaches the guest as set) on Intel models.
# KVM on Intel hosts also shows the AMD-style 0x80000008.EBX bits (Firecracker
# fingerprints, cpu-generations.md §1: 0x0100d200), which makes the MSR
# reachable here even though this KVM replaces leaf 7.0.
. "$ROOT/tests/integration/lib.sh"
spr=$(variant sapphirerapids spr-kvm 0x80000008.0x0.ebx=0x0100d200)
SVARGS="--cpu-model $spr" probe cpuid:0x7.2 wr:0x48=0x400 rd:0x48 wr:0x48=0x458 rd:0x48 \
	wr:0x48=0x100 rd:0x48 wr:0x48=0x200 rd:0x48
expect_out '^cpuid 0x7.2 eax=0x0 ebx=0x0 ecx=0x0 edx=0x17$'
expect_out '^wr 0x48 0x400 ok$'
expect_out '^rd 0x48 = 0x400$'
expect_out '^wr 0x48 0x458 ok$'       # BHI_DIS_S RRSBA_DIS_U IPRED_DIS_U SSBD... all enumerated
expect_out '^wr 0x48 0x100 #GP$'      # DDPD_U: SPR lacks 7.2:EDX[3]
expect_out '^wr 0x48 0x200 #GP$'      # bit 9: reserved (UNVERIFIED in the reference)
[ "$(grep -c '^rd 0x48 = 0x458$' "$WORK/out")" = 3 ] || fail "a refused write changed SPEC_CTRL"

gnr=$(variant graniterapids gnr-kvm 0x80000008.0x0.ebx=0x0100d200)
SVARGS="--cpu-model $gnr" probe cpuid:0x7.2 wr:0x48=0x100 rd:0x48
expect_out '^cpuid 0x7.2 eax=0x0 ebx=0x0 ecx=0x0 edx=0x3f$'
expect_out '^wr 0x48 0x100 ok$'       # Granite Rapids has DDPD_U
expect_out '^rd 0x48 = 0x100$'

# Ice Lake has no leaf 7.2: none of its bits are valid.
icx=$(variant icelake-server icx-kvm 0x80000008.0x0.ebx=0x0100d200)
SVARGS="--cpu-model $icx" probe wr:0x48=0x400 wr:0x48=0x40 wr:0x48=0x1 rd:0x48
expect_out '^wr 0x48 0x400 #GP$'
expect_out '^wr 0x48 0x40 #GP$'
expect_out '^wr 0x48 0x1 ok$'
expect_out '^rd 0x48 = 0x1$'
