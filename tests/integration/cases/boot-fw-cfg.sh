# needs: kvm
# fw_cfg tells the guest its CPU count and RAM size.
. "$ROOT/tests/integration/lib.sh"
sv run --kernel "$(guest fw_cfg)" --vcpus 3 --mem 96M
expect_status 1
expect_out '^fw_cfg.signature: QEMU$'
expect_out '^fw_cfg.nb_cpus: 3$'
expect_out '^fw_cfg.ram_size: 0x6000000$'
# the file directory carries the CPU model's name
sv run --kernel "$(guest fw_cfg)" --cpu-model zen4
expect_status 1
expect_out '^fw_cfg.files: 1$'
expect_out '^fw_cfg.file: opt/specvisor/cpu-model size=4 data=zen4$'
