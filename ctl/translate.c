// SPDX-License-Identifier: GPL-2.0
/*
 * The teaching view of SHADOWVMM_CMD_TRANSLATE: a guest address walked
 * through the guest's page tables to a guest-physical address, next to the
 * shadow entries the CPU really walks for it, each entry decoded.
 */
#include <inttypes.h>
#include <string.h>
#include <linux/shadowvmm.h>
#include "output.h"
#include "table.h"
#include "translate.h"

#define PF_P		(1U << 0)
#define PF_W		(1U << 1)
#define PF_U		(1U << 2)
#define PF_RSVD		(1U << 3)
#define PF_ID		(1U << 4)
#define PF_PK		(1U << 5)
#define PF_SS		(1U << 6)

#define BIT_P		(1ULL << 0)
#define BIT_RW		(1ULL << 1)
#define BIT_US		(1ULL << 2)
#define BIT_D		(1ULL << 6)
#define BIT_PS		(1ULL << 7)
#define BIT_NX		(1ULL << 63)

#define ADDR_32		0xfffff000ULL
#define ADDR_64		0x000ffffffffff000ULL

static const struct {
	const char *name;
	int bit;
} flag_slots[] = {
	{ "P", 0 }, { "RW", 1 }, { "US", 2 }, { "PWT", 3 }, { "PCD", 4 },
	{ "A", 5 }, { "D", 6 }, { "PS", 7 }, { "G", 8 }, { "NX", 63 },
};

#define NR_SLOTS (sizeof(flag_slots) / sizeof(flag_slots[0]))

enum entry_format guest_entry_format(uint32_t mode, uint32_t level)
{
	if (mode == SHADOWVMM_PAGING_32)
		return ENTRY_32;
	if (mode == SHADOWVMM_PAGING_PAE && level == 3)
		return ENTRY_PDPTE;
	return ENTRY_64;
}

/* The shadow is PAE below a 4-entry root for guests without long mode. */
enum entry_format shadow_entry_format(uint32_t top_level, uint32_t level)
{
	return top_level == 3 && level == 3 ? ENTRY_PDPTE : ENTRY_64;
}

const char *level_name(uint32_t level)
{
	static const char *const names[] = { "?", "PTE", "PDE", "PDPTE", "PML4E" };

	return level < sizeof(names) / sizeof(names[0]) ? names[level] : "?";
}

static bool has_ps(enum entry_format fmt, uint32_t level)
{
	return level == 2 ? fmt != ENTRY_PDPTE : level == 3 && fmt == ENTRY_64;
}

bool entry_is_leaf(enum entry_format fmt, uint32_t level, uint64_t value)
{
	return level == 1 || (has_ps(fmt, level) && (value & BIT_PS));
}

uint64_t entry_frame(enum entry_format fmt, uint32_t level, uint64_t value)
{
	bool leaf = entry_is_leaf(fmt, level, value);

	if (fmt == ENTRY_32) {
		/* A 4 MiB page: PSE-36 puts address bits 39:32 in 20:13. */
		if (leaf && level == 2)
			return (value & 0xffc00000ULL) | ((value >> 13 & 0xff) << 32);
		return value & ADDR_32;
	}
	if (leaf && level == 2)
		return value & ADDR_64 & ~((1ULL << 21) - 1);
	if (leaf && level == 3)
		return value & ADDR_64 & ~((1ULL << 30) - 1);
	return value & ADDR_64;
}

static bool slot_applies(enum entry_format fmt, uint32_t level, bool leaf,
			 const char *name)
{
	if (!strcmp(name, "P") || !strcmp(name, "PWT") || !strcmp(name, "PCD"))
		return true;
	if (fmt == ENTRY_PDPTE)
		return false;
	if (!strcmp(name, "D") || !strcmp(name, "G"))
		return leaf;
	if (!strcmp(name, "PS"))
		return has_ps(fmt, level);
	if (!strcmp(name, "NX"))
		return fmt == ENTRY_64;
	return true;
}

void entry_flags(enum entry_format fmt, uint32_t level, uint64_t value,
		 char *buf, size_t len)
{
	bool leaf = entry_is_leaf(fmt, level, value);
	size_t used = 0, i;
	int n;

	buf[0] = '\0';
	if (!(value & BIT_P)) {
		snprintf(buf, len, "not present");
		return;
	}
	for (i = 0; i < NR_SLOTS && used < len; i++) {
		const char *name = flag_slots[i].name;
		int w = strlen(name);

		if (!slot_applies(fmt, level, leaf, name))
			n = snprintf(buf + used, len - used, "%s%*s", i ? " " : "", w, "");
		else if (value >> flag_slots[i].bit & 1)
			n = snprintf(buf + used, len - used, "%s%s", i ? " " : "", name);
		else
			n = snprintf(buf + used, len - used, "%s%-*s", i ? " " : "", w, "-");
		used += n;
	}
}

static const char *page_size(enum entry_format fmt, uint32_t level)
{
	if (level == 1)
		return "4K";
	if (level == 2)
		return fmt == ENTRY_32 ? "4M" : "2M";
	return "1G";
}

void entry_maps(enum entry_format fmt, uint32_t level, uint64_t value,
		char *buf, size_t len)
{
	uint64_t frame = entry_frame(fmt, level, value);

	if (!(value & BIT_P))
		snprintf(buf, len, "%s", "");
	else if (entry_is_leaf(fmt, level, value))
		snprintf(buf, len, "%s page 0x%" PRIx64, page_size(fmt, level), frame);
	else
		snprintf(buf, len, "table 0x%" PRIx64, frame);
}

/* The access as the error code's (and SHADOWVMM_ACCESS_*) bits say it. */
void describe_access(uint32_t access, char *buf, size_t len)
{
	snprintf(buf, len, "%s %s", access & PF_U ? "user" : "supervisor",
		 access & PF_ID ? "fetch" : access & PF_W ? "write" : "read");
}

void describe_pf_error(uint32_t code, char *buf, size_t len)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} bits[] = {
		{ PF_P, "P" }, { PF_W, "W" }, { PF_U, "U" }, { PF_RSVD, "RSVD" },
		{ PF_ID, "I/D" }, { PF_PK, "PK" }, { PF_SS, "SS" },
	};
	char names[64] = "", access[32];
	const char *why;
	unsigned int i;

	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (code & bits[i].bit)
			snprintf(names + strlen(names), sizeof(names) - strlen(names),
				 "%s%s", names[0] ? " " : "", bits[i].name);
	if (code & PF_RSVD)
		why = "reserved bit set in an entry";
	else if (code & PF_P)
		why = "protection violation";
	else
		why = "page not present";
	describe_access(code, access, sizeof(access));
	if (names[0])
		snprintf(buf, len, "0x%" PRIx32 " (%s): %s on a %s", code, names, why, access);
	else
		snprintf(buf, len, "0x%" PRIx32 ": %s on a %s", code, why, access);
}

static const char *mode_words(uint32_t mode)
{
	switch (mode) {
	case SHADOWVMM_PAGING_OFF:
		return "paging off";
	case SHADOWVMM_PAGING_32:
		return "32-bit paging";
	case SHADOWVMM_PAGING_PAE:
		return "PAE paging";
	case SHADOWVMM_PAGING_4LEVEL:
		return "4-level paging";
	default:
		return "unknown paging mode";
	}
}

static void flags_header(char *buf, size_t len)
{
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < NR_SLOTS; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", i ? " " : "",
			 flag_slots[i].name);
}

/* One walk as a table; the guest's has the entries' addresses too. */
static void print_walk(FILE *f, const struct walk_entry *e, unsigned int nr,
		       bool guest, uint32_t mode)
{
	char flags[64], maps[64], header[64];
	int digits = guest && mode == SHADOWVMM_PAGING_32 ? 8 : 16;
	uint32_t top = nr ? e[0].level : 0;
	struct table t;
	unsigned int i;

	table_init(&t, guest ? 5 : 4, guest ? "lllll" : "llll");
	flags_header(header, sizeof(header));
	table_cell(&t, "LEVEL");
	table_cell(&t, "ENTRY");
	if (guest)
		table_cell(&t, "AT GPA");
	table_cell(&t, header);
	table_cell(&t, "MAPS");
	for (i = 0; i < nr; i++) {
		enum entry_format fmt = guest ? guest_entry_format(mode, e[i].level) :
					shadow_entry_format(top, e[i].level);

		entry_flags(fmt, e[i].level, e[i].value, flags, sizeof(flags));
		entry_maps(fmt, e[i].level, e[i].value, maps, sizeof(maps));
		table_cell(&t, level_name(e[i].level));
		table_cellf(&t, "0x%0*" PRIx64, digits, e[i].value);
		if (guest && e[i].has_addr)
			table_cellf(&t, "0x%" PRIx64, e[i].addr);
		else if (guest)
			table_cell(&t, "(in the CPU)");
		table_cell(&t, flags);
		table_cell(&t, maps);
	}
	table_print(&t, f, "  ");
	table_free(&t);
}

/* What the shadow's entries allow, all levels together, as the CPU sees it. */
static bool shadow_allows(const struct translation *t)
{
	bool rw = true, us = true, nx = false;
	uint32_t top = t->nr_shadow ? t->shadow[0].level : 0;
	unsigned int i;

	for (i = 0; i < t->nr_shadow; i++) {
		uint64_t v = t->shadow[i].value;

		if (shadow_entry_format(top, t->shadow[i].level) == ENTRY_PDPTE)
			continue;
		rw = rw && (v & BIT_RW);
		us = us && (v & BIT_US);
		nx = nx || (v & BIT_NX);
	}
	return !((t->access & PF_W) && !rw) && !((t->access & PF_U) && !us) &&
	       !((t->access & PF_ID) && nx);
}

/* The guest's entry for the page has D clear: the first write sets it. */
static bool guest_leaf_clean(const struct translation *t)
{
	const struct walk_entry *e;
	enum entry_format fmt;

	if (!t->nr_guest)
		return false;
	e = &t->guest[t->nr_guest - 1];
	fmt = guest_entry_format(t->mode, e->level);
	return entry_is_leaf(fmt, e->level, e->value) && !(e->value & BIT_D);
}

static void print_shadow_result(FILE *f, const struct translation *t)
{
	const struct walk_entry *last = &t->shadow[t->nr_shadow - 1];

	if (!t->has_hpa) {
		fprintf(f, "  => not mapped in the shadow at level %" PRIu32 " (%s)%s\n",
			last->level, level_name(last->level),
			t->has_pf ? ": the next access exits to the VMM, which passes the guest its #PF" :
				    " (filled on the next access)");
		return;
	}
	fprintf(f, "  => HPA 0x%" PRIx64 "\n", t->hpa);
	if (shadow_allows(t))
		return;
	if (t->has_pf)
		fprintf(f, "     the CPU faults here too, and the VMM passes the guest its #PF\n");
	else if ((t->access & PF_W) && guest_leaf_clean(t))
		fprintf(f, "     read-only in the shadow while the guest's D bit is clear: a write exits to the VMM first\n");
	else if (t->access & PF_W)
		fprintf(f, "     read-only in the shadow: the page holds a guest page table, whose writes the VMM carries out\n");
	else
		fprintf(f, "     the shadow does not allow this access yet: it exits to the VMM first\n");
}

void print_translation(FILE *f, const struct translation *t)
{
	char access[32], why[128];

	describe_access(t->access, access, sizeof(access));
	fprintf(f, "VM %" PRIu32 ": GVA 0x%" PRIx64 ", %s, %s\n\n", t->vm_id, t->gva,
		access, mode_words(t->mode));
	if (t->mode == SHADOWVMM_PAGING_OFF) {
		fprintf(f, "Guest paging is off: the GPA is the GVA.\n");
	} else {
		fprintf(f, "Guest page walk, from CR3 (entries in guest-physical memory):\n");
		print_walk(f, t->guest, t->nr_guest, true, t->mode);
	}
	if (t->has_pf) {
		describe_pf_error(t->pf_error_code, why, sizeof(why));
		fprintf(f, "  => guest #PF, error code %s\n", why);
	} else {
		fprintf(f, "  => GPA 0x%" PRIx64 "\n", t->gpa);
	}

	fprintf(f, "\nShadow page walk, what the CPU walks (entries in host-physical memory):\n");
	if (!t->nr_shadow) {
		fprintf(f, "  (no shadow page table loaded)\n");
	} else {
		print_walk(f, t->shadow, t->nr_shadow, false, t->mode);
		print_shadow_result(f, t);
	}

	fprintf(f, "\nGVA 0x%" PRIx64, t->gva);
	if (t->has_pf)
		fprintf(f, " -> guest #PF, error code 0x%" PRIx32 "\n", t->pf_error_code);
	else if (t->has_hpa)
		fprintf(f, " -> GPA 0x%" PRIx64 " -> HPA 0x%" PRIx64 "\n", t->gpa, t->hpa);
	else
		fprintf(f, " -> GPA 0x%" PRIx64 " -> not in the shadow yet\n", t->gpa);
}

static void print_walk_json(FILE *f, const char *key, const struct walk_entry *e,
			    unsigned int nr)
{
	unsigned int i;

	fprintf(f, ",\"%s\":[", key);
	for (i = 0; i < nr; i++) {
		fprintf(f, "%s{\"walk_level\":%" PRIu32 ",\"walk_value\":%" PRIu64,
			i ? "," : "", e[i].level, e[i].value);
		if (e[i].has_addr)
			fprintf(f, ",\"walk_addr\":%" PRIu64, e[i].addr);
		fputc('}', f);
	}
	fputc(']', f);
}

/* Raw numbers under the attributes' names, in the reply's order. */
void print_translation_json(FILE *f, const struct translation *t)
{
	fprintf(f, "{\"vm_id\":%" PRIu32 ",\"gva\":%" PRIu64 ",\"access\":%" PRIu32 ",\"paging_mode\":\"%s\"",
		t->vm_id, t->gva, t->access, paging_mode_name(t->mode));
	print_walk_json(f, "guest_walk", t->guest, t->nr_guest);
	if (t->has_pf)
		fprintf(f, ",\"pf_error_code\":%" PRIu32, t->pf_error_code);
	if (t->has_gpa)
		fprintf(f, ",\"gpa\":%" PRIu64, t->gpa);
	print_walk_json(f, "shadow_walk", t->shadow, t->nr_shadow);
	if (t->has_hpa)
		fprintf(f, ",\"hpa\":%" PRIu64, t->hpa);
	fputs("}\n", f);
}
