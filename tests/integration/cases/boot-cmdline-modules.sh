# needs: kvm
# Multiboot command line, modules with their strings, and the memory map.
. "$ROOT/tests/integration/lib.sh"
printf 'first-module' > "$WORK/m1"
printf 'XY\001Z' > "$WORK/m2"
sv run --kernel "$(guest cmdline)" --mem 64M --append "console=ttyS0 quiet" \
	--initrd "$WORK/m1 arg1 arg2,$WORK/m2"
expect_status 1
expect_out "^cmdline: $(guest cmdline) console=ttyS0 quiet\$"
expect_out '^mem_lower: 640$'
expect_out '^mem_upper: 64512$'
expect_out '^modules: 2$'
expect_out "^module 0: start=0x[0-9a-f]+000 size=12 string=$WORK/m1 arg1 arg2 first=first-module\$"
expect_out "^module 1: start=0x[0-9a-f]+000 size=4 string=$WORK/m2 first=XY.Z\$"
expect_out '^mmap: base=0x0 len=0x9fc00 type=1$'
expect_out '^mmap: base=0x100000 len=0x3f00000 type=1$'
expect_out '^loader: done$'
