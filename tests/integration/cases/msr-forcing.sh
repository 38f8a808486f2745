# needs: kvm
# The forcing rule (reference §3.3) end to end: the guest reports its software
# mitigations through MSR 0x50000002, specvisor forces SPEC_CTRL bits the host
# needs, the guest cannot clear them and still reads back its own value.
. "$ROOT/tests/integration/lib.sh"
spr=$(variant sapphirerapids spr-kvm 0x80000008.0x0.ebx=0x0100d200)
H="--cpu-model $spr --host-profile $ROOT/data/hosts/sapphirerapids.json"

# guest-request: both mitigations reported -> RRSBA_DIS_S | BHI_DIS_S forced on
SVARGS="$H" probe vmitig:bhb,retpoline wr:0x48=0x0 rd:0x48 wr:0x48=0x1 rd:0x48
expect_out '^vmitig detected=hvleaf enum=0x3 ctrl=0x3$'
expect_out '^rd 0x48 = 0x0$'
expect_out '^rd 0x48 = 0x1$'
expect_report spec_ctrl 0x1
expect_report spec_ctrl_in_force 0x441
expect_report forced_mask 0x440
expect_report forced_value 0x440
report forced_why | grep -q 'BHI_DIS_S: guest reports BHB_CLEAR_SEQ_S_USED; host has BHI_CTRL and lacks BHI_NO' || fail "no BHI reason"
report forced_why | grep -q 'RRSBA_DIS_S: guest reports RETPOLINE_S_USED; host has RRSBA_CTRL and enumerates RRSBA' || fail "no RRSBA reason"

# only retpoline -> only RRSBA_DIS_S; then the guest stops reporting -> nothing forced
SVARGS="$H" probe vmitig:retpoline
expect_report forced_mask 0x40
expect_report spec_ctrl_in_force 0x40
SVARGS="$H" probe vmitig:retpoline vmitig:none
expect_report forced_mask 0x0
expect_report spec_ctrl_in_force 0x0

# policy always: forced whatever the guest says; policy off: never
SVARGS="$H --mitigation-policy always" probe rd:0x48
expect_report forced_mask 0x440
expect_report spec_ctrl_in_force 0x440
SVARGS="$H --mitigation-policy off" probe vmitig:bhb,retpoline
expect_report forced_mask 0x0
expect_report spec_ctrl_in_force 0x0

# explicit --force-spec-ctrl takes precedence for its bits (here BHI_DIS_S off, SSBD on)
SVARGS="$H --force-spec-ctrl 0x404:0x4" probe vmitig:bhb,retpoline wr:0x48=0x400 rd:0x48
expect_out '^rd 0x48 = 0x400$'
expect_report forced_mask 0x444
expect_report forced_value 0x44
expect_report spec_ctrl_in_force 0x44

# an Ice Lake host has neither RRSBA_CTRL nor BHI_CTRL: nothing to force
SVARGS="--cpu-model $spr --host-profile $ROOT/data/hosts/icelake.json" probe vmitig:bhb,retpoline
expect_report forced_mask 0x0

# explicit bits the host cannot hold are refused up front
sv run --kernel "$(guest msrprobe)" --cpu-model "$spr" --host-profile "$ROOT/data/hosts/icelake.json" \
	--force-spec-ctrl 0x400:0x400
expect_status 2
expect_one_error 'force-spec-ctrl|BHI_DIS_S|0x400'
