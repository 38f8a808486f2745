# needs: kvm
# fw_cfg tells the guest its CPU count and RAM size.
. "$ROOT/tests/integration/lib.sh"
sv run --kernel "$(guest fw_cfg)" --vcpus 3 --mem 96M
expect_status 1
expect_out '^fw_cfg.signature: QEMU$'
expect_out '^fw_cfg.nb_cpus: 3$'
expect_out '^fw_cfg.ram_size: 0x6000000$'
