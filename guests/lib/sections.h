/* SPDX-License-Identifier: GPL-2.0 */
/* Where guest.ld put things: the symbols it defines. */
#ifndef GUEST_SECTIONS_H
#define GUEST_SECTIONS_H

#include "types.h"

/* The first byte past the image: free RAM starts here. */
extern u8 _end[];
/* The pages user code runs from (code and stack), page-aligned. */
extern u8 __user_start[], __user_end[];

#endif
