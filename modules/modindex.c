/* Module index: parser and formatter, shared by /init and nfsinit-mkimage.
 * Pure: no I/O, no logging, no globals. The format is described in modindex.h. */
#include "modindex.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../common/dashname.h"
#include "../common/glob.h"
#include "../common/err.h"
#include "../common/textbuf.h"

/* Fields on one line: keyword, name, path, deps, plus one to notice excess. */
#define FIELDS_MAX (3 + MOD_INDEX_DEPS_MAX + 1)

void mod_index_init(struct mod_index *idx)
{
	memset(idx, 0, sizeof(*idx));
	idx->version = MOD_INDEX_VERSION;
}

int mod_index_find(const struct mod_index *idx, const char *name)
{
	for (unsigned i = 0; i < idx->nmods; i++)
		if (dashname_eq(idx->mods[i].name, name))
			return (int)i;
	return -1;
}

static bool valid_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n >= MOD_INDEX_NAME_MAX)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
			return false;
	return true;
}

/* Printable ASCII without spaces: the text format has no quoting. */
static bool valid_word(const char *s, size_t cap)
{
	size_t n = strlen(s);
	if (n == 0 || n >= cap)
		return false;
	for (; *s; s++)
		if (*s <= ' ' || *s > '~')
			return false;
	return true;
}

static bool valid_path(const char *s)
{
	size_t n = strlen(s);
	if (!valid_word(s, MOD_INDEX_MPATH_MAX) || s[0] != '/')
		return false;
	if (n < 4 || strcmp(s + n - 3, ".ko") != 0)
		return false;
	/* A path that climbs out of its folder is never one the builder wrote. */
	return strstr(s, "/../") == NULL;
}

static void copy_name(char *dst, const char *src)
{
	for (; *src; src++)
		*dst++ = *src == '-' ? '_' : *src;
	*dst = '\0';
}

int mod_index_set_kver(struct mod_index *idx, const char *kver)
{
	if (!valid_word(kver, MOD_INDEX_KVER_MAX) || strchr(kver, '/'))
		return -EINVAL;
	strcpy(idx->kver, kver);
	return 0;
}

int mod_index_add_module(struct mod_index *idx, const char *name, const char *path,
			const char *const *deps, size_t ndeps, const char **what)
{
	struct mod_index_module m;

	if (!valid_name(name))
		return *what = "module name: 1-55 of [A-Za-z0-9_-] expected", -EINVAL;
	if (!valid_path(path))
		return *what = "module path: absolute, no spaces, no '..', ending in .ko, under 256 bytes", -EINVAL;
	if (mod_index_find(idx, name) >= 0)
		return *what = "module listed twice", -EEXIST;
	if (idx->nmods >= MOD_INDEX_MODS_MAX)
		return *what = "too many modules (limit MOD_INDEX_MODS_MAX)", -E2BIG;
	if (ndeps > MOD_INDEX_DEPS_MAX)
		return *what = "too many dependencies (limit MOD_INDEX_DEPS_MAX)", -E2BIG;

	/* Built aside: a refused module leaves idx exactly as it was. */
	memset(&m, 0, sizeof(m));
	for (size_t i = 0; i < ndeps; i++) {
		int d = mod_index_find(idx, deps[i]);
		if (d < 0)
			return *what = "dependency not listed on an earlier line", -EINVAL;
		for (unsigned j = 0; j < m.ndeps; j++)
			if (m.deps[j] == d)
				return *what = "dependency named twice", -EINVAL;
		m.deps[m.ndeps++] = (uint16_t)d;
	}
	copy_name(m.name, name);
	strcpy(m.path, path);
	idx->mods[idx->nmods++] = m;
	return 0;
}

int mod_index_set_load(struct mod_index *idx, const char *name, const char **what)
{
	int m = mod_index_find(idx, name);

	if (m < 0)
		return *what = "load names a module not listed on an earlier line", -EINVAL;
	if (idx->mods[m].load)
		return *what = "load given twice for one module", -EINVAL;
	idx->mods[m].load = true;
	return 0;
}

int mod_index_lookup(const struct mod_index *idx, const char *request)
{
	int m = mod_index_find(idx, request);

	if (m >= 0)
		return m;
	for (unsigned i = 0; i < idx->naliases; i++)
		if (glob_match(idx->aliases[i].pattern, request))
			return idx->aliases[i].mod;
	return -1;
}

unsigned mod_index_match(const struct mod_index *idx, const char *modalias, unsigned char *want)
{
	unsigned n = 0;

	for (unsigned i = 0; i < idx->naliases; i++) {
		const struct mod_index_alias *a = &idx->aliases[i];
		if (!want[a->mod] && glob_match(a->pattern, modalias)) {
			want[a->mod] = 1;
			n++;
		}
	}
	return n;
}

/* Dependencies always come earlier in the list, so one backward pass reaches
 * every module a wanted one needs, however deep. */
void mod_index_want_deps(const struct mod_index *idx, unsigned char *want)
{
	for (unsigned i = idx->nmods; i-- > 0;)
		if (want[i])
			for (unsigned j = 0; j < idx->mods[i].ndeps; j++)
				want[idx->mods[i].deps[j]] = 1;
}

int mod_index_wanted_by(const struct mod_index *idx, const unsigned char *want, unsigned m)
{
	for (unsigned i = m + 1; i < idx->nmods; i++)
		for (unsigned j = 0; want[i] && j < idx->mods[i].ndeps; j++)
			if (idx->mods[i].deps[j] == m)
				return (int)i;
	return -1;
}

int mod_index_add_alias(struct mod_index *idx, const char *pattern, const char *module,
		       const char **what)
{
	int m;

	if (!valid_word(pattern, MOD_INDEX_ALIAS_MAX))
		return *what = "alias pattern: printable, no spaces, under 128 bytes", -EINVAL;
	m = mod_index_find(idx, module);
	if (m < 0)
		return *what = "alias names a module not listed on an earlier line", -EINVAL;
	if (idx->naliases >= MOD_INDEX_ALIASES_MAX)
		return *what = "too many aliases (limit MOD_INDEX_ALIASES_MAX)", -E2BIG;
	strcpy(idx->aliases[idx->naliases].pattern, pattern);
	idx->aliases[idx->naliases].mod = (uint16_t)m;
	idx->naliases++;
	return 0;
}

/* Splits line (modified in place) at blanks. Returns the field count, at most
 * FIELDS_MAX; more than that is reported as FIELDS_MAX. */
static unsigned split(char *line, char **field)
{
	unsigned n = 0;
	char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (!*p || n == FIELDS_MAX)
			return n;
		field[n++] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\r')
			p++;
		if (*p)
			*p++ = '\0';
	}
}

static int parse_header(char **f, unsigned n, unsigned *version, const char **what)
{
	char *end;
	unsigned long v;

	if (n < 1 || strcmp(f[0], MOD_INDEX_MAGIC) != 0)
		return *what = "not a module index (first line must be \"" MOD_INDEX_MAGIC " 1\")", -EINVAL;
	if (n != 2)
		return *what = "header: expected \"" MOD_INDEX_MAGIC " <version>\"", -EINVAL;
	errno = 0;
	v = strtoul(f[1], &end, 10);
	if (*end || end == f[1] || f[1][0] == '-' || errno)
		return *what = "header: version is not a number", -EINVAL;
	if (v < 1 || v > MOD_INDEX_VERSION)
		return *what = "index version not understood by this /init", -EINVAL;
	*version = (unsigned)v;
	return 0;
}

static int parse_record(struct mod_index *idx, char **f, unsigned n, bool *have_kver,
			const char **what)
{
	int rc;

	if (strcmp(f[0], "module") == 0) {
		if (n < 3)
			return *what = "module: expected \"module <name> <path> [<dep> ...]\"", -EINVAL;
		if (n == FIELDS_MAX)
			return *what = "too many dependencies (limit MOD_INDEX_DEPS_MAX)", -EINVAL;
		rc = mod_index_add_module(idx, f[1], f[2], (const char *const *)&f[3], n - 3, what);
		return rc ? -EINVAL : 0;
	}
	if (strcmp(f[0], "alias") == 0) {
		if (n != 3)
			return *what = "alias: expected \"alias <pattern> <module>\"", -EINVAL;
		return mod_index_add_alias(idx, f[1], f[2], what) ? -EINVAL : 0;
	}
	if (strcmp(f[0], "load") == 0 && idx->version >= 2) {
		if (n != 2)
			return *what = "load: expected \"load <module>\"", -EINVAL;
		return mod_index_set_load(idx, f[1], what) ? -EINVAL : 0;
	}
	if (strcmp(f[0], "kver") == 0) {
		if (n != 2)
			return *what = "kver: expected \"kver <release>\"", -EINVAL;
		if (*have_kver)
			return *what = "kver given twice", -EINVAL;
		if (mod_index_set_kver(idx, f[1]))
			return *what = "kver: printable, no spaces or '/', under 65 bytes", -EINVAL;
		*have_kver = true;
		return 0;
	}
	return *what = "unknown keyword (expected module, load, alias or kver)", -EINVAL;
}

/* err_fail() sets line 0; the index's reasons name their line. */
static int fail_at(struct err_reason *err, unsigned line, int code, const char *what)
{
	err_fail(err, code, "%s", what);
	err->line = (int)line;
	return code;
}

int mod_index_parse(const char *buf, size_t len, struct mod_index *idx, struct err_reason *err)
{
	char line[MOD_INDEX_LINE_MAX + 1];
	char *f[FIELDS_MAX];
	const char *what = NULL;
	bool have_kver = false;
	size_t pos = 0;
	unsigned lineno = 0;

	mod_index_init(idx);
	err->line = 0;
	if (len > MOD_INDEX_FILE_MAX)
		return fail_at(err, 0, -EINVAL, "index larger than MOD_INDEX_FILE_MAX");

	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (buf + pos)) : len - pos;
		unsigned nf;
		int rc;

		lineno++;
		if (n > MOD_INDEX_LINE_MAX)
			return fail_at(err, lineno, -EINVAL, "line longer than MOD_INDEX_LINE_MAX");
		if (memchr(buf + pos, '\0', n))
			return fail_at(err, lineno, -EINVAL, "NUL byte in line");
		memcpy(line, buf + pos, n);
		line[n] = '\0';
		pos += n + (nl ? 1 : 0);

		nf = split(line, f);
		if (lineno == 1) {
			if ((rc = parse_header(f, nf, &idx->version, &what)))
				return fail_at(err, lineno, rc, what);
			continue;
		}
		if (nf == 0 || f[0][0] == '#')
			continue;
		if ((rc = parse_record(idx, f, nf, &have_kver, &what)))
			return fail_at(err, lineno, rc, what);
	}
	if (lineno == 0) {
		return fail_at(err, 1, -EINVAL, "empty file (no \"" MOD_INDEX_MAGIC "\" header)");
	}
	/* Version 1 meant: load everything listed. */
	if (idx->version == 1)
		for (unsigned i = 0; i < idx->nmods; i++)
			idx->mods[i].load = true;
	err->line = 0;
	return 0;
}

long mod_index_format(const struct mod_index *idx, char *buf, size_t cap)
{
	struct textbuf o;

	textbuf_init(&o, buf, cap);
	textbuf_printf(&o, "%s %d\n", MOD_INDEX_MAGIC, MOD_INDEX_VERSION);
	if (idx->kver[0])
		textbuf_printf(&o, "kver %s\n", idx->kver);
	for (unsigned i = 0; i < idx->nmods; i++) {
		const struct mod_index_module *m = &idx->mods[i];
		textbuf_printf(&o, "module %s %s", m->name, m->path);
		for (unsigned j = 0; j < m->ndeps; j++)
			textbuf_printf(&o, " %s", idx->mods[m->deps[j]].name);
		textbuf_printf(&o, "\n");
	}
	for (unsigned i = 0; i < idx->nmods; i++)
		if (idx->mods[i].load)
			textbuf_printf(&o, "load %s\n", idx->mods[i].name);
	for (unsigned i = 0; i < idx->naliases; i++)
		textbuf_printf(&o, "alias %s %s\n", idx->aliases[i].pattern, idx->mods[idx->aliases[i].mod].name);
	return textbuf_end(&o);
}
