// SPDX-License-Identifier: GPL-2.0
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "console.h"

int shadowvmm_console_init(struct shadowvmm_console *con)
{
	spin_lock_init(&con->lock);
	con->written = 0;
	con->ring = kvzalloc(SHADOWVMM_CONSOLE_SIZE, GFP_KERNEL_ACCOUNT);
	return con->ring ? 0 : -ENOMEM;
}

void shadowvmm_console_free(struct shadowvmm_console *con)
{
	kvfree(con->ring);
	con->ring = NULL;
}

/**
 * shadowvmm_console_put() - append guest output, overwriting the oldest
 * @con: the console
 * @bytes: output
 * @len: its length
 */
void shadowvmm_console_put(struct shadowvmm_console *con, const u8 *bytes,
			   size_t len)
{
	spin_lock(&con->lock);
	while (len) {
		size_t pos = con->written % SHADOWVMM_CONSOLE_SIZE;
		size_t n = min(len, SHADOWVMM_CONSOLE_SIZE - pos);

		memcpy(con->ring + pos, bytes, n);
		con->written += n;
		bytes += n;
		len -= n;
	}
	spin_unlock(&con->lock);
}

/**
 * shadowvmm_console_get() - copy output from a stream offset on
 * @con: the console
 * @offset: where the reader is in the stream
 * @buf: destination
 * @max: room in @buf
 * @next: the offset just after the bytes returned
 * @dropped: bytes from @offset on that the ring no longer holds
 *
 * An offset beyond what was written reads nothing and leaves @next at the
 * end of the stream.
 *
 * Return: the number of bytes copied.
 */
size_t shadowvmm_console_get(struct shadowvmm_console *con, u64 offset,
			     u8 *buf, size_t max, u64 *next, u64 *dropped)
{
	size_t copied = 0;
	u64 oldest;

	spin_lock(&con->lock);
	oldest = con->written > SHADOWVMM_CONSOLE_SIZE ?
		 con->written - SHADOWVMM_CONSOLE_SIZE : 0;
	*dropped = 0;
	if (offset < oldest) {
		*dropped = oldest - offset;
		offset = oldest;
	}
	offset = min(offset, con->written);
	while (copied < max && offset < con->written) {
		size_t pos = offset % SHADOWVMM_CONSOLE_SIZE;
		size_t n = min3(max - copied, SHADOWVMM_CONSOLE_SIZE - pos,
				(size_t)(con->written - offset));

		memcpy(buf + copied, con->ring + pos, n);
		copied += n;
		offset += n;
	}
	*next = offset;
	spin_unlock(&con->lock);
	return copied;
}
