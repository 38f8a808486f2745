/* SPDX-License-Identifier: MIT */
#include "rt.h"

void fw_cfg_read(uint16_t key, void *buf, size_t len)
{
	uint8_t *p = buf;

	outw(key, FW_CFG_PORT_SEL);
	while (len--)
		*p++ = inb(FW_CFG_PORT_DATA);
}

bool fw_cfg_present(void)
{
	char sig[4];

	fw_cfg_read(FW_CFG_SIGNATURE, sig, sizeof(sig));
	return !memcmp(sig, "QEMU", 4);
}

unsigned fw_cfg_nb_cpus(void)
{
	uint8_t b[2];
	unsigned n;

	if (!fw_cfg_present())
		return 1;
	fw_cfg_read(FW_CFG_NB_CPUS, b, sizeof(b));
	n = b[0] | (unsigned)b[1] << 8;
	return n ? n : 1;
}

uint64_t fw_cfg_ram_size(void)
{
	uint8_t b[8];
	uint64_t v = 0;

	if (!fw_cfg_present())
		return 0;
	fw_cfg_read(FW_CFG_RAM_SIZE, b, sizeof(b));
	for (int i = 7; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}
