// SPDX-License-Identifier: GPL-2.0
/*
 * Reading a guest image and its modules from disk; pvh.c and multiboot.c
 * judge the image's bytes, modules.c places the modules.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/shadowvmm.h>
#include "image.h"
#include "pvh.h"

static int read_all(int fd, uint8_t *buf, size_t len)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = read(fd, buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			return -EIO;	/* the file shrank under us */
		done += n;
	}
	return 0;
}

/*
 * Read all of @path, a regular file of at most SHADOWVMM_MEM_SIZE_MAX
 * bytes (nothing larger fits in any guest). Return: 0, or -1 with one
 * line on stderr.
 */
static int read_file(const char *path, uint8_t **bufp, size_t *lenp)
{
	struct stat st;
	uint8_t *buf;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "shadowvmm: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st)) {
		fprintf(stderr, "shadowvmm: %s: %s\n", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		fprintf(stderr, "shadowvmm: %s: not a regular file\n", path);
		goto fail;
	}
	if ((uint64_t)st.st_size > SHADOWVMM_MEM_SIZE_MAX) {
		fprintf(stderr, "shadowvmm: %s: %lld bytes: larger than any guest RAM\n",
			path, (long long)st.st_size);
		goto fail;
	}
	buf = malloc(st.st_size ? st.st_size : 1);
	if (!buf) {
		fprintf(stderr, "shadowvmm: %s: %s\n", path, strerror(ENOMEM));
		goto fail;
	}
	err = read_all(fd, buf, st.st_size);
	if (err) {
		fprintf(stderr, "shadowvmm: %s: read: %s\n", path, strerror(-err));
		free(buf);
		goto fail;
	}
	close(fd);
	*bufp = buf;
	*lenp = st.st_size;
	return 0;
fail:
	close(fd);
	return -1;
}

/**
 * image_open() - read @path and the modules @opts names, and check them for
 * a guest with @mem_size bytes of RAM
 *
 * The image is multiboot or PVH, as QEMU's -kernel decides; the command
 * line and the modules' places follow from that. Everything is checked
 * before any VM exists, so a bad image never leaves a half-loaded VM
 * behind.
 *
 * Return: 0 with @img filled (free it with image_close()); or, with one
 * line on stderr, -2 when the options ask the impossible (a command line
 * too long) and -1 for anything else.
 */
int image_open(struct guest_image *img, const char *path,
	       const struct boot_opts *opts, uint64_t mem_size)
{
	static const struct boot_opts none;
	struct guest_modules *mods = &img->mods;
	unsigned int i;
	char why[512];

	memset(img, 0, sizeof(*img));
	img->path = path;
	if (!opts)
		opts = &none;
	if (read_file(path, &img->buf, &img->len))
		return -1;
	if (boot_image_parse(img->buf, img->len, mem_size, &img->boot, why,
			     sizeof(why))) {
		fprintf(stderr, "shadowvmm: %s: %s\n", path, why);
		goto fail;
	}
	img->cmdline = boot_cmdline(&img->boot, path, opts->args);
	if (!img->cmdline) {
		image_close(img);
		return errno == ENOMEM ? -1 : -2;
	}
	if (modules_name(&img->boot, opts, mods, why, sizeof(why))) {
		fprintf(stderr, "shadowvmm: %s\n", why);
		goto fail;
	}
	for (i = 0; i < mods->nr; i++) {
		if (read_file(mods->mod[i].path, &mods->mod[i].buf,
			      &mods->mod[i].len))
			goto fail;
		if (!mods->mod[i].len) {
			fprintf(stderr, "shadowvmm: %s: empty file: a module needs at least one byte\n",
				mods->mod[i].path);
			goto fail;
		}
	}
	if (modules_place(&img->boot, mem_size, mods, why, sizeof(why))) {
		fprintf(stderr, "shadowvmm: %s\n", why);
		goto fail;
	}
	return 0;
fail:
	image_close(img);
	return -1;
}

void image_close(struct guest_image *img)
{
	unsigned int i;

	for (i = 0; i < img->mods.nr; i++) {
		free(img->mods.mod[i].buf);
		free(img->mods.mod[i].path);
		free(img->mods.mod[i].string);
	}
	img->mods.nr = 0;
	free(img->cmdline);
	img->cmdline = NULL;
	free(img->buf);
	img->buf = NULL;
}
