/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_CTL_SIZE_H
#define SHADOWVMM_CTL_SIZE_H

#include <stddef.h>
#include <stdint.h>

/* "4096", "64K", "32M", "2m", "1G", "1GiB": binary multiples. 0 or -EINVAL. */
int parse_size(const char *text, uint64_t *bytes);
/* A VM id as the kernel hands them out: 1 to 2^32-1. 0 or -EINVAL. */
int parse_vm_id(const char *text, uint32_t *id);
/* A count: decimal, 1 to 2^32-1. 0 or -EINVAL. */
int parse_count(const char *text, uint32_t *n);
/* An address: "0x" and hex digits, or decimal; 64 bits. 0 or -EINVAL. */
int parse_address(const char *text, uint64_t *addr);
/* Seconds, "2" or "0.5": from 0.1 to a day. 0 or -EINVAL. */
int parse_seconds(const char *text, double *seconds);
/* The shortest exact form: "32M", "4K", "12345". */
void format_size(uint64_t bytes, char *buf, size_t len);

#endif
