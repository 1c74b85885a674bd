/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_CTL_SIZE_H
#define SHADOWVMM_CTL_SIZE_H

#include <stdint.h>

int parse_size(const char *text, uint64_t *bytes);
int parse_vm_id(const char *text, uint32_t *id);
void format_size(uint64_t bytes, char *buf, unsigned int len);

#endif
