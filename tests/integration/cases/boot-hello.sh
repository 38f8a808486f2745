# needs: kvm
# The smallest multiboot guest prints and exits through isa-debug-exit 0 -> status 1.
. "$ROOT/tests/integration/lib.sh"
sv run --kernel "$(guest hello)"
expect_status 1
expect_out '^hello from specvisor guest$'
expect_no_err 'error|warning'
