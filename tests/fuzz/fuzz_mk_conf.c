/* libFuzzer: the builder's text inputs, line by line: mkimage.conf
 * (conf_parse_line) and /etc/ld.so.conf (ldconf_parse_line). A key it
 * accepts is a non-empty name; a folder starts with '/'; nothing returned
 * holds a line break or points outside the line. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../mkinitramfs/mkimage.h"

static void inside(const char *p, const char *line, size_t cap)
{
	if (p < line || p >= line + cap || strchr(p, '\n'))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char line[4096], copy[4096], *key, *value, *arg;
	const char *what = NULL;
	const uint8_t *p = data, *end = data + size;

	while (p < end) {
		const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl ? nl + 1 : end) - p);   /* with its newline, as fgets gives it */
		if (n >= sizeof(line))
			n = sizeof(line) - 1;
		memcpy(line, p, n);
		line[n] = '\0';
		p = nl ? nl + 1 : end;
		memcpy(copy, line, n + 1);
		int rc = conf_parse_line(line, &key, &value, &what);
		if (rc < 0 && !what)
			abort();
		if (rc == 1) {
			inside(key, line, sizeof(line));
			inside(value, line, sizeof(line));
			if (!*key)
				abort();
		}
		rc = ldconf_parse_line(copy, &arg);
		if (rc != LDCONF_NONE)
			inside(arg, copy, sizeof(copy));
		if (rc == LDCONF_DIR && arg[0] != '/')
			abort();
	}
	return 0;
}
