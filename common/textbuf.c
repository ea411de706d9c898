#include "textbuf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void textbuf_init(struct textbuf *t, char *buf, size_t cap)
{
	*t = (struct textbuf){ buf, cap, 0, cap == 0 };
	if (cap)
		buf[0] = '\0';
}

void textbuf_printf(struct textbuf *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->full)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= t->cap - t->len) {
		t->full = true;
		t->buf[t->len] = '\0';   /* no half an append */
		return;
	}
	t->len += (size_t)n;
}

void textbuf_add(struct textbuf *t, const char *s, size_t n)
{
	if (t->full || n >= t->cap - t->len) {
		t->full = true;
		return;
	}
	memcpy(t->buf + t->len, s, n);
	t->len += n;
	t->buf[t->len] = '\0';
}

int textbuf_end(const struct textbuf *t)
{
	return t->full ? -ENOSPC : (int)t->len;
}
