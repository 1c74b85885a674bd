/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_CTL_CMD_H
#define SHADOWVMM_CTL_CMD_H

#include <stdbool.h>
#include <stdint.h>

/* Exit statuses, as iproute2 and wg use them. */
#define EXIT_OK		0
#define EXIT_ERROR	1
#define EXIT_USAGE	2

#define DEFAULT_MEM_SIZE	(32ULL << 20)

/* -j/--json, before the command or among its options. */
extern bool json_output;

int usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int option_error(const char *cmd, char **argv, int c);
int parse_vm_arg(const char *cmd, const char *text, uint32_t *id);
int parse_mmu_pages(const char *cmd, const char *text, uint32_t *pages);
struct boot_opts;
int boot_opts_add_module(const char *cmd, struct boot_opts *opts,
			 const char *arg);

int cmd_run(int argc, char **argv);
int cmd_create(int argc, char **argv);
int cmd_load(int argc, char **argv);
int cmd_start(int argc, char **argv);
int cmd_stop(int argc, char **argv);
int cmd_destroy(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_console(int argc, char **argv);
int cmd_monitor(int argc, char **argv);
int cmd_translate(int argc, char **argv);

#endif
