/* Boot loader files -> kernel command line: pure, no I/O. */
#include "bootcfg.h"

#include <ctype.h>
#include <stdbool.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *skip_space(const char *s)
{
	while (*s && isspace((unsigned char)*s))
		s++;
	return s;
}

/* The first word of s if it is kw (any case) followed by a space or the
 * end: the rest, else NULL. */
static const char *keyword(const char *s, const char *kw)
{
	size_t n = strlen(kw);

	s = skip_space(s);
	if (strncasecmp(s, kw, n) || (s[n] && !isspace((unsigned char)s[n])))
		return NULL;
	return skip_space(s + n);
}

static int copy_trimmed(const char *s, char *out, size_t cap)
{
	size_t n = strlen(s);

	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (n >= cap)
		return -E2BIG;
	memcpy(out, s, n);
	out[n] = '\0';
	return 1;
}

/* iPXE: "kernel --name x --timeout 5 http://.../vmlinuz args": options
 * (with a value unless they are --autofree/--replace) and the image go. */
static const char *ipxe_args(const char *rest)
{
	while (*rest == '-') {
		bool has_val = strncmp(rest, "--autofree", 10) && strncmp(rest, "--replace", 9) &&
			       strncmp(rest, "-a", 2) && strncmp(rest, "-r", 2);
		rest = skip_space(rest + strcspn(rest, " \t"));
		if (has_val && !strchr(rest - 1, '='))
			rest = skip_space(rest + strcspn(rest, " \t"));
	}
	rest += strcspn(rest, " \t");  /* the image */
	return skip_space(rest);
}

int bootcfg_line(enum bootcfg_kind kind, const char *line, char *label, char *args, size_t cap)
{
	const char *rest;

	if (kind == BOOTCFG_PXELINUX) {
		if ((rest = keyword(line, "LABEL")))
			return copy_trimmed(rest, label, BOOTCFG_LABEL_MAX) < 0 ? -E2BIG : 0;
		if ((rest = keyword(line, "APPEND")))
			return copy_trimmed(rest, args, cap);
		return 0;
	}
	if ((rest = keyword(line, "kernel")) || (rest = keyword(line, "chain")) ||
	    (rest = keyword(line, "imgargs")))
		return copy_trimmed(ipxe_args(rest), args, cap);
	return 0;
}

static bool ends_with(const char *s, size_t len, const char *tail)
{
	size_t t = strlen(tail);
	return len >= t && !strncmp(s + len - t, tail, t);
}

/* What ${name} stands for on the sample node, or NULL for a setting we do
 * not know: ${mac} and ${net0/mac} are colon-separated, :hexhyp hyphens. */
static const char *ipxe_setting(const char *name, size_t len, const char *mac_hyphen, const char *mac_colon)
{
	if (ends_with(name, len, "mac:hexhyp") && (len == 10 || name[len - 11] == '/'))
		return mac_hyphen;
	if (ends_with(name, len, "mac") && (len == 3 || name[len - 4] == '/'))
		return mac_colon;
	return NULL;
}

int bootcfg_ipxe_expand(char *s, size_t cap, const char *mac_hyphen, const char *mac_colon)
{
	char out[4096];
	size_t o = 0, n;
	int left = 0;

	for (const char *p = s; *p; p += n) {
		const char *end = !strncmp(p, "${", 2) ? strchr(p, '}') : NULL;
		const char *with = end ? ipxe_setting(p + 2, (size_t)(end - p - 2), mac_hyphen, mac_colon) : NULL;
		const char *copy = with ? with : p;
		size_t clen;
		n = with ? (size_t)(end - p) + 1 : 1;
		clen = with ? strlen(with) : 1;
		left += end && !with;
		if (o + clen >= sizeof(out) || o + clen >= cap)
			return -E2BIG;
		memcpy(out + o, copy, clen);
		o += clen;
	}
	out[o] = '\0';
	memcpy(s, out, o + 1);
	return left;
}
