# needs: kvm
# A 64-bit ELF without a multiboot header is entered directly in long mode.
. "$ROOT/tests/integration/lib.sh"
sv run --kernel "$(guest hello64)" --verbose
expect_status 1
expect_out '^hello from specvisor guest$'
expect_err 'loaded as ELF64'
