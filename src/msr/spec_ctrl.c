/* SPDX-License-Identifier: MIT */
/*
 * IA32_SPEC_CTRL (0x48), virtualised: the guest reads back its own last
 * accepted write (the shadow); the value in force is the shadow with the
 * forced bits replaced, limited to what this host accepts.  Section numbers
 * are of shared/reference/cpu-security-controls.md.
 */
#include "msr/msr_internal.h"

/* §1.2: KVM's guest_has_spec_ctrl_msr().  Intel STIBP or SSBD alone do not
 * create the MSR (no real part enumerates them without SPEC_CTRL). */
bool spec_ctrl_exists(const struct cpuid_set *c)
{
	return cpuid_has(c, F_SPEC_CTRL) || cpuid_has(c, F_AMD_STIBP) ||
	       cpuid_has(c, F_AMD_IBRS) || cpuid_has(c, F_AMD_SSBD);
}

/*
 * §1.6: the bits a guest of this CPU model may set, judged per bit on the
 * model alone (never on the host, unlike KVM's runtime test of §1.3.3, so a
 * value accepted on one host of a pool is accepted on every other).
 *
 * STIBP: Xen accepts STIBP whenever the MSR exists, because STIBP "is
 * specified as safe to use (i.e. ignored) when STIBP isn't enumerated"
 * (§1.1, §1.6 [X2]); KVM's first kvm_spec_ctrl_valid_bits() kept it with
 * SPEC_CTRL or AMD_IBRS ("doesn't fault even if it's not advertised", §1.3.1)
 * but dropped it together with IBRS otherwise, which gave the spurious #GP of
 * seed 004 on AMD parts with AMD_STIBP and no AMD_IBRS (§1.3.2, e.g. Rome
 * Threadripper PRO, 0x80000008.EBX 0x018cb757).  So, as in Xen, STIBP is
 * valid wherever the MSR exists (even when it exists only through AMD_SSBD),
 * and with its own enumeration (INTEL_STIBP).
 * Unlike Maxim Levitsky's rewrite (§1.3.2) AMD_STIBP does not make IBRS valid:
 * IBRS needs its own enumeration, so a model hiding it hides it everywhere.
 */
uint64_t spec_ctrl_valid_mask(const struct cpuid_set *c)
{
	bool ibrs = cpuid_has(c, F_SPEC_CTRL) || cpuid_has(c, F_AMD_IBRS);
	uint64_t m = 0;

	if (ibrs)
		m |= SPEC_CTRL_IBRS;
	if (spec_ctrl_exists(c) || cpuid_has(c, F_INTEL_STIBP))
		m |= SPEC_CTRL_STIBP;
	if (cpuid_has(c, F_SPEC_CTRL_SSBD) || cpuid_has(c, F_AMD_SSBD))
		m |= SPEC_CTRL_SSBD;
	if (cpuid_has(c, F_INTEL_PSFD) || cpuid_has(c, F_AMD_PSFD))
		m |= SPEC_CTRL_PSFD;
	if (cpuid_has(c, F_IPRED_CTRL))
		m |= SPEC_CTRL_IPRED_DIS_U | SPEC_CTRL_IPRED_DIS_S;
	if (cpuid_has(c, F_RRSBA_CTRL))
		m |= SPEC_CTRL_RRSBA_DIS_U | SPEC_CTRL_RRSBA_DIS_S;
	if (cpuid_has(c, F_DDPD_U))
		m |= SPEC_CTRL_DDPD_U;
	if (cpuid_has(c, F_BHI_CTRL))
		m |= SPEC_CTRL_BHI_DIS_S;
	/* Bit 9: no source defines it (§1.1, UNVERIFIED) - reserved. */
	return m;
}

static const struct {
	const char *name;
	const char *needs;	/* the enumeration that makes the bit valid (§1.1) */
} spec_ctrl_bits[11] = {
	[0] = { "IBRS", "CPUID.7.0:EDX[26] SPEC_CTRL or 0x80000008:EBX[14] AMD_IBRS" },
	[1] = { "STIBP", "CPUID.7.0:EDX[27] STIBP, or any enumeration of IA32_SPEC_CTRL" },
	[2] = { "SSBD", "CPUID.7.0:EDX[31] SSBD or 0x80000008:EBX[24] AMD_SSBD" },
	[3] = { "IPRED_DIS_U", "CPUID.7.2:EDX[1] IPRED_CTRL" },
	[4] = { "IPRED_DIS_S", "CPUID.7.2:EDX[1] IPRED_CTRL" },
	[5] = { "RRSBA_DIS_U", "CPUID.7.2:EDX[2] RRSBA_CTRL" },
	[6] = { "RRSBA_DIS_S", "CPUID.7.2:EDX[2] RRSBA_CTRL" },
	[7] = { "PSFD", "CPUID.7.2:EDX[0] PSFD or 0x80000008:EBX[28] AMD_PSFD" },
	[8] = { "DDPD_U", "CPUID.7.2:EDX[3] DDPD_U" },
	[9] = { NULL, NULL },
	[10] = { "BHI_DIS_S", "CPUID.7.2:EDX[4] BHI_CTRL" },
};

const char *spec_ctrl_bit_name(unsigned int bit)
{
	return bit < 11 ? spec_ctrl_bits[bit].name : NULL;
}

char *spec_ctrl_bits_format(uint64_t bits, char *buf, size_t len)
{
	size_t pos = 0;

	if (!len)
		return buf;
	buf[0] = '\0';
	if (!bits) {
		msr_buf_add(buf, len, &pos, "0");
		return buf;
	}
	for (unsigned int b = 0; b < 64; b++) {
		const char *n;

		if (!(bits & (1ull << b)))
			continue;
		n = spec_ctrl_bit_name(b);
		if (n)
			msr_buf_add(buf, len, &pos, "%s%s", pos ? "|" : "", n);
		else
			msr_buf_add(buf, len, &pos, "%sbit%u", pos ? "|" : "", b);
	}
	return buf;
}

/* One clause per offending bit: defined bits name their enumeration, the
 * reserved ones (bit 9, bits 63:11) are summarised. */
static void spec_ctrl_describe(uint64_t bad, char *buf, size_t len)
{
	uint64_t resv = bad & ~SPEC_CTRL_DEFINED;
	size_t pos = 0;

	buf[0] = '\0';
	for (unsigned int b = 0; b < 11; b++) {
		if (!(bad & (1ull << b)) || !spec_ctrl_bits[b].name)
			continue;
		msr_buf_add(buf, len, &pos, "%sbit %u %s not enumerated by the CPU model (needs %s)",
			pos ? "; " : "", b, spec_ctrl_bits[b].name, spec_ctrl_bits[b].needs);
	}
	if (resv == (1ull << 9))
		msr_buf_add(buf, len, &pos, "%sbit 9 is reserved (no source defines it)",
			pos ? "; " : "");
	else if (resv)
		msr_buf_add(buf, len, &pos, "%sreserved bits 0x%llx set", pos ? "; " : "",
			(unsigned long long)resv);
}

/* The value in force (§3.4 semantics, done in software per §3.5.3): forced
 * bits come from the forcing, the rest from the guest; bits this host cannot
 * load are dropped, the guest still reads them back from the shadow. */
void spec_ctrl_update(const struct msr_vm *vm, struct msr_vcpu *v)
{
	uint64_t eff = (v->spec_ctrl & ~v->forcing.mask) |
		       (v->forcing.value & v->forcing.mask);

	eff &= vm->host.spec_ctrl_supported;
	if (eff != v->spec_ctrl_eff) {
		v->spec_ctrl_eff = eff;
		v->dirty |= MSR_DIRTY_SPEC_CTRL;
	}
}

#define SPEC_CTRL_NEEDS \
	"IA32_SPEC_CTRL not enumerated by the CPU model (needs CPUID.7.0:EDX[26] SPEC_CTRL " \
	"or 0x80000008:EBX AMD_IBRS[14]/AMD_STIBP[15]/AMD_SSBD[24])"

enum msr_status spec_ctrl_read(const struct msr_vm *vm, struct msr_vcpu *v,
			       uint64_t *val, enum msr_access who)
{
	/* §1.2: only the guest is subject to the existence check. */
	if (who == MSR_GUEST && !spec_ctrl_exists(&vm->cpuid))
		return msr_reject(who, false, MSR_IA32_SPEC_CTRL, 0, SPEC_CTRL_NEEDS);
	*val = v->spec_ctrl;
	return MSR_OK;
}

enum msr_status spec_ctrl_write(const struct msr_vm *vm, struct msr_vcpu *v,
				uint64_t val, enum msr_access who)
{
	uint64_t bad;

	if (who == MSR_GUEST && !spec_ctrl_exists(&vm->cpuid))
		return msr_reject(who, true, MSR_IA32_SPEC_CTRL, val, SPEC_CTRL_NEEDS);
	/*
	 * §1.6, §7.4: host writes (restore) are judged against the model too,
	 * so a value the guest could never have written is refused, and so is
	 * one a source host let through (KVM only tests host hardware, §1.3.3).
	 */
	bad = val & ~spec_ctrl_valid_mask(&vm->cpuid);
	if (bad) {
		char why[400];

		spec_ctrl_describe(bad, why, sizeof(why));
		return msr_reject(who, true, MSR_IA32_SPEC_CTRL, val, "%s", why);
	}
	v->spec_ctrl = val;
	spec_ctrl_update(vm, v);
	return MSR_OK;
}
