# model list / show in every format; unknown names and bad files are one-line errors.
. "$ROOT/tests/integration/lib.sh"
sv model list
expect_status 0
for m in skylake-server cascadelake-server icelake-server sapphirerapids graniterapids alderlake zen2 zen3 zen4 zen5; do
	expect_out "^$m "
done
sv model show sapphirerapids
expect_status 0; expect_out 'BHI_CTRL'; expect_out 'source'
sv model show zen3 --format json
expect_status 0
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$WORK/out" || fail "not JSON"
sv model show cascadelake-server --format qemu
expect_status 0; expect_out '^Cascadelake-Server'
sv model show no-such-cpu
expect_status 2; expect_one_error "no-such-cpu"; expect_err zen4
printf '{"name": "x", ' > "$WORK/trunc.json"
sv model show "$WORK/trunc.json"
expect_status 2; expect_one_error trunc.json
sv run --cpu-model "$WORK/trunc.json"
expect_status 2; expect_one_error 'trunc.json'
