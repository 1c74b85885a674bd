// SPDX-License-Identifier: GPL-2.0
/* The commands that manage one VM at a time, and what they share. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <netlink/genl/genl.h>
#include "cmd.h"
#include "multiboot.h"
#include "size.h"

/* Images above this are refused before reading: larger than any guest RAM. */
#define IMAGE_MAX	SHADOWVMM_MEM_SIZE_MAX

int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "shadowvmm: %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see 'shadowvmm help %s')\n", cmd);
	return EXIT_USAGE;
}

int connect_family(struct svmm *s)
{
	int err = svmm_open(s);

	if (err == -ENOENT)
		fprintf(stderr, "shadowvmm: the shadowvmm module is not loaded (modprobe shadowvmm)\n");
	else if (err)
		fprintf(stderr, "shadowvmm: cannot open a generic netlink socket: %s\n", strerror(-err));
	return err ? EXIT_ERROR : EXIT_OK;
}

static int put_failed(struct nl_msg *msg)
{
	nlmsg_free(msg);
	fprintf(stderr, "shadowvmm: request too large for a netlink message\n");
	return -EMSGSIZE;
}

static int parse_vm(struct nlattr **tb, void *arg)
{
	vm_info_parse(tb, arg);
	return 0;
}

int vm_get(struct svmm *s, uint32_t id, struct vm_info *vm)
{
	struct nl_msg *msg = svmm_msg(s, SHADOWVMM_CMD_VM_GET, 0);

	if (!msg || nla_put_u32(msg, SHADOWVMM_A_VM_ID, id))
		return put_failed(msg);
	return svmm_request(s, msg, parse_vm, vm);
}

/* A command that names a VM and needs nothing back: start, stop, destroy. */
int vm_simple(struct svmm *s, uint8_t cmd, uint32_t id, const char *what)
{
	struct nl_msg *msg = svmm_msg(s, cmd, 0);
	char where[64];
	int err;

	if (!msg || nla_put_u32(msg, SHADOWVMM_A_VM_ID, id))
		return put_failed(msg);
	err = svmm_request(s, msg, NULL, NULL);
	if (err) {
		snprintf(where, sizeof(where), "%s VM %" PRIu32, what, id);
		svmm_perror(s, where, err);
	}
	return err;
}

static int parse_id(struct nlattr **tb, void *arg)
{
	if (tb[SHADOWVMM_A_VM_ID])
		*(uint32_t *)arg = nla_get_u32(tb[SHADOWVMM_A_VM_ID]);
	return 0;
}

int vm_create(struct svmm *s, uint64_t mem_size, uint32_t *id)
{
	struct nl_msg *msg = svmm_msg(s, SHADOWVMM_CMD_VM_CREATE, 0);
	int err;

	*id = 0;
	if (!msg || nla_put_u64(msg, SHADOWVMM_A_MEM_SIZE, mem_size))
		return put_failed(msg);
	err = svmm_request(s, msg, parse_id, id);
	if (err)
		svmm_perror(s, "create", err);
	else if (!*id)
		err = -EPROTO;
	return err;
}

static uint8_t *read_file(const char *path, size_t *len)
{
	struct stat st;
	uint8_t *buf;
	FILE *f;

	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "shadowvmm: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "shadowvmm: %s: not a regular file\n", path);
		fclose(f);
		return NULL;
	}
	if ((uint64_t)st.st_size > IMAGE_MAX) {
		fprintf(stderr, "shadowvmm: %s: image larger than the largest guest RAM\n", path);
		fclose(f);
		return NULL;
	}
	buf = malloc(st.st_size ? st.st_size : 1);
	if (!buf || fread(buf, 1, st.st_size, f) != (size_t)st.st_size) {
		fprintf(stderr, "shadowvmm: %s: cannot read: %s\n", path, strerror(errno ? errno : EIO));
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*len = st.st_size;
	return buf;
}

static int write_segment(struct svmm *s, uint32_t id, const struct mb_segment *seg)
{
	uint32_t done, n;
	int err;

	for (done = 0; done < seg->filesz; done += n) {
		struct nl_msg *msg = svmm_msg(s, SHADOWVMM_CMD_MEM_WRITE, 0);

		n = seg->filesz - done;
		if (n > SHADOWVMM_MEM_CHUNK_MAX)
			n = SHADOWVMM_MEM_CHUNK_MAX;
		if (!msg || nla_put_u32(msg, SHADOWVMM_A_VM_ID, id) ||
		    nla_put_u64(msg, SHADOWVMM_A_GPA, (uint64_t)seg->paddr + done) ||
		    nla_put(msg, SHADOWVMM_A_DATA, n, seg->data + done))
			return put_failed(msg);
		err = svmm_request(s, msg, NULL, NULL);
		if (err) {
			svmm_perror(s, "load", err);
			return err;
		}
	}
	return 0;
}

/**
 * image_open() - read and check a multiboot image before touching the VM
 *
 * Return: EXIT_OK with @img filled (free with image_close()), or
 * EXIT_ERROR with the message printed.
 */
int image_open(struct guest_image *img, const char *path, uint64_t mem_size)
{
	char err[256];

	img->path = path;
	img->buf = read_file(path, &img->len);
	if (!img->buf)
		return EXIT_ERROR;
	if (mb_load(img->buf, img->len, mem_size, &img->mb, err, sizeof(err))) {
		fprintf(stderr, "shadowvmm: %s: %s\n", path, err);
		image_close(img);
		return EXIT_ERROR;
	}
	return EXIT_OK;
}

void image_close(struct guest_image *img)
{
	free(img->buf);
	img->buf = NULL;
}

/**
 * load_image() - put a checked image into a created VM and set its boot
 * state; the command line is "<path as typed> <args>", as QEMU passes it
 *
 * Return: EXIT_OK or EXIT_ERROR, with the message printed.
 */
int load_image(struct svmm *s, uint32_t id, const struct guest_image *img,
	       const char *args)
{
	struct nl_msg *msg;
	unsigned int i;
	char *cmdline;
	int err;

	for (i = 0; i < img->mb.nr_segments; i++)
		if (write_segment(s, id, &img->mb.segments[i]))
			return EXIT_ERROR;

	if (asprintf(&cmdline, "%s%s%s", img->path, args ? " " : "",
		     args ? args : "") < 0)
		return EXIT_ERROR;
	msg = svmm_msg(s, SHADOWVMM_CMD_BOOT_SET, 0);
	if (!msg || nla_put_u32(msg, SHADOWVMM_A_VM_ID, id) ||
	    nla_put_u32(msg, SHADOWVMM_A_BOOT_ENTRY, img->mb.entry) ||
	    nla_put_string(msg, SHADOWVMM_A_BOOT_CMDLINE, cmdline)) {
		free(cmdline);
		put_failed(msg);
		return EXIT_ERROR;
	}
	free(cmdline);
	err = svmm_request(s, msg, NULL, NULL);
	if (err) {
		svmm_perror(s, "load", err);
		return EXIT_ERROR;
	}
	return EXIT_OK;
}

struct console_chunk {
	uint64_t offset;
	uint64_t dropped;
	long len;
};

static int parse_console(struct nlattr **tb, void *arg)
{
	struct console_chunk *c = arg;
	struct nlattr *data = tb[SHADOWVMM_A_DATA];

	if (tb[SHADOWVMM_A_CONSOLE_OFFSET])
		c->offset = nla_get_u64(tb[SHADOWVMM_A_CONSOLE_OFFSET]);
	if (tb[SHADOWVMM_A_CONSOLE_DROPPED])
		c->dropped = nla_get_u64(tb[SHADOWVMM_A_CONSOLE_DROPPED]);
	if (data && nla_len(data)) {
		if (fwrite(nla_data(data), 1, nla_len(data), stdout) != (size_t)nla_len(data))
			return -EIO;
		c->len = nla_len(data);
	}
	return 0;
}

/* Copy console output from *offset to stdout. Return: bytes, or -errno. */
long console_read(struct svmm *s, uint32_t id, uint64_t *offset,
		  uint64_t *dropped)
{
	struct nl_msg *msg = svmm_msg(s, SHADOWVMM_CMD_CONSOLE_READ, 0);
	struct console_chunk c = { .offset = *offset };
	int err;

	if (!msg || nla_put_u32(msg, SHADOWVMM_A_VM_ID, id) ||
	    nla_put_u64(msg, SHADOWVMM_A_CONSOLE_OFFSET, *offset))
		return put_failed(msg);
	err = svmm_request(s, msg, parse_console, &c);
	if (err)
		return err;
	fflush(stdout);
	*offset = c.offset;
	*dropped += c.dropped;
	return c.len;
}

/* COMMAND VM: the VM id, or a usage error. */
static int one_vm_arg(int argc, char **argv, uint32_t *id)
{
	if (argc != 2)
		return usage_error(argv[0], "expects exactly one VM id");
	if (parse_vm_id(argv[1], id))
		return usage_error(argv[0], "'%s' is not a VM id", argv[1]);
	return EXIT_OK;
}

static int one_vm_command(int argc, char **argv, uint8_t cmd, const char *what)
{
	struct svmm s;
	uint32_t id;
	int ret;

	ret = one_vm_arg(argc, argv, &id);
	if (ret)
		return ret;
	ret = connect_family(&s);
	if (ret)
		return ret;
	ret = vm_simple(&s, cmd, id, what) ? EXIT_ERROR : EXIT_OK;
	svmm_close(&s);
	return ret;
}

int cmd_start(int argc, char **argv)
{
	return one_vm_command(argc, argv, SHADOWVMM_CMD_VM_START, "start");
}

int cmd_stop(int argc, char **argv)
{
	return one_vm_command(argc, argv, SHADOWVMM_CMD_VM_STOP, "stop");
}

int cmd_destroy(int argc, char **argv)
{
	return one_vm_command(argc, argv, SHADOWVMM_CMD_VM_DESTROY, "destroy");
}

int cmd_create(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "mem", required_argument, NULL, 'm' },
		{}
	};
	uint64_t mem_size = DEFAULT_MEM_SIZE;
	struct svmm s;
	uint32_t id;
	int c, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "m:", opts, NULL)) != -1) {
		if (c != 'm')
			return usage_error(argv[0], "unknown option");
		if (parse_size(optarg, &mem_size))
			return usage_error(argv[0], "bad size '%s'", optarg);
	}
	if (optind != argc)
		return usage_error(argv[0], "unexpected argument '%s'", argv[optind]);
	ret = connect_family(&s);
	if (ret)
		return ret;
	ret = vm_create(&s, mem_size, &id) ? EXIT_ERROR : EXIT_OK;
	if (!ret) {
		if (json_output)
			printf("{\"vm_id\":%" PRIu32 "}\n", id);
		else
			printf("%" PRIu32 "\n", id);
	}
	svmm_close(&s);
	return ret;
}

int cmd_load(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "cmdline", required_argument, NULL, 'c' },
		{}
	};
	struct guest_image img = {};
	const char *args = NULL;
	struct vm_info vm;
	struct svmm s;
	uint32_t id;
	int c, ret, err;

	optind = 1;
	while ((c = getopt_long(argc, argv, "c:", opts, NULL)) != -1) {
		if (c != 'c')
			return usage_error(argv[0], "unknown option");
		args = optarg;
	}
	if (argc - optind != 2)
		return usage_error(argv[0], "expects a VM id and an image");
	if (parse_vm_id(argv[optind], &id))
		return usage_error(argv[0], "'%s' is not a VM id", argv[optind]);
	ret = connect_family(&s);
	if (ret)
		return ret;
	err = vm_get(&s, id, &vm);
	if (err) {
		svmm_perror(&s, "load", err);
		ret = EXIT_ERROR;
	} else {
		ret = image_open(&img, argv[optind + 1], vm.mem_size);
		if (!ret)
			ret = load_image(&s, id, &img, args);
		image_close(&img);
	}
	svmm_close(&s);
	return ret;
}

static int print_vm_row(struct nlattr **tb, void *arg)
{
	char mem[32], why[160];
	struct vm_info vm;

	vm_info_parse(tb, &vm);
	if (json_output) {
		print_vm_json(stdout, &vm);
		return 0;
	}
	format_size(vm.mem_size, mem, sizeof(mem));
	if (vm.state == SHADOWVMM_VM_STOPPED)
		describe_stop(&vm, why, sizeof(why));
	else
		snprintf(why, sizeof(why), "-");
	printf("%-6" PRIu32 " %-8s %8s  %s\n", vm.id, vm_state_name(vm.state), mem, why);
	return 0;
}

int cmd_list(int argc, char **argv)
{
	struct nl_msg *msg;
	struct svmm s;
	int ret, err;

	if (argc != 1)
		return usage_error(argv[0], "takes no arguments");
	ret = connect_family(&s);
	if (ret)
		return ret;
	msg = svmm_msg(&s, SHADOWVMM_CMD_VM_GET, NLM_F_DUMP);
	if (!msg) {
		svmm_close(&s);
		return EXIT_ERROR;
	}
	if (!json_output)
		printf("%-6s %-8s %8s  %s\n", "ID", "STATE", "MEM", "STOPPED");
	err = svmm_request(&s, msg, print_vm_row, NULL);
	if (err) {
		svmm_perror(&s, "list", err);
		ret = EXIT_ERROR;
	}
	svmm_close(&s);
	return ret;
}

int cmd_show(int argc, char **argv)
{
	char mem[32], why[160];
	struct vm_info vm;
	struct svmm s;
	uint32_t id;
	int ret, err;

	ret = one_vm_arg(argc, argv, &id);
	if (ret)
		return ret;
	ret = connect_family(&s);
	if (ret)
		return ret;
	err = vm_get(&s, id, &vm);
	if (err) {
		svmm_perror(&s, "show", err);
		svmm_close(&s);
		return EXIT_ERROR;
	}
	if (json_output) {
		print_vm_json(stdout, &vm);
	} else {
		format_size(vm.mem_size, mem, sizeof(mem));
		printf("vm_id: %" PRIu32 "\nvm_state: %s\nmem_size: %s\n", vm.id,
		       vm_state_name(vm.state), mem);
		if (vm.state == SHADOWVMM_VM_STOPPED) {
			describe_stop(&vm, why, sizeof(why));
			printf("stop_reason: %s\nstopped: %s\n",
			       stop_reason_name(vm.stop_reason), why);
		}
	}
	svmm_close(&s);
	return EXIT_OK;
}

struct stats_out {
	bool first;
};

static int print_stats(struct nlattr **tb, void *arg)
{
	struct nlattr *stat, *st[SHADOWVMM_A_MAX + 1];
	struct stats_out *out = arg;
	int rem;

	if (!tb[SHADOWVMM_A_STATS])
		return 0;
	nla_for_each_nested(stat, tb[SHADOWVMM_A_STATS], rem) {
		const char *name;
		uint64_t value;

		if (nla_parse_nested(st, SHADOWVMM_A_MAX, stat, NULL) ||
		    !st[SHADOWVMM_A_STAT_NAME] || !st[SHADOWVMM_A_STAT_VALUE])
			continue;
		name = nla_get_string(st[SHADOWVMM_A_STAT_NAME]);
		value = nla_get_u64(st[SHADOWVMM_A_STAT_VALUE]);
		if (json_output)
			printf("%s\"%s\":%" PRIu64, out->first ? "" : ",", name, value);
		else
			printf("%-32s %20" PRIu64 "\n", name, value);
		out->first = false;
	}
	return 0;
}

int cmd_stats(int argc, char **argv)
{
	struct stats_out out = { .first = true };
	struct nl_msg *msg;
	struct svmm s;
	uint32_t id;
	int ret, err;

	ret = one_vm_arg(argc, argv, &id);
	if (ret)
		return ret;
	ret = connect_family(&s);
	if (ret)
		return ret;
	msg = svmm_msg(&s, SHADOWVMM_CMD_STATS_GET, 0);
	if (!msg || nla_put_u32(msg, SHADOWVMM_A_VM_ID, id)) {
		put_failed(msg);
		svmm_close(&s);
		return EXIT_ERROR;
	}
	if (json_output)
		printf("{");
	err = svmm_request(&s, msg, print_stats, &out);
	if (json_output)
		printf("}\n");
	if (err) {
		svmm_perror(&s, "stats", err);
		ret = EXIT_ERROR;
	}
	svmm_close(&s);
	return ret;
}

int cmd_console(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "follow", no_argument, NULL, 'f' },
		{}
	};
	uint64_t offset = 0, dropped = 0;
	bool follow = false;
	struct vm_info vm;
	struct svmm s;
	uint32_t id;
	int c, ret;
	long n;

	optind = 1;
	while ((c = getopt_long(argc, argv, "f", opts, NULL)) != -1) {
		if (c != 'f')
			return usage_error(argv[0], "unknown option");
		follow = true;
	}
	if (argc - optind != 1)
		return usage_error(argv[0], "expects exactly one VM id");
	if (parse_vm_id(argv[optind], &id))
		return usage_error(argv[0], "'%s' is not a VM id", argv[optind]);
	ret = connect_family(&s);
	if (ret)
		return ret;
	for (;;) {
		n = console_read(&s, id, &offset, &dropped);
		if (n < 0) {
			svmm_perror(&s, "console", n);
			ret = EXIT_ERROR;
			break;
		}
		if (n)
			continue;
		if (!follow || vm_get(&s, id, &vm) || vm.state == SHADOWVMM_VM_STOPPED) {
			/* One more read: output written just before the stop. */
			if (console_read(&s, id, &offset, &dropped) > 0)
				continue;
			break;
		}
		usleep(50000);
	}
	if (dropped)
		fprintf(stderr, "shadowvmm: console: %" PRIu64 " bytes were lost before they could be read\n", dropped);
	svmm_close(&s);
	return ret;
}
