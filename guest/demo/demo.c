/* SPDX-License-Identifier: MIT */
/*
 * The bundled demonstration guest: show what a guest of this CPU model sees
 * of the speculation controls, then do the guest half of the mitigation
 * negotiation and poke IA32_SPEC_CTRL.  Output is "key: value" lines, one
 * fact each, so that tests and people can grep them.
 */
#include "rt.h"
#include "vmitig.h"

#define MSR_SPEC_CTRL	0x48

struct bit_name {
	uint8_t bit;
	const char *name;
};

/* Names as in specvisor's CPU feature table (src/cpu/cpuid.c). */
static const struct bit_name leaf7_0_edx[] = {
	{ 10, "MD_CLEAR" }, { 20, "IBT" }, { 26, "SPEC_CTRL" }, { 27, "STIBP" },
	{ 28, "L1D_FLUSH" }, { 29, "ARCH_CAPABILITIES" }, { 30, "CORE_CAPABILITIES" },
	{ 31, "SSBD" },
};
static const struct bit_name leaf7_0_ecx[] = {
	{ 7, "SHSTK" },
};
static const struct bit_name leaf7_2_edx[] = {
	{ 0, "PSFD" }, { 1, "IPRED_CTRL" }, { 2, "RRSBA_CTRL" }, { 3, "DDPD_U" },
	{ 4, "BHI_CTRL" }, { 5, "MCDT_NO" },
};
static const struct bit_name leaf80000008_ebx[] = {
	{ 12, "AMD_IBPB" }, { 14, "AMD_IBRS" }, { 15, "AMD_STIBP" },
	{ 17, "AMD_STIBP_ALWAYS_ON" }, { 18, "AMD_IBRS_PREFERRED" },
	{ 19, "AMD_IBRS_SAME_MODE" }, { 24, "AMD_SSBD" }, { 25, "AMD_VIRT_SSBD" },
	{ 26, "AMD_SSB_NO" }, { 28, "AMD_PSFD" }, { 29, "AMD_BTC_NO" },
	{ 30, "AMD_IBPB_RET" },
};
static const struct bit_name leaf80000021_eax[] = {
	{ 8, "AMD_AUTO_IBRS" }, { 27, "AMD_SBPB" },
};
static const struct bit_name arch_cap_bits[] = {
	{ 0, "RDCL_NO" }, { 1, "IBRS_ALL" }, { 2, "RSBA" },
	{ 3, "SKIP_VMENTRY_L1DFLUSH" }, { 4, "SSB_NO" }, { 5, "MDS_NO" },
	{ 6, "PSCHANGE_MC_NO" }, { 7, "TSX_CTRL_MSR" }, { 8, "TAA_NO" },
	{ 9, "MCU_CONTROL" }, { 10, "MISC_PACKAGE_CTRLS" },
	{ 11, "ENERGY_FILTERING_CTL" }, { 12, "DOITM" }, { 13, "SBDR_SSDP_NO" },
	{ 14, "FBSDP_NO" }, { 15, "PSDP_NO" }, { 17, "FB_CLEAR" },
	{ 18, "FB_CLEAR_CTRL" }, { 19, "RRSBA" }, { 20, "BHI_NO" },
	{ 21, "XAPIC_DISABLE_STATUS" }, { 23, "OVERCLOCKING_STATUS" },
	{ 24, "PBRSB_NO" }, { 25, "GDS_CTRL" }, { 26, "GDS_NO" }, { 27, "RFDS_NO" },
	{ 28, "RFDS_CLEAR" }, { 62, "ITS_NO" }, { 63, "VIRTUAL_ENUM" },
};
static const struct bit_name miti_enum_bits[] = {
	{ 0, "BHB_CLEAR_SEQ_S_SUPPORT" }, { 1, "RETPOLINE_S_SUPPORT" },
};
static const struct bit_name miti_ctrl_bits[] = {
	{ 0, "BHB_CLEAR_SEQ_S_USED" }, { 1, "RETPOLINE_S_USED" },
};
static const struct bit_name spec_ctrl_bits[] = {
	{ 0, "IBRS" }, { 1, "STIBP" }, { 2, "SSBD" }, { 3, "IPRED_DIS_U" },
	{ 4, "IPRED_DIS_S" }, { 5, "RRSBA_DIS_U" }, { 6, "RRSBA_DIS_S" },
	{ 7, "PSFD" }, { 8, "DDPD_U" }, { 10, "BHI_DIS_S" },
};

#define NAMES(a) a, sizeof(a) / sizeof(a[0])

/*
 * Append " NAME" for each set bit in the table.  For MSR values (all_bits)
 * also " bitN" for set bits without a name; CPUID registers hold unrelated
 * features in the other bits, so there they are skipped.
 */
static unsigned print_bits(uint64_t val, const struct bit_name *t, size_t n, bool all_bits)
{
	unsigned printed = 0;

	for (size_t i = 0; i < n; i++) {
		if (val & (1ull << t[i].bit)) {
			printf_nolock(" %s", t[i].name);
			printed++;
			val &= ~(1ull << t[i].bit);
		}
	}
	for (unsigned b = 0; all_bits && b < 64; b++) {
		if (val & (1ull << b)) {
			printf_nolock(" bit%u", b);
			printed++;
		}
	}
	return printed;
}

/* "key: 0xVAL NAME NAME..." */
static void print_value(const char *key, uint64_t val, const struct bit_name *t, size_t n)
{
	console_lock();
	printf_nolock("%s: 0x%llx", key, (unsigned long long)val);
	print_bits(val, t, n, true);
	printf_nolock("\n");
	console_unlock();
}

static const char *vec_name(int vec)
{
	return vec == VEC_GP ? "#GP" : vec == VEC_UD ? "#UD" : "#EXC";
}

static void regs_to_str(char *dst, uint32_t a, uint32_t b, uint32_t c)
{
	memcpy(dst + 0, &a, 4);
	memcpy(dst + 4, &b, 4);
	memcpy(dst + 8, &c, 4);
	dst[12] = '\0';
	for (int i = 0; i < 12; i++)
		if (dst[i] && (dst[i] < 0x20 || dst[i] >= 0x7f))
			dst[i] = '.';
}

static void show_identity(void)
{
	struct cpuid_regs r = cpuid(0, 0);
	char vendor[13], brand[49] = "";
	const char *b = brand;

	regs_to_str(vendor, r.ebx, r.edx, r.ecx);
	printf("cpu.vendor: %s\n", vendor);

	if (cpuid_has_leaf(0x80000004)) {
		for (uint32_t i = 0; i < 3; i++) {
			r = cpuid(0x80000002 + i, 0);
			memcpy(brand + 16 * i + 0, &r.eax, 4);
			memcpy(brand + 16 * i + 4, &r.ebx, 4);
			memcpy(brand + 16 * i + 8, &r.ecx, 4);
			memcpy(brand + 16 * i + 12, &r.edx, 4);
		}
		brand[48] = '\0';
	}
	while (*b == ' ')
		b++;
	printf("cpu.brand: %s\n", *b ? b : "(none)");
	printf("cpu.signature: 0x%x\n", cpuid(1, 0).eax);
	printf("cpu.hypervisor: %u\n", cpuid(1, 0).ecx >> 31);
}

static void show_spec_features(void)
{
	unsigned n = 0;

	console_lock();
	printf_nolock("cpu.spec_features:");
	if (cpuid_has_leaf(7)) {
		struct cpuid_regs r = cpuid(7, 0);

		n += print_bits(r.edx, NAMES(leaf7_0_edx), false);
		n += print_bits(r.ecx, NAMES(leaf7_0_ecx), false);
		if (r.eax >= 2)
			n += print_bits(cpuid(7, 2).edx, NAMES(leaf7_2_edx), false);
	}
	if (cpuid_has_leaf(0x80000008))
		n += print_bits(cpuid(0x80000008, 0).ebx, NAMES(leaf80000008_ebx), false);
	if (cpuid_has_leaf(0x80000021))
		n += print_bits(cpuid(0x80000021, 0).eax, NAMES(leaf80000021_eax), false);
	printf_nolock(n ? "\n" : " (none)\n");
	console_unlock();
}

static void show_arch_capabilities(void)
{
	uint64_t val;
	int vec;

	if (!cpuid_has_leaf(7) || !(cpuid(7, 0).edx & (1u << 29))) {
		printf("arch_capabilities: not enumerated\n");
		return;
	}
	vec = rdmsr_safe(MSR_ARCH_CAPABILITIES, &val);
	if (vec)
		printf("arch_capabilities: %s\n", vec_name(vec));
	else
		print_value("arch_capabilities", val, NAMES(arch_cap_bits));
}

static void show_hypervisor_leaf(uint32_t leaf)
{
	struct cpuid_regs r = cpuid(leaf, 0);
	char sig[13];

	regs_to_str(sig, r.ebx, r.ecx, r.edx);
	printf("hypervisor.0x%x: \"%s\" max=0x%x\n", leaf, sig, r.eax);
}

static void negotiate(void)
{
	struct vmitig v;
	int ret = vmitig_detect(&v);

	printf("vmitig.detected: %s\n", vmitig_via_name(v.via));
	if (v.via != VMITIG_NONE && !(ret < 0 && v.fault_msr == MSR_VIRTUAL_ENUMERATION))
		print_value("vmitig.virtual_enumeration", v.virt_enum, NULL, 0);
	if (ret > 0) {
		print_value("vmitig.mitigation_enum", v.miti_enum, NAMES(miti_enum_bits));
		/* What this guest would be built with: retpoline + the short BHB loop. */
		printf("vmitig.report: retpoline bhb_clear_loop\n");
		ret = vmitig_report(&v, true, true);
		if (!ret)
			print_value("vmitig.mitigation_ctrl", v.miti_ctrl, NAMES(miti_ctrl_bits));
	} else if (ret == 0 && v.via != VMITIG_NONE) {
		printf("vmitig.mitigation_ctrl: not supported\n");
	}
	if (ret < 0 && v.fault)
		printf("vmitig.fault: %s msr=0x%x\n", vec_name(v.fault), v.fault_msr);
}

/*
 * The guest owns its view of IA32_SPEC_CTRL: whatever the VMM forces is
 * invisible here, so writing 0 and reading back must give 0 even while
 * RRSBA_DIS_S / BHI_DIS_S stay in force underneath.
 */
static void poke_spec_ctrl(void)
{
	uint64_t val;
	int vec;

	vec = rdmsr_safe(MSR_SPEC_CTRL, &val);
	if (vec)
		printf("spec_ctrl.read: %s\n", vec_name(vec));
	else
		print_value("spec_ctrl.read", val, NAMES(spec_ctrl_bits));

	vec = wrmsr_safe(MSR_SPEC_CTRL, 0);
	printf("spec_ctrl.write: 0x0 %s\n", vec ? vec_name(vec) : "ok");

	vec = rdmsr_safe(MSR_SPEC_CTRL, &val);
	if (vec)
		printf("spec_ctrl.readback: %s\n", vec_name(vec));
	else
		print_value("spec_ctrl.readback", val, NAMES(spec_ctrl_bits));
}

int main(void)
{
	printf("demo: specvisor demonstration guest\n");
	show_identity();
	show_spec_features();
	show_arch_capabilities();
	show_hypervisor_leaf(0x40000000);
	show_hypervisor_leaf(0x40000100);
	negotiate();
	poke_spec_ctrl();
	printf("demo: done\n");
	guest_poweroff();
}
