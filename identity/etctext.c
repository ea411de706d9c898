#include "etctext.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "../common/textbuf.h"

static void puts_(struct textbuf *b, const char *s)
{
	textbuf_add(b, s, strlen(s));
}

/* Loopback lines (127.0.0.0/8 but Debian's 127.0.1.1, ::1) always stay:
 * without them localhost resolves nowhere, whatever the node is called. */
static bool loopback_addr(const char *w)
{
	return (!strncmp(w, "127.", 4) && strcmp(w, "127.0.1.1")) || !strcmp(w, "::1");
}

/* Does the hosts line [s, e) map 127.0.1.1 or name one of our names? */
static bool stale_line(const char *s, const char *e, const char *fqdn, const char *hostname)
{
	char word[256];
	int field = 0;
	while (s < e) {
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		if (s == e || *s == '#')
			break;
		const char *w = s;
		while (s < e && *s != ' ' && *s != '\t' && *s != '#')
			s++;
		size_t n = (size_t)(s - w);
		if (n >= sizeof(word))
			continue;
		memcpy(word, w, n);
		word[n] = '\0';
		if (field++ == 0) {
			if (loopback_addr(word))
				return false;
			if (!strcmp(word, "127.0.1.1"))
				return true;
		} else if (!strcasecmp(word, hostname) || !strcasecmp(word, fqdn)) {
			return true;
		}
	}
	return false;
}

int etc_hosts_text(const char *old, size_t oldlen, const char *ip, const char *fqdn, const char *hostname,
		   char *out, size_t cap)
{
	struct textbuf b;
	const char *p = old, *end = old + oldlen;

	textbuf_init(&b, out, cap);
	if (oldlen == 0)
		puts_(&b, "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		if (!stale_line(p, e, fqdn, hostname)) {
			textbuf_add(&b, p, (size_t)(e - p));
			textbuf_add(&b, "\n", 1);
		}
		p = nl ? nl + 1 : end;
	}
	puts_(&b, ip && ip[0] ? ip : "127.0.1.1");
	puts_(&b, "\t");
	if (strcmp(fqdn, hostname)) {
		puts_(&b, fqdn);
		puts_(&b, " ");
	}
	puts_(&b, hostname);
	puts_(&b, "\n");
	return textbuf_end(&b);
}
