#include "mountinfo.h"
#include "../common/file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* Copies the space-separated field at *p into out (decoding \ooo), moves *p
 * past it. Returns its decoded length, or -1 if it does not fit. */
static int field(const char **p, const char *end, char *out, size_t cap)
{
	const char *s = *p;
	size_t n = 0;
	int over = 0;
	while (s < end && *s == ' ')
		s++;
	while (s < end && *s != ' ') {
		char c = *s++;
		if (c == '\\' && end - s >= 3 && s[0] >= '0' && s[0] <= '3' && s[1] >= '0' && s[1] <= '7' &&
		    s[2] >= '0' && s[2] <= '7') {
			c = (char)((s[0] - '0') << 6 | (s[1] - '0') << 3 | (s[2] - '0'));
			s += 3;
		}
		if (n + 1 < cap)
			out[n++] = c;
		else
			over = 1;
	}
	if (cap)
		out[n] = '\0';
	*p = s;
	return over ? -1 : (int)n;
}

int mountinfo_source(const char *text, size_t len, const char *mp, char *out, size_t cap)
{
	const char *p = text, *end = text + len;
	char f[4096], src[4096];
	int rc = -ENOENT;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *q = p, *e = eol ? eol : end;
		int i, ok = 1;
		p = eol ? eol + 1 : end;
		/* id parent major:minor root mount-point */
		for (i = 0; i < 5 && ok; i++)
			ok = field(&q, e, f, sizeof(f)) > 0;
		if (!ok || strcmp(f, mp))
			continue;
		/* optional fields up to "-", then fstype and source */
		while ((ok = field(&q, e, f, sizeof(f)) > 0) && strcmp(f, "-"))
			;
		if (!ok || field(&q, e, f, sizeof(f)) <= 0)
			continue;
		int n = field(&q, e, src, sizeof(src));
		if (n <= 0)
			continue;
		if ((size_t)n >= cap) {
			rc = -ENAMETOOLONG;
			continue;
		}
		memcpy(out, src, (size_t)n + 1);
		rc = 0;
	}
	return rc;
}

int mountinfo_read_source(const char *mp, char *out, size_t cap)
{
	static char buf[65536];
	size_t used;
	int rc = file_read("/proc/self/mountinfo", buf, sizeof(buf), &used);

	return rc ? rc : mountinfo_source(buf, used, mp, out, cap);
}
