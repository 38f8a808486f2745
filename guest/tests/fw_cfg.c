/* SPDX-License-Identifier: MIT */
/* The fw_cfg items specvisor provides, and its file directory. */
#include "rt.h"

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* FILE_DIR (0x19): u32 BE count, then 64-byte entries {u32 BE size, u16 BE
 * select, u16 reserved, char name[56]}; each file's first bytes are printed. */
static void list_files(void)
{
	uint8_t dir[4 + 8 * 64];
	uint32_t n;

	fw_cfg_read(0x19, dir, sizeof(dir));
	n = be32(dir);
	printf("fw_cfg.files: %u\n", n);
	for (uint32_t i = 0; i < n && i < 8; i++) {
		const uint8_t *e = dir + 4 + 64 * i;
		uint16_t sel = (uint16_t)(e[4] << 8 | e[5]);
		char data[33] = { 0 };
		uint32_t size = be32(e), len = size < 32 ? size : 32;

		fw_cfg_read(sel, data, len);
		for (uint32_t j = 0; j < len; j++)
			if (data[j] < 0x20 || data[j] >= 0x7f)
				data[j] = '.';
		printf("fw_cfg.file: %s size=%u data=%s\n", (const char *)e + 8, size, data);
	}
}

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
	list_files();
	return 0;
}
