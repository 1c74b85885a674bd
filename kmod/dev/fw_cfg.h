/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_DEV_FW_CFG_H
#define SHADOWVMM_DEV_FW_CFG_H

#include <linux/types.h>

#define SHADOWVMM_FW_CFG_SELECTOR	0x510
#define SHADOWVMM_FW_CFG_DATA		0x511

/* QEMU's fw_cfg keys that small kernels read. */
#define FW_CFG_KEY_SIGNATURE	0x00
#define FW_CFG_KEY_ID		0x01
#define FW_CFG_KEY_RAM_SIZE	0x03
#define FW_CFG_KEY_NB_CPUS	0x05
#define FW_CFG_KEY_MAX_CPUS	0x0f

/* QEMU's fw_cfg, the traditional port interface without DMA. */
struct shadowvmm_fw_cfg {
	u64 ram_size;
	u16 cpus;
	u16 key;
	u32 offset;
};

void shadowvmm_fw_cfg_init(struct shadowvmm_fw_cfg *fw, u64 ram_size,
			   u16 cpus);
void shadowvmm_fw_cfg_select(struct shadowvmm_fw_cfg *fw, u16 key);
u8 shadowvmm_fw_cfg_read(struct shadowvmm_fw_cfg *fw);

#endif
