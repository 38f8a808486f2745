/* SPDX-License-Identifier: MIT */
#ifndef SV_MSR_INDEX_H
#define SV_MSR_INDEX_H

/* MSR numbers and bits (shared/reference/cpu-security-controls.md §1-§4). */

#define MSR_IA32_SPEC_CTRL		0x00000048u
#define MSR_IA32_PRED_CMD		0x00000049u
#define MSR_IA32_ARCH_CAPABILITIES	0x0000010au
#define MSR_IA32_FLUSH_CMD		0x0000010bu
#define MSR_IA32_XSS			0x00000da0u
#define MSR_IA32_U_CET			0x000006a0u
#define MSR_IA32_S_CET			0x000006a2u
#define MSR_IA32_PL0_SSP		0x000006a4u
#define MSR_IA32_PL1_SSP		0x000006a5u
#define MSR_IA32_PL2_SSP		0x000006a6u
#define MSR_IA32_PL3_SSP		0x000006a7u
#define MSR_IA32_INT_SSP_TAB		0x000006a8u
#define MSR_VIRTUAL_ENUMERATION		0x50000000u
#define MSR_VIRTUAL_MITIGATION_ENUM	0x50000001u
#define MSR_VIRTUAL_MITIGATION_CTRL	0x50000002u

/* IA32_SPEC_CTRL bits (§1.1). Bit 9 is UNVERIFIED and treated as reserved. */
#define SPEC_CTRL_IBRS			(1ull << 0)
#define SPEC_CTRL_STIBP			(1ull << 1)
#define SPEC_CTRL_SSBD			(1ull << 2)
#define SPEC_CTRL_IPRED_DIS_U		(1ull << 3)
#define SPEC_CTRL_IPRED_DIS_S		(1ull << 4)
#define SPEC_CTRL_RRSBA_DIS_U		(1ull << 5)
#define SPEC_CTRL_RRSBA_DIS_S		(1ull << 6)
#define SPEC_CTRL_PSFD			(1ull << 7)
#define SPEC_CTRL_DDPD_U		(1ull << 8)
#define SPEC_CTRL_BHI_DIS_S		(1ull << 10)
#define SPEC_CTRL_DEFINED		0x5ffull	/* bits 0-8 and 10 */

/* IA32_PRED_CMD (§1.4), IA32_FLUSH_CMD (§1.5) */
#define PRED_CMD_IBPB			(1ull << 0)
#define PRED_CMD_SBPB			(1ull << 7)
#define FLUSH_CMD_L1D			(1ull << 0)

/* IA32_ARCH_CAPABILITIES (§2.1) */
#define ARCH_CAP_RDCL_NO		(1ull << 0)
#define ARCH_CAP_IBRS_ALL		(1ull << 1)
#define ARCH_CAP_RSBA			(1ull << 2)
#define ARCH_CAP_SKIP_VMENTRY_L1DFLUSH	(1ull << 3)
#define ARCH_CAP_SSB_NO			(1ull << 4)
#define ARCH_CAP_MDS_NO			(1ull << 5)
#define ARCH_CAP_PSCHANGE_MC_NO		(1ull << 6)
#define ARCH_CAP_TSX_CTRL_MSR		(1ull << 7)
#define ARCH_CAP_TAA_NO			(1ull << 8)
#define ARCH_CAP_SBDR_SSDP_NO		(1ull << 13)
#define ARCH_CAP_FBSDP_NO		(1ull << 14)
#define ARCH_CAP_PSDP_NO		(1ull << 15)
#define ARCH_CAP_FB_CLEAR		(1ull << 17)
#define ARCH_CAP_RRSBA			(1ull << 19)
#define ARCH_CAP_BHI_NO			(1ull << 20)
#define ARCH_CAP_PBRSB_NO		(1ull << 24)
#define ARCH_CAP_GDS_NO			(1ull << 26)
#define ARCH_CAP_RFDS_NO		(1ull << 27)
#define ARCH_CAP_RFDS_CLEAR		(1ull << 28)
#define ARCH_CAP_ITS_NO			(1ull << 62)
#define ARCH_CAP_VIRTUAL_ENUM		(1ull << 63)

/* Virtual MSRs (§3.1) */
#define VIRT_ENUM_MITIGATION_CTRL_SUPPORT	(1ull << 0)
#define MITI_ENUM_BHB_CLEAR_SEQ_S_SUPPORT	(1ull << 0)
#define MITI_ENUM_RETPOLINE_S_SUPPORT		(1ull << 1)
#define MITI_CTRL_BHB_CLEAR_SEQ_S_USED		(1ull << 0)
#define MITI_CTRL_RETPOLINE_S_USED		(1ull << 1)
/* All other bits are reserved in the patches (§3.1). */
#define VIRT_ENUM_DEFINED			VIRT_ENUM_MITIGATION_CTRL_SUPPORT
#define MITI_ENUM_DEFINED			(MITI_ENUM_BHB_CLEAR_SEQ_S_SUPPORT | \
						 MITI_ENUM_RETPOLINE_S_SUPPORT)
#define MITI_CTRL_DEFINED			(MITI_CTRL_BHB_CLEAR_SEQ_S_USED | \
						 MITI_CTRL_RETPOLINE_S_USED)

/* CET (§4.2) */
#define CET_SHSTK_EN			(1ull << 0)
#define CET_WRSS_EN			(1ull << 1)
#define CET_ENDBR_EN			(1ull << 2)
#define CET_LEG_IW_EN			(1ull << 3)
#define CET_NO_TRACK_EN			(1ull << 4)
#define CET_SUPPRESS_DISABLE		(1ull << 5)
#define CET_SUPPRESS			(1ull << 10)
#define CET_WAIT_ENDBR			(1ull << 11)
#define CET_RESERVED			(0xfull << 6)	/* bits 9:6 (§4.3) */
#define XFEATURE_MASK_CET_USER		(1ull << 11)
#define XFEATURE_MASK_CET_KERNEL	(1ull << 12)

/* Vendor-neutral discovery leaves (PRODUCT.md; docs/guest-interface.md) */
#define SPECVISOR_CPUID_BASE		0x40000100u
#define SPECVISOR_CPUID_FEATURES	0x40000101u
#define SPECVISOR_FEAT_VIRT_MITIG_MSRS	(1u << 0)
#define SPECVISOR_SIGNATURE		"SpecvisorVMM"

#endif
