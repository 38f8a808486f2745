# needs: kvm
# Unclaimed MMIO: reads return all-ones, writes are dropped, both counted.
. "$ROOT/tests/integration/lib.sh"
sv run --kernel "$(guest mmio)" --verbose --report json --report-file "$WORK/r.json"
expect_status 1
expect_out '^mmio: read8 0xc0000000 = 0xff$'
expect_out '^mmio: read32 0xc0000000 = 0xffffffff$'
expect_out '^mmio: read64 0xc0000000 = 0xffffffffffffffff$'
expect_out '^mmio: read32 0xfed00000 = 0xffffffff$'
expect_out '^mmio: after write read32 0xc0000000 = 0xffffffff$'
expect_out '^mmio: ok$'
expect_err 'unclaimed MMIO write at 0xc0000000'
n=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["vcpus"][0]["mmio_unclaimed"])' "$WORK/r.json")
[ "$n" -ge 8 ] || fail "mmio_unclaimed=$n, expected >= 8"
