/* The config file for the builder's defaults (/etc/nfsinit/mkimage.conf or
 * --config FILE). Format: one "key = value" per line, keys named as the long
 * options (kver, basedir, init, output, set, modules, compress, add, hooks,
 * templates, busybox, verbose); '#' starts a comment line; blank lines are
 * ignored. Lists (modules, add) add up across lines and with the command
 * line; for other keys the command line wins. The line parser is pure. */
#include "mkimage.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

int conf_parse_line(char *line, char **key, char **value, const char **what)
{
	char *eq, *k;

	line = trim(line);
	if (!*line || *line == '#')
		return 0;
	if (!(eq = strchr(line, '=')))
		return *what = "expected \"key = value\"", -EINVAL;
	*eq = '\0';
	k = trim(line);
	if (!*k)
		return *what = "no key before '='", -EINVAL;
	for (const char *p = k; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			return *what = "a key is letters, digits, '-' and '_'", -EINVAL;
	*key = k;
	*value = trim(eq + 1);
	return 1;
}

int conf_read(const char *path, bool must_exist,
	      int (*apply)(const char *key, const char *value, void *ctx), void *ctx)
{
	char line[4096], *key, *value;
	const char *what = "";
	unsigned lineno = 0;
	FILE *f = fopen(path, "r");
	int rc = 0;

	if (!f) {
		if (errno == ENOENT && !must_exist)
			return 0;
		fprintf(stderr, "%s: config %s: %s\n", MK_PROG, path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			fprintf(stderr, "%s: %s line %u: longer than %zu characters\n", MK_PROG, path,
				lineno, sizeof(line) - 2);
			rc = -1;
			break;
		}
		rc = conf_parse_line(line, &key, &value, &what);
		if (rc < 0) {
			fprintf(stderr, "%s: %s line %u: %s\n", MK_PROG, path, lineno, what);
			rc = -1;
			break;
		}
		if (rc == 1 && apply(key, value, ctx) != 0) {
			fprintf(stderr, "%s: %s line %u: in \"%s = %s\"\n", MK_PROG, path, lineno, key, value);
			rc = -1;
			break;
		}
		rc = 0;
	}
	fclose(f);
	return rc;
}
