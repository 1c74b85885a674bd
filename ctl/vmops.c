// SPDX-License-Identifier: GPL-2.0
/* The requests the commands share: one function per family command. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/genl/genl.h>
#include "progress.h"
#include "vmops.h"

/* Images smaller than this load too fast to need a progress bar. */
#define PROGRESS_MIN	(4 << 20)

/**
 * svmm_connect() - open the family, or say in one line why not
 *
 * Return: 0, or -1 with the reason on stderr.
 */
int svmm_connect(struct svmm *s)
{
	int err = svmm_open(s);

	if (err == -ENOENT)
		fprintf(stderr, "shadowvmm: the shadowvmm module is not loaded (modprobe shadowvmm)\n");
	else if (err)
		fprintf(stderr, "shadowvmm: cannot open a generic netlink socket: %s\n",
			strerror(-err));
	return err ? -1 : 0;
}

/* "shadowvmm: VM 9: no such VM", or svmm_perror() naming the operation. */
void vm_perror(const struct svmm *s, const char *op, uint32_t id, int err)
{
	char what[64];

	/* ENOENT is what the kernel says for an unknown VM_ID (and only then). */
	if (err == -ENOENT && (s->ack.bad_attr == SHADOWVMM_A_VM_ID ||
			       !s->ack.msg[0] || strstr(s->ack.msg, "no such VM"))) {
		fprintf(stderr, "shadowvmm: VM %" PRIu32 ": no such VM\n", id);
		return;
	}
	snprintf(what, sizeof(what), "%s VM %" PRIu32, op, id);
	svmm_perror(s, what, err);
}

static struct nl_msg *vm_msg(struct svmm *s, uint8_t cmd, uint32_t id)
{
	struct nl_msg *msg = svmm_msg(s, cmd, 0);

	if (msg && nla_put_u32(msg, SHADOWVMM_A_VM_ID, id) < 0) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

static int parse_vm(struct nlattr **tb, void *arg)
{
	return vm_info_parse(tb, arg);
}

int vm_get(struct svmm *s, uint32_t id, struct vm_info *vm)
{
	struct nl_msg *msg = vm_msg(s, SHADOWVMM_CMD_VM_GET, id);

	memset(vm, 0, sizeof(*vm));
	if (!msg)
		return -ENOMEM;
	return svmm_request(s, msg, parse_vm, vm);
}

/* A command that names a VM and gets only an ACK: start, stop, destroy. */
int vm_op(struct svmm *s, uint8_t cmd, uint32_t id)
{
	struct nl_msg *msg = vm_msg(s, cmd, id);

	if (!msg)
		return -ENOMEM;
	return svmm_request(s, msg, NULL, NULL);
}

int vm_create(struct svmm *s, uint64_t mem_size, uint32_t mmu_pages,
	      struct vm_info *vm)
{
	struct nl_msg *msg = svmm_msg(s, SHADOWVMM_CMD_VM_CREATE, 0);
	int err;

	memset(vm, 0, sizeof(*vm));
	if (!msg)
		return -ENOMEM;
	if (nla_put_u64(msg, SHADOWVMM_A_MEM_SIZE, mem_size) < 0 ||
	    (mmu_pages &&
	     nla_put_u32(msg, SHADOWVMM_A_MMU_PAGES_MAX, mmu_pages) < 0)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	err = svmm_request(s, msg, parse_vm, vm);
	/* An ACK without a reply would leave us an id we never got. */
	if (!err && !vm->id)
		err = -EPROTO;
	return err;
}

int vm_console_write(struct svmm *s, uint32_t id, const uint8_t *data,
		     size_t len)
{
	struct nl_msg *msg = vm_msg(s, SHADOWVMM_CMD_CONSOLE_WRITE, id);

	if (!msg)
		return -ENOMEM;
	if (nla_put(msg, SHADOWVMM_A_DATA, len, data) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return svmm_request(s, msg, NULL, NULL);
}

static int mem_write(struct svmm *s, uint32_t id, uint64_t gpa,
		     const uint8_t *data, uint32_t len)
{
	struct nl_msg *msg = vm_msg(s, SHADOWVMM_CMD_MEM_WRITE, id);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u64(msg, SHADOWVMM_A_GPA, gpa) < 0 ||
	    nla_put(msg, SHADOWVMM_A_DATA, len, data) < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return svmm_request(s, msg, NULL, NULL);
}

static int put_module(struct nl_msg *msg, const struct guest_module *m)
{
	struct nlattr *nest = nla_nest_start(msg, SHADOWVMM_A_BOOT_MODULE);

	if (!nest ||
	    nla_put_u64(msg, SHADOWVMM_A_MODULE_ADDR, m->addr) < 0 ||
	    nla_put_u64(msg, SHADOWVMM_A_MODULE_SIZE, m->len) < 0 ||
	    (m->string &&
	     nla_put_string(msg, SHADOWVMM_A_MODULE_CMDLINE, m->string) < 0))
		return -ENOMEM;
	nla_nest_end(msg, nest);
	return 0;
}

static int boot_set(struct svmm *s, uint32_t id, const struct guest_image *img)
{
	struct nl_msg *msg = vm_msg(s, SHADOWVMM_CMD_BOOT_SET, id);
	unsigned int i;

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, SHADOWVMM_A_BOOT_ENTRY, img->boot.entry) < 0 ||
	    nla_put_string(msg, SHADOWVMM_A_BOOT_CMDLINE, img->cmdline) < 0 ||
	    nla_put_u32(msg, SHADOWVMM_A_BOOT_PROTOCOL, img->boot.protocol) < 0)
		goto nomem;
	for (i = 0; i < img->mods.nr; i++)
		if (put_module(msg, &img->mods.mod[i]))
			goto nomem;
	return svmm_request(s, msg, NULL, NULL);
nomem:
	nlmsg_free(msg);
	return -ENOMEM;
}

/*
 * Write @len bytes at @gpa in MEM_WRITE-sized chunks. Only file bytes are
 * written: fresh guest RAM reads as zero, so a segment's bss is there.
 */
static int write_bytes(struct svmm *s, uint32_t id, uint64_t gpa,
		       const uint8_t *data, uint64_t len,
		       volatile sig_atomic_t *interrupted, struct progress *bar,
		       uint64_t *written)
{
	uint64_t done;
	uint32_t n;
	int err;

	for (done = 0; done < len; done += n) {
		if (interrupted && *interrupted)
			return -EINTR;
		n = len - done > SHADOWVMM_MEM_CHUNK_MAX ?
			SHADOWVMM_MEM_CHUNK_MAX : len - done;
		err = mem_write(s, id, gpa + done, data + done, n);
		if (err)
			return err;
		*written += n;
		progress_update(bar, *written);
	}
	return 0;
}

/**
 * vm_load() - write a checked image and its modules into a created VM and
 * set its boot state
 *
 * Return: 0; -EINTR if *@interrupted was set (nothing printed); or another
 * negative errno with one line on stderr.
 */
int vm_load(struct svmm *s, uint32_t id, const struct guest_image *img,
	    volatile sig_atomic_t *interrupted)
{
	const struct boot_image *boot = &img->boot;
	uint64_t total = 0, written = 0;
	struct progress bar;
	char what[512];
	unsigned int i;
	int err = 0;

	for (i = 0; i < boot->nr_segments; i++)
		total += boot->segments[i].filesz;
	for (i = 0; i < img->mods.nr; i++)
		total += img->mods.mod[i].len;
	/* A bar for images that take a while: one MEM_WRITE per 16 KiB. */
	snprintf(what, sizeof(what), "loading %s", img->path);
	progress_start(&bar, what, total >= PROGRESS_MIN ? total : 0);
	for (i = 0; i < boot->nr_segments && !err; i++) {
		const struct boot_segment *seg = &boot->segments[i];

		err = write_bytes(s, id, seg->paddr, seg->data, seg->filesz,
				  interrupted, &bar, &written);
		if (err)
			snprintf(what, sizeof(what), "load segment %#" PRIx32 " into",
				 seg->paddr);
	}
	for (i = 0; i < img->mods.nr && !err; i++) {
		const struct guest_module *m = &img->mods.mod[i];

		err = write_bytes(s, id, m->addr, m->buf, m->len, interrupted,
				  &bar, &written);
		if (err)
			snprintf(what, sizeof(what), "load module %s into", m->path);
	}
	progress_end(&bar);
	if (err == -EINTR)
		return err;
	if (err) {
		vm_perror(s, what, id, err);
		return err;
	}
	err = boot_set(s, id, img);
	if (err)
		vm_perror(s, "set boot state of", id, err);
	return err;
}

/* The module describes each counter: keep them in the order it sent. */
static int on_stats(struct nlattr **tb, void *arg)
{
	struct nlattr *tbs[SHADOWVMM_A_MAX + 1];
	struct stat_list *l = arg;
	struct nlattr *stat;
	int rem, err;

	if (!tb[SHADOWVMM_A_STATS])
		return 0;
	nla_for_each_nested(stat, tb[SHADOWVMM_A_STATS], rem) {
		char name[SHADOWVMM_STAT_NAME_MAX];

		if (nla_type(stat) != SHADOWVMM_A_STAT)
			continue;
		if (svmm_parse_nested(tbs, stat) || !tbs[SHADOWVMM_A_STAT_NAME] ||
		    !tbs[SHADOWVMM_A_STAT_VALUE])
			return -EPROTO;
		nla_strlcpy(name, tbs[SHADOWVMM_A_STAT_NAME], sizeof(name));
		err = stat_list_add(l, name, nla_get_u64(tbs[SHADOWVMM_A_STAT_VALUE]),
				    tbs[SHADOWVMM_A_STAT_KIND] ?
				    nla_get_u32(tbs[SHADOWVMM_A_STAT_KIND]) :
				    SHADOWVMM_STAT_CUMULATIVE);
		if (err)
			return err;
		/* A module older than units sends none: a plain count. */
		if (tbs[SHADOWVMM_A_STAT_UNIT])
			l->stats[l->nr - 1].unit =
				nla_get_u32(tbs[SHADOWVMM_A_STAT_UNIT]);
	}
	return 0;
}

int vm_stats_get(struct svmm *s, uint32_t id, struct stat_list *l)
{
	struct nl_msg *msg = vm_msg(s, SHADOWVMM_CMD_STATS_GET, id);

	if (!msg)
		return -ENOMEM;
	return svmm_request(s, msg, on_stats, l);
}
