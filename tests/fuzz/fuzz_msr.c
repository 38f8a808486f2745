/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the MSR layer and the forcing policy.
 *
 * The input picks a guest CPU model (a real one from cpu-generations.md, maybe
 * with random CPUID bits flipped), a host (real or random facts), the VM
 * flags and a policy, then drives a sequence of guest/host reads and writes,
 * resets, policy and host changes and save/restore round trips.  After every
 * step the invariants below are checked; a violation aborts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msr/msr.h"
#include "../unit/test_msr_models.h"
#include "util/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NVCPU 2
#define MAX_STEPS 96

struct in {
	const uint8_t *p;
	size_t n;
};

static uint8_t u8(struct in *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static uint32_t u32(struct in *in)
{
	uint32_t v = 0;

	for (int i = 0; i < 4; i++)
		v = v << 8 | u8(in);
	return v;
}

static uint64_t u64(struct in *in)
{
	return (uint64_t)u32(in) << 32 | u32(in);
}

#define CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "fuzz_msr: invariant failed at %s:%d: %s (err: %s)\n", \
			__FILE__, __LINE__, #cond, err_msg()); \
		abort(); \
	} \
} while (0)

static void flip(struct cpuid_set *c, uint32_t fn, uint32_t idx, enum cpuid_reg r, uint32_t x)
{
	struct cpuid_entry *e = cpuid_find_mut(c, fn, idx);

	if (!e) {
		struct cpuid_entry n = { .function = fn, .index = idx,
			.flags = (fn == 7 || fn == 0xd) ? CPUID_F_INDEXED : 0 };

		cpuid_put(c, &n);
		e = cpuid_find_mut(c, fn, idx);
	}
	*cpuid_entry_reg(e, r) ^= x;
}

/* A real model, optionally with random security bits flipped. */
static void pick_cpuid(struct in *in, struct cpuid_set *c, uint64_t *arch_cap)
{
	enum tm_id id = (enum tm_id)(u8(in) % TM_COUNT);
	uint8_t f = u8(in);

	tm_cpuid(id, c);
	*arch_cap = tm_get(id)->arch_cap;
	if (f & 1)
		flip(c, 7, 0, CPUID_EDX, u32(in));
	if (f & 2)
		flip(c, 7, 0, CPUID_ECX, u32(in));
	if (f & 4)
		flip(c, 7, 2, CPUID_EDX, u32(in));
	if (f & 8)
		flip(c, 0x80000008, 0, CPUID_EBX, u32(in));
	if (f & 16)
		flip(c, 0x80000021, 0, CPUID_EAX, u32(in));
	if (f & 32)
		flip(c, 0x80000001, 0, CPUID_EDX, 1u << 29);	/* LM */
	if (f & 64)
		flip(c, 0xd, 1, CPUID_EAX, 1u << 3);		/* XSAVES */
	if (f & 128)
		*arch_cap ^= u64(in);
}

static void pick_host(struct in *in, struct host_facts *hf)
{
	static struct host_profile hp;
	uint8_t f = u8(in);

	memset(&hp, 0, sizeof(hp));
	pick_cpuid(in, &hp.cpuid, &hp.arch_cap);
	host_facts_from_profile(&hp, hf);
	if (f & 1) {
		/* Inconsistent facts: the layer must not trust them to agree. */
		hf->rrsba_ctrl = u8(in) & 1;
		hf->bhi_ctrl = u8(in) & 1;
		hf->spec_ctrl_supported = u64(in);
		hf->ibpb = u8(in) & 1;
		hf->sbpb = u8(in) & 1;
		hf->l1d_flush = u8(in) & 1;
	}
}

static void pick_force(struct in *in, const struct host_facts *hf, struct force_config *fc)
{
	uint8_t f = u8(in);

	memset(fc, 0, sizeof(*fc));
	fc->policy = (enum mitigation_policy)(f % 4);	/* 3: out of range on purpose */
	if (f & 4) {
		fc->explicit_set = true;
		fc->explicit_mask = (f & 8) ? u64(in) : u8(in) | (uint64_t)u8(in) << 8;
		fc->explicit_value = u64(in) & fc->explicit_mask;
		/* Half the time only configurations the CLI would accept. */
		if ((f & 16) && force_config_check(fc, hf))
			fc->explicit_set = false;
	}
}

static uint32_t pick_index(struct in *in)
{
	static const uint32_t odd[] = { 0, 0x47, 0x4a, 0x109, 0x10c, 0x69f, 0x6a1, 0x6a3,
					0x6a9, 0xd9f, 0xda1, 0x4fffffff, 0x50000003,
					0xffffffff };
	uint8_t b = u8(in);

	if (b < 0xe0)
		return msr_layer_indices[b % msr_layer_count];
	if (b < 0xf0)
		return odd[b % (sizeof(odd) / sizeof(odd[0]))];
	return u32(in);
}

static uint64_t pick_value(struct in *in)
{
	uint8_t b = u8(in);

	switch (b % 6) {
	case 0: return 0;
	case 1: return u8(in);
	case 2: return 1ull << (u8(in) % 64);
	case 3: return u8(in) | (uint64_t)u8(in) << 8;
	case 4: {
		/* Addresses: sign-extended from 48 or 57 bits, maybe misaligned. */
		unsigned int bits = (b & 8) ? 57 : 48;
		uint64_t a = u64(in) & ((1ull << bits) - 1);

		if (a & (1ull << (bits - 1)))
			a |= ~0ull << bits;
		return a;
	}
	default: return u64(in);
	}
}

struct world {
	struct msr_vm vm;
	struct msr_vcpu v[NVCPU];
	uint64_t shadow[NVCPU];		/* last accepted SPEC_CTRL write */
};

/* Independent restatement of forcing_compute(): returns the mask, *value. */
static uint64_t oracle_mask(const struct msr_vm *vm, uint64_t ctrl, uint64_t *value)
{
	const struct host_facts *h = &vm->host;
	const struct force_config *fc = &vm->force;
	bool gr = fc->policy == POLICY_GUEST_REQUEST, al = fc->policy == POLICY_ALWAYS;
	uint64_t em = 0, ev = 0, pol = 0;

	if ((al || (gr && (ctrl & MITI_CTRL_BHB_CLEAR_SEQ_S_USED))) && h->bhi_ctrl &&
	    !(h->arch_cap & ARCH_CAP_BHI_NO) && (h->spec_ctrl_supported & SPEC_CTRL_BHI_DIS_S))
		pol |= SPEC_CTRL_BHI_DIS_S;
	if ((al || (gr && (ctrl & MITI_CTRL_RETPOLINE_S_USED))) && h->rrsba_ctrl &&
	    (h->arch_cap & ARCH_CAP_RRSBA) && (h->spec_ctrl_supported & SPEC_CTRL_RRSBA_DIS_S))
		pol |= SPEC_CTRL_RRSBA_DIS_S;
	if (fc->explicit_set) {
		em = fc->explicit_mask & h->spec_ctrl_supported & SPEC_CTRL_DEFINED;
		ev = fc->explicit_value & em;
	}
	*value = ev | (pol & ~em);
	return em | (pol & ~em);
}

static void check_vcpu(const struct msr_vm *vm, struct msr_vcpu *v, uint64_t shadow)
{
	struct forcing f;
	uint64_t r;

	/* Forced bits always hold their value in force. */
	CHECK((v->forcing.value & ~v->forcing.mask) == 0);
	CHECK((v->spec_ctrl_eff & v->forcing.mask) == v->forcing.value);
	/* The value in force only has bits this host loads. */
	CHECK((v->spec_ctrl_eff & ~vm->host.spec_ctrl_supported) == 0);
	CHECK(v->spec_ctrl_eff == (((v->spec_ctrl & ~v->forcing.mask) | v->forcing.value) &
				   vm->host.spec_ctrl_supported));
	/* The forcing is exactly the policy's answer for the current state... */
	forcing_compute(&vm->host, &vm->force, v->miti_ctrl, &f);
	CHECK(!memcmp(&f, &v->forcing, sizeof(f)));
	/* ...and that answer is the §3.3 rule with explicit precedence,
	 * restated here independently. */
	CHECK(v->forcing.mask == oracle_mask(vm, v->miti_ctrl, &r));
	CHECK(v->forcing.value == r);
	/* The guest reads back its last accepted write. */
	CHECK(v->spec_ctrl == shadow);
	CHECK(msr_read(vm, v, MSR_IA32_SPEC_CTRL, &r, MSR_HOST) == MSR_OK && r == shadow);
	if (spec_ctrl_exists(&vm->cpuid)) {
		r = ~shadow;
		CHECK(msr_read(vm, v, MSR_IA32_SPEC_CTRL, &r, MSR_GUEST) == MSR_OK);
		CHECK(r == shadow);
	}
	/* Accepted state stays within what the model allows. */
	CHECK((v->spec_ctrl & ~spec_ctrl_valid_mask(&vm->cpuid)) == 0);
	CHECK((v->miti_ctrl & ~MITI_CTRL_DEFINED) == 0);
	CHECK((v->miti_enum & ~MITI_ENUM_DEFINED) == 0);
	CHECK((v->virt_enum & ~VIRT_ENUM_DEFINED) == 0);
	CHECK((v->xss & ~vm->xss_supported) == 0);
	if (!vm->virt_msrs)
		CHECK(!v->miti_ctrl && !v->miti_enum && !v->virt_enum);
	for (int i = 0; i < 4; i++)
		CHECK((v->pl_ssp[i] & 3) == 0);
	CHECK((v->u_cet & CET_RESERVED) == 0 && (v->s_cet & CET_RESERVED) == 0);
}

static void check_vm(const struct msr_vm *vm)
{
	CHECK(!(vm->arch_cap & ARCH_CAP_VIRTUAL_ENUM) == !(vm->virt_msrs && vm->arch_cap_exposed));
	CHECK(!vm->hv_leaf || vm->virt_msrs);
	CHECK(!vm->arch_cap_exposed || cpuid_has(&vm->cpuid, F_ARCH_CAPABILITIES));
	CHECK((vm->miti_enum & ~MITI_ENUM_DEFINED) == 0);
}

/* Save every owned MSR of src through host reads and restore it into a fresh
 * vCPU of vm2 (same model, maybe another host): every access must succeed
 * and the guest-visible state must come out identical. */
static void roundtrip(const struct msr_vm *vm, struct msr_vcpu *src, const struct msr_vm *vm2)
{
	static struct msr_vcpu dst;
	struct forcing f;

	msr_vcpu_init(vm2, &dst);
	for (unsigned int i = 0; i < msr_layer_count; i++) {
		uint32_t idx = msr_layer_indices[i];
		uint64_t val = 0;

		if (idx == MSR_IA32_PRED_CMD || idx == MSR_IA32_FLUSH_CMD)
			continue;
		CHECK(msr_read(vm, src, idx, &val, MSR_HOST) == MSR_OK);
		CHECK(msr_write(vm2, &dst, idx, val, MSR_HOST) == MSR_OK);
	}
	CHECK(dst.spec_ctrl == src->spec_ctrl);
	CHECK(dst.miti_ctrl == src->miti_ctrl);
	CHECK(dst.virt_enum == src->virt_enum);
	CHECK(dst.miti_enum == src->miti_enum);
	CHECK(dst.xss == src->xss);
	CHECK(dst.u_cet == src->u_cet && dst.s_cet == src->s_cet);
	CHECK(!memcmp(dst.pl_ssp, src->pl_ssp, sizeof(dst.pl_ssp)));
	CHECK(dst.int_ssp_tab == src->int_ssp_tab);
	/* The destination forces what its own host needs. */
	forcing_compute(&vm2->host, &vm2->force, dst.miti_ctrl, &f);
	CHECK(!memcmp(&f, &dst.forcing, sizeof(f)));
	check_vcpu(vm2, &dst, src->spec_ctrl);
}

static void fuzz_parsers(struct in *in)
{
	char s[24];
	size_t n = u8(in) % sizeof(s);
	struct force_config fc = { 0 };
	enum mitigation_policy p;

	for (size_t i = 0; i < n; i++)
		s[i] = (char)u8(in);
	s[n] = '\0';
	if (!force_spec_ctrl_parse(s, &fc))
		CHECK(fc.explicit_set && !(fc.explicit_value & ~fc.explicit_mask));
	else
		CHECK(strlen(err_msg()) > 0 && !fc.explicit_set);
	if (!policy_parse(s, &p))
		CHECK(!strcmp(policy_name(p), s));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct world w;
	static struct msr_vm vm2;
	struct in in = { data, size };
	uint8_t f;

	memset(&w, 0, sizeof(w));
	pick_cpuid(&in, &w.vm.cpuid, &w.vm.arch_cap);
	pick_host(&in, &w.vm.host);
	f = u8(&in);
	w.vm.arch_cap_exposed = f & 1;
	w.vm.virt_msrs = f & 2;
	w.vm.hv_leaf = f & 4;
	pick_force(&in, &w.vm.host, &w.vm.force);
	msr_vm_init(&w.vm);
	check_vm(&w.vm);
	for (int i = 0; i < NVCPU; i++) {
		msr_vcpu_init(&w.vm, &w.v[i]);
		check_vcpu(&w.vm, &w.v[i], 0);
	}

	for (int step = 0; step < MAX_STEPS && in.n; step++) {
		uint8_t op = u8(&in);
		int c = (op >> 4) % NVCPU;
		struct msr_vcpu *v = &w.v[c];
		static struct msr_vcpu before[NVCPU];
		enum msr_access who = (op & 1) ? MSR_HOST : MSR_GUEST;
		uint64_t eff0 = v->spec_ctrl_eff;

		for (int i = 0; i < NVCPU; i++)
			w.v[i].dirty = 0;
		memcpy(before, w.v, sizeof(before));
		err_clear();

		switch ((op >> 1) % 8) {
		case 0: case 1: {		/* read */
			uint32_t idx = pick_index(&in);
			uint64_t val = 0x5a5a5a5a5a5a5a5aull;
			enum msr_status st = msr_read(&w.vm, v, idx, &val, who);

			CHECK((st == MSR_UNHANDLED) == !msr_layer_owns(idx));
			if (st != MSR_OK)
				CHECK(val == 0x5a5a5a5a5a5a5a5aull && strlen(err_msg()) > 0);
			/* Reads change no state. */
			CHECK(!memcmp(&before[c], v, TM_VCPU_STATE_SIZE - sizeof(unsigned int)));
			if (st == MSR_OK && idx == MSR_IA32_ARCH_CAPABILITIES)
				CHECK(val == w.vm.arch_cap);
			break;
		}
		case 2: case 3: case 4: {	/* write */
			uint32_t idx = pick_index(&in);
			uint64_t val = pick_value(&in);
			enum msr_status st = msr_write(&w.vm, v, idx, val, who);

			CHECK((st == MSR_UNHANDLED) == !msr_layer_owns(idx));
			if (st != MSR_OK) {
				/* A rejected write changes nothing (counters aside). */
				CHECK(strlen(err_msg()) > 0);
				CHECK(!memcmp(&before[c], v, TM_VCPU_STATE_SIZE));
			} else if (idx == MSR_IA32_SPEC_CTRL) {
				w.shadow[c] = val;
				if (who == MSR_GUEST)
					CHECK(spec_ctrl_exists(&w.vm.cpuid));
			}
			if (v->spec_ctrl_eff != eff0)
				CHECK(v->dirty & MSR_DIRTY_SPEC_CTRL);
			break;
		}
		case 5:				/* vCPU RESET */
			msr_vcpu_reset(&w.vm, v);
			w.shadow[c] = 0;
			CHECK(v->miti_ctrl == 0 && v->spec_ctrl == 0 && v->xss == 0);
			CHECK(v->nreads == before[c].nreads && v->ngp == before[c].ngp);
			break;
		case 6:				/* policy or host change */
			if (op & 0x40)
				pick_host(&in, &w.vm.host);
			else
				pick_force(&in, &w.vm.host, &w.vm.force);
			for (int i = 0; i < NVCPU; i++)
				msr_vcpu_refresh(&w.vm, &w.v[i]);
			break;
		default:			/* save/restore, maybe to another host */
			if (op & 0x40) {
				fuzz_parsers(&in);
				break;
			}
			vm2 = w.vm;
			if (op & 0x80)
				pick_host(&in, &vm2.host);
			msr_vm_init(&vm2);
			roundtrip(&w.vm, v, &vm2);
			break;
		}
		/* Only the addressed vCPU may change. */
		for (int i = 0; i < NVCPU; i++) {
			if (i != c && ((op >> 1) % 8) != 6)
				CHECK(!memcmp(&before[i], &w.v[i], TM_VCPU_STATE_SIZE -
					      sizeof(unsigned int)));
			check_vcpu(&w.vm, &w.v[i], w.shadow[i]);
		}
		check_vm(&w.vm);
	}
	return 0;
}
