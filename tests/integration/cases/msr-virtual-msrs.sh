# needs: kvm
# MSRs 0x50000000-2: every read/write/#GP rule of reference §3.2, discovered
# through the vendor-neutral CPUID leaf 0x40000100.
. "$ROOT/tests/integration/lib.sh"
SVARGS="--cpu-model zen4" probe cpuid:0x40000000 cpuid:0x40000100 cpuid:0x40000101 \
	rd:0x50000000 rd:0x50000001 rd:0x50000002 \
	wr:0x50000000=0x1 wr:0x50000001=0x3 wr:0x50000002=0x4 wr:0x50000002=0x2 rd:0x50000002 wr:0x50000002=0x0 rd:0x50000002
expect_out '^cpuid 0x40000000.0 eax=0x4000000[0-9a-f] ebx=0x4b4d564b ecx=0x564b4d56 edx=0x4d$'   # KVM's leaf intact
expect_out '^cpuid 0x40000100.0 eax=0x40000101 ebx=0x63657053 ecx=0x6f736976 edx=0x4d4d5672$'   # "SpecvisorVMM"
expect_out '^cpuid 0x40000101.0 eax=0x1 ebx=0x0 ecx=0x0 edx=0x0$'
expect_out '^rd 0x50000000 = 0x1$'
expect_out '^rd 0x50000001 = 0x[0-3]$'
expect_out '^rd 0x50000002 = 0x0$'
expect_out '^wr 0x50000000 0x1 #GP$'    # read-only
expect_out '^wr 0x50000001 0x3 #GP$'    # read-only
expect_out '^wr 0x50000002 0x4 #GP$'    # reserved bit
expect_out '^wr 0x50000002 0x2 ok$'
expect_out '^rd 0x50000002 = 0x2$'
expect_out '^rd 0x50000002 = 0x0$'

# --no-virt-msrs: no leaf, every access #GP, the guest library finds nothing
SVARGS="--cpu-model zen4 --no-virt-msrs" probe cpuid:0x40000100 rd:0x50000000 rd:0x50000002 wr:0x50000002=0x1 vmitig:bhb
expect_no_out 'ebx=0x63657053'
expect_out '^rd 0x50000000 #GP$'
expect_out '^rd 0x50000002 #GP$'
expect_out '^wr 0x50000002 0x1 #GP$'
expect_out '^vmitig detected=none'
