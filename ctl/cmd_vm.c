// SPDX-License-Identifier: GPL-2.0
/* The commands that change one VM: create, load, start, stop, destroy. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include "cmd.h"
#include "size.h"
#include "vmops.h"

int cmd_create(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "mem", required_argument, NULL, 'm' },
		{ "mmu-pages", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{}
	};
	uint64_t mem_size = DEFAULT_MEM_SIZE;
	uint32_t mmu_pages = 0;
	struct vm_info vm;
	struct svmm s;
	int c, err;

	optind = 1;
	while ((c = getopt_long(argc, argv, ":m:j", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (parse_size(optarg, &mem_size))
				return usage_error(argv[0], "bad size '%s'", optarg);
			break;
		case 'p':
			if (parse_mmu_pages(argv[0], optarg, &mmu_pages))
				return EXIT_USAGE;
			break;
		case 'j':
			json_output = true;
			break;
		default:
			return option_error(argv[0], argv, c);
		}
	}
	if (optind != argc)
		return usage_error(argv[0], "unexpected argument '%s'", argv[optind]);
	if (svmm_connect(&s))
		return EXIT_ERROR;
	err = vm_create(&s, mem_size, mmu_pages, &vm);
	if (err)
		svmm_perror(&s, "create VM", err);
	else if (json_output)
		printf("{\"vm_id\":%" PRIu32 ",\"vm_serial\":%" PRIu64 "}\n",
		       vm.id, vm.serial);
	else
		printf("%" PRIu32 "\n", vm.id);
	svmm_close(&s);
	return err ? EXIT_ERROR : EXIT_OK;
}

int cmd_load(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "cmdline", required_argument, NULL, 'c' },
		{ "initrd", required_argument, NULL, 'i' },
		{ "module", required_argument, NULL, 'M' },
		{}
	};
	struct boot_opts boot = {};
	struct guest_image img;
	struct vm_info vm;
	struct svmm s;
	uint32_t id;
	int c, ret, err;

	optind = 1;
	while ((c = getopt_long(argc, argv, ":c:", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			boot.args = optarg;
			break;
		case 'i':
			boot.initrd = optarg;
			break;
		case 'M':
			if (boot_opts_add_module(argv[0], &boot, optarg))
				return EXIT_USAGE;
			break;
		default:
			return option_error(argv[0], argv, c);
		}
	}
	if (argc - optind < 2)
		return usage_error(argv[0], "needs a VM id and a guest image");
	if (argc - optind > 2)
		return usage_error(argv[0], "unexpected argument '%s'", argv[optind + 2]);
	ret = parse_vm_arg(argv[0], argv[optind], &id);
	if (ret)
		return ret;
	if (svmm_connect(&s))
		return EXIT_ERROR;
	ret = EXIT_ERROR;
	/* The image is checked against this VM's RAM before it is written. */
	err = vm_get(&s, id, &vm);
	if (err) {
		vm_perror(&s, "load", id, err);
		goto close;
	}
	err = image_open(&img, argv[optind + 1], &boot, vm.mem_size);
	if (err) {
		ret = err == -2 ? EXIT_USAGE : EXIT_ERROR;
		goto close;
	}
	if (!vm_load(&s, id, &img, NULL))
		ret = EXIT_OK;
	image_close(&img);
close:
	svmm_close(&s);
	return ret;
}

/* COMMAND VM, for a command that needs nothing back. */
static int one_vm_command(int argc, char **argv, uint8_t cmd, const char *op)
{
	struct svmm s;
	uint32_t id;
	int ret, err;

	if (argc < 2)
		return usage_error(argv[0], "missing the VM id");
	if (argc > 2)
		return usage_error(argv[0], "unexpected argument '%s'", argv[2]);
	ret = parse_vm_arg(argv[0], argv[1], &id);
	if (ret)
		return ret;
	if (svmm_connect(&s))
		return EXIT_ERROR;
	err = vm_op(&s, cmd, id);
	if (err)
		vm_perror(&s, op, id, err);
	svmm_close(&s);
	return err ? EXIT_ERROR : EXIT_OK;
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
