# needs: kvm
# A triple fault stops the VM cleanly with its own exit status and a message.
. "$ROOT/tests/integration/lib.sh"
sv run --kernel "$(guest triplefault)"
expect_status 4
expect_out '^triplefault: loading empty IDT$'
expect_no_out 'still alive'
expect_one_error 'triple fault'
