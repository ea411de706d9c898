/* A bounded text writer: appends to a caller's fixed buffer, always NUL
 * terminated, and remembers when something did not fit so the caller gets
 * an error instead of a silently cut file. */
#ifndef NFSINIT_TEXTBUF_H
#define NFSINIT_TEXTBUF_H

#include <stdbool.h>
#include <stddef.h>

struct textbuf {
	char *buf;
	size_t cap, len;
	bool full;       /* something did not fit: the text is incomplete */
};

void textbuf_init(struct textbuf *t, char *buf, size_t cap);

/* Appends; once anything did not fit, nothing more is added. */
__attribute__((format(printf, 2, 3))) void textbuf_printf(struct textbuf *t, const char *fmt, ...);
void textbuf_add(struct textbuf *t, const char *s, size_t n);

/* The text's length, or -ENOSPC when any append did not fit. */
int textbuf_end(const struct textbuf *t);

#endif
