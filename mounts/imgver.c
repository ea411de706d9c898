#include "imgver.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "../identity/safefs.h"

static int version_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '-' || c == '+' || c == ':';
}

static int blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

int imgver_parse(const char *text, size_t len, char *out, size_t cap)
{
	const char *nl = memchr(text, '\n', len);
	size_t b = 0, e = nl ? (size_t)(nl - text) : len;

	if (cap == 0)
		return -ENAMETOOLONG;
	out[0] = '\0';
	while (b < e && blank(text[b]))
		b++;
	while (e > b && blank(text[e - 1]))
		e--;
	if (b == e)
		return -ENODATA;
	if (e - b >= cap)
		return -ENAMETOOLONG;
	for (size_t i = b; i < e; i++)
		if (!version_char(text[i]))
			return -EINVAL;
	memcpy(out, text + b, e - b);
	out[e - b] = '\0';
	return 0;
}

/* Through the identity code's walk: no symlink is followed (one could lead
 * out of the root) and a FIFO is refused instead of blocking PID 1. Only
 * the first line matters, so a longer file is read in part. */
int imgver_read(const char *root, char *out, size_t cap)
{
	char buf[IMGVER_MAX * 2];
	size_t n;
	int rc, rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (rootfd < 0)
		return -errno;
	rc = safe_read(rootfd, IMGVER_PATH, buf, sizeof(buf), &n, NULL);
	close(rootfd);
	if (rc && rc != -EFBIG)
		return rc;
	return imgver_parse(buf, n, out, cap);
}
