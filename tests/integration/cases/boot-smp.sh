# needs: kvm
# APs are started by the guest with INIT/SIPI through the in-kernel LAPIC;
# every vCPU reports in.
. "$ROOT/tests/integration/lib.sh"
for n in 1 2 4; do
	sv run --vcpus $n --kernel "$(guest smp)"
	expect_status 1
	expect_out "^smp: nb_cpus=$n\$"
	expect_out "^smp: $n/$n cpus online\$"
	for i in $(seq 0 $((n - 1))); do expect_out "^cpu $i online\$"; done
done
