/* libFuzzer: common/glob.c against the C library's fnmatch(flags 0), on the
 * subset glob.h documents. Input: pattern NUL text. */
#include <fnmatch.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "../../common/glob.h"

/* Outside the subset: character classes; quoting inside a set or at the
 * end, and a '[' never closed, where C libraries differ among themselves
 * (glibc and musl do). Bytes are ASCII. */
static int in_subset(const char *p)
{
	size_t n = strlen(p);
	if (strstr(p, "[:") || strstr(p, "[=") || strstr(p, "[.") || (n && p[n - 1] == '\\'))
		return 0;
	for (const char *s = p; *s; s++) {
		if ((unsigned char)*s >= 0x80 || (*s == '\\' && strchr(p, '[')))
			return 0;
		if (*s == '[') {
			const char *first = s + 1 + (s[1] == '!' || s[1] == '^');
			if (!*first || !strchr(first + 1, ']'))
				return 0;
		}
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[512];
	const char *pat = buf, *text;
	size_t plen;

	if (size >= sizeof(buf))
		size = sizeof(buf) - 1;
	memcpy(buf, data, size);
	buf[size] = '\0';
	plen = strlen(buf);
	text = plen < size ? buf + plen + 1 : "";
	for (const char *s = text; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	if (!in_subset(pat))
		return 0;
	if (glob_match(pat, text) != (fnmatch(pat, text, 0) == 0))
		__builtin_trap();
	return 0;
}
