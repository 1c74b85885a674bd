/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_CTL_TRANSLATE_H
#define SHADOWVMM_CTL_TRANSLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define WALK_MAX	5	/* entries of one walk: 4 levels, and room */

/* SHADOWVMM_A_WALK_ENTRY */
struct walk_entry {
	uint32_t level;		/* 1 holds PTEs */
	uint64_t value;
	bool has_addr;		/* guest entries, except PAE PDPTEs */
	uint64_t addr;
};

/* A SHADOWVMM_CMD_TRANSLATE reply, and the access that was asked for. */
struct translation {
	uint32_t vm_id;
	uint64_t gva;
	uint32_t access;	/* SHADOWVMM_ACCESS_* */
	uint32_t mode;		/* enum shadowvmm_paging_mode */
	struct walk_entry guest[WALK_MAX], shadow[WALK_MAX];
	unsigned int nr_guest, nr_shadow;
	bool has_gpa, has_pf, has_hpa;
	uint64_t gpa, hpa;
	uint32_t pf_error_code;
};

/* How an entry's bits read: the three x86 layouts. */
enum entry_format {
	ENTRY_32,		/* 32-bit paging: 4 bytes, no NX, PSE-36 */
	ENTRY_PDPTE,		/* PAE's PDPTEs: P, PWT, PCD and the address */
	ENTRY_64,		/* PAE below the PDPTEs, 4-level, the shadow */
};

enum entry_format guest_entry_format(uint32_t mode, uint32_t level);
enum entry_format shadow_entry_format(uint32_t top_level, uint32_t level);
const char *level_name(uint32_t level);
bool entry_is_leaf(enum entry_format fmt, uint32_t level, uint64_t value);
/* The physical address the entry points at: a table, or a page. */
uint64_t entry_frame(enum entry_format fmt, uint32_t level, uint64_t value);
/* "P RW US PWT PCD A D PS G NX" with '-' for a clear bit, blank for none. */
void entry_flags(enum entry_format fmt, uint32_t level, uint64_t value,
		 char *buf, size_t len);
/* "4K page 0x1ff5000", "table 0x1ff3000", or "" when not present. */
void entry_maps(enum entry_format fmt, uint32_t level, uint64_t value,
		char *buf, size_t len);
/* "supervisor read", "user write", "supervisor fetch". */
void describe_access(uint32_t access, char *buf, size_t len);
/* "0x3 (P W): protection violation on a supervisor write" */
void describe_pf_error(uint32_t code, char *buf, size_t len);

void print_translation(FILE *f, const struct translation *t);
void print_translation_json(FILE *f, const struct translation *t);

#endif
