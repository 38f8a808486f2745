# needs: kvm
# IA32_PRED_CMD and IA32_FLUSH_CMD are write-only commands, checked against the
# model and the host (reference §1.4, §1.5).
. "$ROOT/tests/integration/lib.sh"
SVARGS="--cpu-model zen3 --host-profile $ROOT/data/hosts/zen3.json" probe \
	rd:0x49 wr:0x49=0x0 wr:0x49=0x1 wr:0x49=0x2 wr:0x49=0x80 rd:0x10b wr:0x10b=0x2
expect_out '^rd 0x49 #GP$'
expect_out '^wr 0x49 0x0 ok$'
expect_out '^wr 0x49 0x1 ok$'          # IBPB: AMD_IBPB in the model and on the host
expect_out '^wr 0x49 0x2 #GP$'         # reserved
expect_out '^rd 0x10b #GP$'
expect_out '^wr 0x10b 0x2 #GP$'
# a model without IBPB (Ice Lake, no AMD-style bits, and this KVM hides 7.0 SPEC_CTRL
# or not: judged by what the guest sees)
SVARGS="--cpu-model icelake-server --host-profile $ROOT/data/hosts/icelake.json" probe cpuid:0x7.0 cpuid:0x80000008 wr:0x49=0x1
edx=$(sed -n 's/^cpuid 0x7.0 .* edx=\(0x[0-9a-f]*\)$/\1/p' "$WORK/out")
ebx=$(sed -n 's/^cpuid 0x80000008.0 eax=[^ ]* ebx=\(0x[0-9a-f]*\) .*/\1/p' "$WORK/out")
if (( (edx >> 26 & 1) || (ebx >> 12 & 1) )); then expect_out '^wr 0x49 0x1 ok$'; else expect_out '^wr 0x49 0x1 #GP$'; fi
