# Bad input files: one clear error line naming the problem, status 2, even
# without KVM (the image is checked before /dev/kvm is opened).
. "$ROOT/tests/integration/lib.sh"
sv run --kernel "$WORK/nope.elf"
expect_status 2; expect_one_error "nope.elf.*No such file"
printf 'not a kernel at all' > "$WORK/junk"
sv run --kernel "$WORK/junk"
expect_status 2; expect_one_error 'not a Multiboot v1 image nor a 64-bit ELF'
: > "$WORK/empty"
sv run --kernel "$WORK/empty"
expect_status 2; expect_one_error 'empty'
head -c 100 "$(guest hello64)" > "$WORK/trunc64"
sv run --kernel "$WORK/trunc64"
expect_status 2; expect_one_error 'trunc64'
sv run --kernel "$(guest hello)" --initrd "$WORK/missing-module"
expect_status 2; expect_one_error 'missing-module.*No such file'
# A module that cannot fit in guest RAM
head -c $((6 * 1024 * 1024)) /dev/zero > "$WORK/big"
sv run --kernel "$(guest hello)" --mem 4M --initrd "$WORK/big"
expect_status 2; expect_one_error 'big'
