/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_CTL_CMD_H
#define SHADOWVMM_CTL_CMD_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include "genl.h"
#include "multiboot.h"
#include "output.h"

/* Exit statuses, as iproute2 and wg use them. */
#define EXIT_OK		0
#define EXIT_ERROR	1
#define EXIT_USAGE	2

#define DEFAULT_MEM_SIZE	(32ULL << 20)

extern bool json_output;

int usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int connect_family(struct svmm *s);
int vm_get(struct svmm *s, uint32_t id, struct vm_info *vm);
int vm_simple(struct svmm *s, uint8_t cmd, uint32_t id, const char *what);
int vm_create(struct svmm *s, uint64_t mem_size, uint32_t *id);
/* A guest image read from disk and checked, not yet in any VM. */
struct guest_image {
	const char *path;
	uint8_t *buf;
	size_t len;
	struct mb_image mb;
};

int image_open(struct guest_image *img, const char *path, uint64_t mem_size);
void image_close(struct guest_image *img);
int load_image(struct svmm *s, uint32_t id, const struct guest_image *img,
	       const char *args);
long console_read(struct svmm *s, uint32_t id, uint64_t *offset,
		  uint64_t *dropped);

int cmd_create(int argc, char **argv);
int cmd_load(int argc, char **argv);
int cmd_start(int argc, char **argv);
int cmd_stop(int argc, char **argv);
int cmd_destroy(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_console(int argc, char **argv);
int cmd_run(int argc, char **argv);

#endif
