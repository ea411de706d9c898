/* The config file for the builder's defaults (/etc/nfsinit/mkimage.conf or
 * --config FILE). Format: one "key = value" per line, keys named as the long
 * options (kver, basedir, init, output, set, modules, compress, add, hooks,
 * templates, busybox, verbose); '#' starts a comment line, and after a
 * value a '#' that follows a space starts a comment too; a value may be quoted
 * ("..." or '...', no escapes) to keep spaces or a '#'; blank lines are
 * ignored. Then the drop-ins, the .conf files in FILE.d, in name order (a
 * package or a site adds settings without editing the conffile). Lists
 * (modules, add) add up across lines, files and the command line; for other
 * keys the last file wins and the command line over all. The line parser is
 * pure. */
#include "mkimage.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

/* The value after '=': a quoted one ends at its closing quote (only a
 * comment may follow); a bare one ends at " #" (shell and ganesha style). */
static int conf_value(char *v, char **value, const char **what)
{
	char *end;

	v = trim(v);
	if (*v == '"' || *v == '\'') {
		if (!(end = strchr(v + 1, *v)))
			return *what = "a quote is not closed", -EINVAL;
		*end = '\0';
		end = trim(end + 1);
		if (*end && *end != '#')
			return *what = "text after the closing quote", -EINVAL;
		*value = v + 1;
		return 1;
	}
	for (end = v; *end; end++)
		if (*end == '#' && (end == v || isspace((unsigned char)end[-1]))) {
			*end = '\0';
			break;
		}
	*value = trim(v);
	return 1;
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
	return conf_value(eq + 1, value, what);
}

int conf_read(const char *path, bool must_exist,
	      int (*apply)(const char *key, const char *value, void *ctx), void *ctx)
{
	char line[4096], *key, *value;
	const char *what = "";
	unsigned lineno = 0;
	FILE *f = fopen(path, "r");
	struct stat st;
	int rc = 0;

	if (!f) {
		if (errno == ENOENT && !must_exist)
			return 0;
		fprintf(stderr, "%s: config %s: %s\n", MK_PROG, path, strerror(errno));
		return -1;
	}
	/* fopen() opens a folder for reading; fgets() then reads nothing. */
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fprintf(stderr, "%s: config %s: is a folder, not a file\n", MK_PROG, path);
		fclose(f);
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
	if (rc == 0 && ferror(f)) {
		fprintf(stderr, "%s: config %s: read error\n", MK_PROG, path);
		rc = -1;
	}
	fclose(f);
	return rc;
}

bool conf_dropin_name(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && n > 5 && !strcmp(name + n - 5, ".conf");
}

static int dropin_filter(const struct dirent *d)
{
	return conf_dropin_name(d->d_name);
}

/* Byte order, not the locale's: the same files apply in the same order on
 * every machine that builds the image. */
static int dropin_order(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

int conf_read_dropins(const char *path, int (*apply)(const char *key, const char *value, void *ctx),
		      void *ctx)
{
	char dir[4096], file[4096 + 256];
	struct dirent **names;
	int n, rc = 0;

	if ((size_t)snprintf(dir, sizeof(dir), "%s.d", path) >= sizeof(dir)) {
		fprintf(stderr, "%s: config folder %s.d: path too long\n", MK_PROG, path);
		return -1;
	}
	n = scandir(dir, &names, dropin_filter, dropin_order);
	if (n < 0) {
		if (errno == ENOENT)
			return 0;
		fprintf(stderr, "%s: config folder %s: %s\n", MK_PROG, dir, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		snprintf(file, sizeof(file), "%s/%s", dir, names[i]->d_name);
		if (rc == 0 && conf_read(file, true, apply, ctx) != 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}
