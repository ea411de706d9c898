/* Which modules go into the image, in which order. libkmod answers the
 * questions (lookup by name or alias, modules.dep, softdeps); the order is our
 * own depth-first walk, so every module follows everything it needs. */
#include "mkimage.h"
#include "../common/file.h"

#include <dirent.h>
#include <errno.h>
#include <libkmod.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Walk state: modules being visited, to catch a dependency cycle. */
struct walk {
	struct kmod_ctx *ctx;
	const char *moddir;       /* basedir/lib/modules/kver */
	const char *kver;
	bool verbose;
	const char *stack[64];
	size_t depth;
	const char *why;          /* for -v: why the request being resolved is there */
	const char *nic_why;      /* set while resolving the NIC drivers */
	const char *asked;        /* its name as asked for (module or alias) */
};

static char *xstrdup(const char *s)
{
	char *d = strdup(s);
	if (!d) {
		fprintf(stderr, "%s: out of memory\n", MK_PROG);
		exit(1);
	}
	return d;
}

static char *join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *s = malloc(n);
	if (!s) {
		fprintf(stderr, "%s: out of memory\n", MK_PROG);
		exit(1);
	}
	snprintf(s, n, "%s%s%s", a, (a[0] && a[strlen(a) - 1] == '/') ? "" : "/", b);
	return s;
}

static struct mk_module *find(const struct mk_modset *set, const char *name)
{
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->mods[i].name, name) == 0)
			return &set->mods[i];
	return NULL;
}

/* The image path: /lib/modules/KVER/<path under the modules dir>, plain .ko. */
static char *dest_path(const struct walk *w, const char *src)
{
	static const char *const zext[] = { ".xz", ".zst", ".gz" };
	size_t n = strlen(w->moddir);
	char rel[4096];
	size_t rl;

	if (strncmp(src, w->moddir, n) != 0 || src[n] != '/') {
		fprintf(stderr, "%s: module %s is not under %s\n", MK_PROG, src, w->moddir);
		return NULL;
	}
	snprintf(rel, sizeof(rel), "%s", src + n + 1);
	rl = strlen(rel);
	for (size_t i = 0; i < sizeof(zext) / sizeof(zext[0]); i++) {
		size_t el = strlen(zext[i]);
		if (rl > el && strcmp(rel + rl - el, zext[i]) == 0) {
			rel[rl - el] = '\0';
			break;
		}
	}
	{
		char *d = malloc(strlen(w->kver) + strlen(rel) + 16);
		if (!d)
			return NULL;
		sprintf(d, "/lib/modules/%s/%s", w->kver, rel);
		return d;
	}
}

static int visit(struct walk *w, struct kmod_module *mod, bool soft, struct mk_modset *set);

static int visit_list(struct walk *w, struct kmod_list *list, bool soft, struct mk_modset *set)
{
	struct kmod_list *l;
	int rc = 0;

	kmod_list_foreach(l, list) {
		struct kmod_module *m = kmod_module_get_module(l);
		if (!rc)
			rc = visit(w, m, soft, set);
		kmod_module_unref(m);
	}
	return rc;
}

/* -v: why a module is in the image. */
static void say_why(const struct walk *w, const char *name, const char *path, bool soft)
{
	if (w->depth)
		fprintf(stderr, "%s: module %s (%s): %s of %s\n", MK_PROG, name, path,
			soft ? "pre-softdep" : "dependency", w->stack[w->depth - 1]);
	else if (strcmp(w->asked, name))
		fprintf(stderr, "%s: module %s (%s): %s, asked for as %s\n", MK_PROG, name, path, w->why, w->asked);
	else
		fprintf(stderr, "%s: module %s (%s): %s\n", MK_PROG, name, path, w->why);
}

static int add_module(struct walk *w, struct kmod_module *mod, const char *path, bool soft,
		      struct mk_modset *set)
{
	struct kmod_list *deps = kmod_module_get_dependencies(mod), *l;
	struct mk_module m = { 0 };
	size_t n = 0;

	kmod_list_foreach(l, deps)
		n++;
	m.name = xstrdup(kmod_module_get_name(mod));
	m.src = xstrdup(path);
	m.dest = dest_path(w, path);
	m.deps = calloc(n ? n : 1, sizeof(char *));
	if (!m.dest || !m.deps) {
		kmod_module_unref_list(deps);
		return -1;
	}
	kmod_list_foreach(l, deps) {
		struct kmod_module *d = kmod_module_get_module(l);
		m.deps[m.ndeps++] = xstrdup(kmod_module_get_name(d));
		kmod_module_unref(d);
	}
	kmod_module_unref_list(deps);
	if (set->n == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 64;
		struct mk_module *p = realloc(set->mods, cap * sizeof(*p));
		if (!p)
			return -1;
		set->mods = p;
		set->cap = cap;
	}
	set->mods[set->n++] = m;
	if (w->verbose)
		say_why(w, m.name, path, soft);
	return 0;
}

/* Depth first: hard dependencies, then pre-softdeps, then the module. A
 * softdep that is missing, built in, or closes a cycle is only an ordering
 * wish and is dropped; a hard one is an error. */
static int visit(struct walk *w, struct kmod_module *mod, bool soft, struct mk_modset *set)
{
	const char *name = kmod_module_get_name(mod);
	const char *path = kmod_module_get_path(mod);
	struct kmod_list *deps, *pre = NULL, *post = NULL;
	int rc;

	if (find(set, name))
		return 0;
	for (size_t i = 0; i < w->depth; i++)
		if (strcmp(w->stack[i], name) == 0) {
			if (soft)
				return 0;
			fprintf(stderr, "%s: dependency cycle through module %s\n", MK_PROG, name);
			return -1;
		}
	if (!path) {
		if (w->verbose)
			fprintf(stderr, "%s: %s is built into the kernel\n", MK_PROG, name);
		return 0;
	}
	if (w->depth == sizeof(w->stack) / sizeof(w->stack[0])) {
		fprintf(stderr, "%s: dependencies of %s nest too deep\n", MK_PROG, name);
		return -1;
	}
	w->stack[w->depth++] = name;
	deps = kmod_module_get_dependencies(mod);
	rc = visit_list(w, deps, false, set);
	kmod_module_unref_list(deps);
	if (!rc && kmod_module_get_softdeps(mod, &pre, &post) == 0) {
		rc = visit_list(w, pre, true, set);
		kmod_module_unref_list(pre);
		kmod_module_unref_list(post);
	}
	w->depth--;
	if (rc)
		return rc;
	if (access(path, R_OK) != 0) {
		fprintf(stderr, "%s: module %s: cannot read %s: %s\n", MK_PROG, name, path, strerror(errno));
		return -1;
	}
	return add_module(w, mod, path, soft, set);
}

static void list_kernels(const char *libmod)
{
	struct dirent **names;
	int n = scandir(libmod, &names, NULL, alphasort), shown = 0;

	for (int i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.')
			fprintf(stderr, "%s%s", shown++ ? " " : "", names[i]->d_name);
		free(names[i]);
	}
	fprintf(stderr, "%s\n", shown ? "" : "nothing");
	if (n >= 0)
		free(names);
}

/* Removes what depmod_copy made (our links and depmod's files) and frees base. */
static void depmod_copy_remove(char *base, const char *kver)
{
	char path[4096];
	struct dirent *d;
	DIR *dir;

	snprintf(path, sizeof(path), "%s/lib/modules/%s", base, kver);
	if ((dir = opendir(path))) {
		while ((d = readdir(dir))) {
			char f[4096 + 260];
			if (d->d_name[0] == '.')
				continue;
			snprintf(f, sizeof(f), "%s/%s", path, d->d_name);
			unlink(f);   /* never recursive: "kernel" here is our symlink */
		}
		closedir(dir);
	}
	rmdir(path);
	snprintf(path, sizeof(path), "%s/lib/modules", base);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/lib", base);
	rmdir(path);
	rmdir(base);
	free(base);
}

/* modules.dep is missing: depmod into a private tree whose entries link to
 * the real ones, so a read-only or foreign modules folder is never written. */
static char *depmod_copy(const char *moddir, const char *kver)
{
	const char *tmpdir = getenv("TMPDIR");
	char *base = malloc(4096), path[4096], *argv[] = { "depmod", "-b", base, (char *)kver, NULL };
	struct dirent *d;
	DIR *dir;
	pid_t pid;
	int st, rc;

	if (!base)
		return NULL;
	snprintf(base, 4096, "%s/nfsinit-mkimage-depmod.XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(base)) {
		fprintf(stderr, "%s: no modules.dep, and no temporary folder for depmod: %s\n", MK_PROG,
			strerror(errno));
		return free(base), NULL;
	}
	snprintf(path, sizeof(path), "%s/lib/modules/%s/", base, kver);
	if ((rc = file_mkdir_parents(path)) || !(dir = opendir(moddir))) {
		fprintf(stderr, "%s: preparing depmod in %s: %s\n", MK_PROG, path, strerror(rc ? -rc : errno));
		goto fail;
	}
	while ((d = readdir(dir))) {
		char src[4096];
		/* depmod's inputs; the indexes it writes are left out. */
		if (d->d_name[0] == '.' || (strncmp(d->d_name, "modules.", 8) == 0 &&
					     strcmp(d->d_name, "modules.order") != 0 &&
					     strncmp(d->d_name, "modules.builtin", 15) != 0) ||
		    (strncmp(d->d_name, "modules.builtin", 15) == 0 && strstr(d->d_name, ".bin")))
			continue;
		snprintf(src, sizeof(src), "%s/%s", moddir, d->d_name);
		snprintf(path, sizeof(path), "%s/lib/modules/%s/%s", base, kver, d->d_name);
		if (symlink(src, path) != 0) {
			fprintf(stderr, "%s: linking %s: %s\n", MK_PROG, path, strerror(errno));
			closedir(dir);
			goto fail;
		}
	}
	closedir(dir);
	fprintf(stderr, "%s: no modules.dep in %s: running depmod on a linked copy\n", MK_PROG, moddir);
	if ((rc = posix_spawnp(&pid, "depmod", NULL, NULL, argv, environ))) {
		fprintf(stderr, "%s: cannot run depmod: %s (install kmod, or run depmod yourself)\n",
			MK_PROG, strerror(rc));
		goto fail;
	}
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "%s: depmod -b %s %s failed\n", MK_PROG, base, kver);
		goto fail;
	}
	return base;
fail:
	depmod_copy_remove(base, kver);
	return NULL;
}

/* Host configuration (/etc/modprobe.d) describes the host's kernel; for
 * another root, read that root's. */
static struct kmod_ctx *open_ctx(const char *basedir, const char *moddir)
{
	static const char *const rel[] = { "etc/modprobe.d", "run/modprobe.d",
					   "usr/local/lib/modprobe.d", "lib/modprobe.d" };
	char *paths[5] = { 0 };
	struct kmod_ctx *ctx;

	if (strcmp(basedir, "/") == 0)
		return kmod_new(moddir, NULL);
	for (size_t i = 0; i < 4; i++)
		paths[i] = join(basedir, rel[i]);
	ctx = kmod_new(moddir, (const char *const *)paths);
	for (size_t i = 0; i < 4; i++)
		free(paths[i]);
	return ctx;
}

/* What kind of request r is, for -v (main.c builds them so). */
static const char *request_why(const struct mk_request *r)
{
	if (r->why)
		return r->why;
	if (r->required)
		return r->load ? "asked for with -m (loaded at every boot)" :
				 "asked for with --on-demand (loaded when a device or the kernel asks)";
	return r->load ? "loaded at every boot" :
			 "in the module set (the host's modules and devices, or a NIC's bus)";
}

static int resolve_one(struct walk *w, const struct mk_request *r, struct mk_modset *set)
{
	struct kmod_list *list = NULL;
	int rc = kmod_module_new_from_lookup(w->ctx, r->name, &list);

	w->asked = r->name;
	w->why = w->nic_why ? w->nic_why : request_why(r);
	if (rc < 0) {
		fprintf(stderr, "%s: looking up module %s: %s\n", MK_PROG, r->name, strerror(-rc));
		return -1;
	}
	if (!list) {
		if (r->required) {
			fprintf(stderr, "%s: module %s: no such module or alias for kernel %s (in %s)\n",
				MK_PROG, r->name, w->kver, w->moddir);
			return -1;
		}
		if (w->verbose)
			fprintf(stderr, "%s: %s: not in kernel %s, skipped\n", MK_PROG, r->name, w->kver);
		return 0;
	}
	rc = visit_list(w, list, false, set);
	if (!rc && r->load) {
		struct kmod_list *l;
		kmod_list_foreach(l, list) {
			struct kmod_module *m = kmod_module_get_module(l);
			struct mk_module *got = find(set, kmod_module_get_name(m));
			if (got)
				got->load = true;
			kmod_module_unref(m);
		}
	}
	kmod_module_unref_list(list);
	return rc;
}

static int resolve_nics(struct walk *w, const struct mk_aliases *al, struct mk_modset *set)
{
	char **names;
	size_t n;
	int rc = 0;

	if (nic_modules(w->moddir, al, &names, &n) != 0)
		return -1;
	if (w->verbose)
		fprintf(stderr, "%s: %zu NIC drivers in kernel %s\n", MK_PROG, n, w->kver);
	for (size_t i = 0; i < n; i++) {
		struct mk_request r = { names[i], true, false, NULL };
		w->nic_why = "a network driver (netboot set: every NIC the kernel has)";
		if (!rc)
			rc = resolve_one(w, &r, set);
		w->nic_why = NULL;
		free(names[i]);
	}
	free(names);
	return rc;
}

/* The index carries every alias of every module in the image: device
 * patterns for the boot's hardware scan, names like fs-nfs4 for the helper. */
static int keep_aliases(const struct mk_aliases *all, struct mk_modset *set)
{
	struct mk_aliases *out = &set->aliases;

	for (size_t i = 0; i < all->n; i++) {
		if (!find(set, all->a[i].module))
			continue;
		if (out->n == out->cap) {
			size_t cap = out->cap ? out->cap * 2 : 256;
			struct mk_alias *p = realloc(out->a, cap * sizeof(*p));
			if (!p)
				return fprintf(stderr, "%s: out of memory\n", MK_PROG), -1;
			out->a = p;
			out->cap = cap;
		}
		out->a[out->n].pattern = xstrdup(all->a[i].pattern);
		out->a[out->n].module = xstrdup(all->a[i].module);
		out->n++;
	}
	return 0;
}

static int real_sources(struct mk_modset *set, const char *copy, const char *orig)
{
	size_t n = strlen(copy);

	if (!orig)
		return -1;
	for (size_t i = 0; i < set->n; i++) {
		char *src = set->mods[i].src, *fixed;
		if (strncmp(src, copy, n) != 0 || src[n] != '/')
			continue;
		if (!(fixed = malloc(strlen(orig) + strlen(src + n) + 1)))
			return -1;
		sprintf(fixed, "%s%s", orig, src + n);
		free(src);
		set->mods[i].src = fixed;
	}
	return 0;
}

int modset_resolve(const char *basedir, const char *kver, const struct mk_request *reqs,
		   size_t nreqs, unsigned flags, bool verbose, struct mk_modset *set)
{
	char *libmod = join(basedir, "lib/modules");
	char *moddir = join(libmod, kver);
	char *dep = join(moddir, "modules.dep");
	struct walk w = { .moddir = moddir, .kver = kver, .verbose = verbose };
	struct mk_aliases all = { 0 };
	char *tmpbase = NULL, *moddir_orig = NULL;
	struct stat st;
	char *real = NULL;
	int rc = -1;

	memset(set, 0, sizeof(*set));
	if (stat(libmod, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "%s: missing modules directory %s: %s (check -b BASEDIR)\n", MK_PROG,
			libmod, strerror(errno ? errno : ENOTDIR));
		goto out;
	}
	if (stat(moddir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "%s: unknown kernel version %s: no %s (check -k KVER); %s has: ", MK_PROG,
			kver, moddir, libmod);
		list_kernels(libmod);
		goto out;
	}
	if (access(dep, R_OK) != 0) {
		if (!(tmpbase = depmod_copy(moddir, kver)))
			goto out;
		moddir_orig = realpath(moddir, NULL);
		free(moddir);
		moddir = join(tmpbase, "lib/modules");
		{
			char *m = join(moddir, kver);
			free(moddir);
			moddir = m;
		}
	}
	/* libkmod hands back absolute paths; compare like with like. */
	if (!(real = realpath(moddir, NULL))) {
		fprintf(stderr, "%s: %s: %s\n", MK_PROG, moddir, strerror(errno));
		goto out;
	}
	w.moddir = real;
	if (!(w.ctx = open_ctx(basedir, real))) { /* module paths then start with real */
		fprintf(stderr, "%s: libkmod cannot use %s\n", MK_PROG, moddir);
		goto out;
	}
	if (kmod_load_resources(w.ctx) < 0) {
		fprintf(stderr, "%s: libkmod cannot load the indexes in %s\n", MK_PROG, moddir);
		goto out;
	}
	if (aliases_read(real, &all) != 0)
		goto out;
	for (size_t i = 0; i < nreqs; i++)
		if (resolve_one(&w, &reqs[i], set) != 0)
			goto out;
	if ((flags & MK_ALL_NICS) && resolve_nics(&w, &all, set) != 0)
		goto out;
	rc = keep_aliases(&all, set);
	/* Sources through the linked copy: name the real files, the copy goes. */
	if (!rc && tmpbase && (rc = real_sources(set, real, moddir_orig)) != 0)
		fprintf(stderr, "%s: out of memory\n", MK_PROG);
out:
	aliases_free(&all);
	if (w.ctx)
		kmod_unref(w.ctx);
	free(real);
	free(dep);
	free(moddir);
	free(libmod);
	if (tmpbase)
		depmod_copy_remove(tmpbase, kver);
	free(moddir_orig);
	return rc;
}

static bool has_dep(const struct mk_module *m, const char *name)
{
	for (size_t i = 0; i < m->ndeps; i++)
		if (strcmp(m->deps[i], name) == 0)
			return true;
	return false;
}

size_t modset_direct_deps(const struct mk_modset *set, size_t i, const char **out)
{
	const struct mk_module *m = &set->mods[i];
	size_t n = 0;

	for (size_t a = 0; a < m->ndeps; a++) {
		bool indirect = false;
		for (size_t b = 0; b < m->ndeps && !indirect; b++) {
			const struct mk_module *via = find(set, m->deps[b]);
			indirect = b != a && via && has_dep(via, m->deps[a]);
		}
		if (!indirect)
			out[n++] = m->deps[a];
	}
	return n;
}

void modset_free(struct mk_modset *set)
{
	for (size_t i = 0; i < set->n; i++) {
		struct mk_module *m = &set->mods[i];
		for (size_t j = 0; j < m->ndeps; j++)
			free(m->deps[j]);
		free(m->deps);
		free(m->name);
		free(m->src);
		free(m->dest);
	}
	free(set->mods);
	aliases_free(&set->aliases);
	memset(set, 0, sizeof(*set));
}
