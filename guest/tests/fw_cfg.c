/* SPDX-License-Identifier: MIT */
/* The three fw_cfg items specvisor provides. */
#include "rt.h"

int main(void)
{
	char sig[5] = { 0 };
	uint8_t b[2];

	fw_cfg_read(FW_CFG_SIGNATURE, sig, 4);
	for (int i = 0; i < 4; i++)
		if (sig[i] < 0x20 || sig[i] >= 0x7f)
			sig[i] = '.';
	printf("fw_cfg.signature: %s\n", sig);
	if (!fw_cfg_present())
		return 1;
	/* Raw reads here, not the helpers' fallbacks: the test is the device. */
	fw_cfg_read(FW_CFG_NB_CPUS, b, 2);
	printf("fw_cfg.nb_cpus: %u\n", b[0] | (unsigned)b[1] << 8);
	printf("fw_cfg.ram_size: 0x%llx\n", (unsigned long long)fw_cfg_ram_size());
	return 0;
}
