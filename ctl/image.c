// SPDX-License-Identifier: GPL-2.0
/* Reading a guest image from disk; multiboot.c judges the bytes. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/shadowvmm.h>
#include "image.h"

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

/**
 * image_open() - read @path and check it as a multiboot image for a guest
 * with @mem_size bytes of RAM
 *
 * Everything is checked before any VM exists, so a bad image never leaves
 * a half-loaded VM behind.
 *
 * Return: 0 with @img filled (free it with image_close()), or -1 with one
 * line on stderr.
 */
int image_open(struct guest_image *img, const char *path, uint64_t mem_size)
{
	struct stat st;
	char why[256];
	int fd, err;

	memset(img, 0, sizeof(*img));
	img->path = path;
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
	/* No image bigger than the largest guest RAM can load: don't read it. */
	if ((uint64_t)st.st_size > SHADOWVMM_MEM_SIZE_MAX) {
		fprintf(stderr, "shadowvmm: %s: %lld bytes: larger than any guest RAM\n",
			path, (long long)st.st_size);
		goto fail;
	}
	img->len = st.st_size;
	img->buf = malloc(img->len ? img->len : 1);
	if (!img->buf) {
		fprintf(stderr, "shadowvmm: %s: %s\n", path, strerror(ENOMEM));
		goto fail;
	}
	err = read_all(fd, img->buf, img->len);
	if (err) {
		fprintf(stderr, "shadowvmm: %s: read: %s\n", path, strerror(-err));
		goto fail;
	}
	close(fd);
	if (mb_parse(img->buf, img->len, mem_size, &img->mb, why, sizeof(why))) {
		fprintf(stderr, "shadowvmm: %s: %s\n", path, why);
		image_close(img);
		return -1;
	}
	return 0;
fail:
	close(fd);
	image_close(img);
	return -1;
}

void image_close(struct guest_image *img)
{
	free(img->buf);
	img->buf = NULL;
}
