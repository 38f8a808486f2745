# The operator's path, as the README shows it: host profiles -> one pool model
# and a per-host plan -> a compatibility check -> a guest running on the model.
. "$ROOT/tests/integration/lib.sh"
H=$ROOT/data/hosts
sv pool baseline "$H/cascadelake.json" "$H/sapphirerapids.json" --name clx-spr-pool
expect_status 0
cp "$WORK/out" "$WORK/pool.json"
python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); assert m["name"] == "clx-spr-pool" and m["vendor"] == "GenuineIntel"' "$WORK/pool.json" \
	|| fail "baseline is not a model"
expect_err '^host sapphirerapids:'
expect_err 'guest reports both +RRSBA_DIS_S=1 BHI_DIS_S=1'
expect_err '^host cascadelake:'
# the pool model's ARCH_CAPABILITIES: RRSBA (OR rule) kept, GDS_NO/RFDS_NO (AND) kept
ac=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["arch_capabilities"])' "$WORK/pool.json")
(( (ac >> 19 & 1) )) || fail "RRSBA missing from pool ARCH_CAPABILITIES $ac"
for h in cascadelake sapphirerapids; do
	sv pool check "$WORK/pool.json" "$H/$h.json"
	expect_status 0; expect_out "^compatible"
done
# a newer model cannot run on an older host: every reason listed, exit 1
sv pool check sapphirerapids "$H/cascadelake.json"
expect_status 1
expect_out '^incompatible'
expect_out 'BHI_CTRL'
# mixed vendors are refused with one line
sv pool baseline "$H/sapphirerapids.json" "$H/zen4.json"
expect_status 1; expect_one_error 'vendor'
# malformed profile: one line naming the file and the field
printf '{"format": "specvisor-host-profile-1", "bogus": 1}' > "$WORK/bad.json"
sv pool check zen4 "$WORK/bad.json"
expect_status 2; expect_one_error 'bad.json'
# the pool model drives a real guest
if [ "${KVM_OK:-0}" = 1 ]; then
	sv run --cpu-model "$WORK/pool.json" --host-profile "$H/sapphirerapids.json" --report text
	expect_status 0
	expect_out '^demo: done$'
	expect_err 'model: clx-spr-pool'
	expect_err 'forced mask/value:  0x440/0x440'
fi
