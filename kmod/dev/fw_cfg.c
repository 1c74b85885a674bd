// SPDX-License-Identifier: GPL-2.0
/*
 * fw_cfg lets a guest ask how many CPUs and how much RAM it has the same
 * way under QEMU and under us. Unknown keys read as zeros, as QEMU does.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <asm/byteorder.h>
#include "dev/fw_cfg.h"

void shadowvmm_fw_cfg_init(struct shadowvmm_fw_cfg *fw, u64 ram_size,
			   u16 cpus)
{
	*fw = (struct shadowvmm_fw_cfg){ .ram_size = ram_size, .cpus = cpus };
}

void shadowvmm_fw_cfg_select(struct shadowvmm_fw_cfg *fw, u16 key)
{
	fw->key = key;
	fw->offset = 0;
}

u8 shadowvmm_fw_cfg_read(struct shadowvmm_fw_cfg *fw)
{
	u8 item[8] = {};
	size_t len = 0;
	__le64 le64;
	__le32 le32;
	__le16 le16;

	switch (fw->key) {
	case FW_CFG_KEY_SIGNATURE:
		len = 4;
		memcpy(item, "QEMU", len);
		break;
	case FW_CFG_KEY_ID:
		le32 = cpu_to_le32(1);	/* traditional interface only */
		len = sizeof(le32);
		memcpy(item, &le32, len);
		break;
	case FW_CFG_KEY_RAM_SIZE:
		le64 = cpu_to_le64(fw->ram_size);
		len = sizeof(le64);
		memcpy(item, &le64, len);
		break;
	case FW_CFG_KEY_NB_CPUS:
	case FW_CFG_KEY_MAX_CPUS:
		le16 = cpu_to_le16(fw->cpus);
		len = sizeof(le16);
		memcpy(item, &le16, len);
		break;
	}
	if (fw->offset >= len)
		return 0;
	return item[fw->offset++];
}
