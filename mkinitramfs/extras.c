/* What goes into the image besides /init and the modules: folder trees
 * (hooks, templates), static busybox with its applet links, and the list of
 * modules the building host uses (the "host" set). */
#include "mkimage.h"
#include "../common/sysfs.h"
#include "../hooks/hooks.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int tree_walk(struct mk_image *img, const char *src, const char *dest, int depth)
{
	struct dirent *d;
	DIR *dir;
	int rc = 0;

	if (depth > 16)
		return fprintf(stderr, "%s: %s: folders nest too deep\n", MK_PROG, src), -1;
	if (!(dir = opendir(src)))
		return fprintf(stderr, "%s: cannot read folder %s: %s\n", MK_PROG, src, strerror(errno)), -1;
	if (image_add_dir(img, dest) != 0)
		rc = -1;
	while (!rc && (d = readdir(dir))) {
		char s[PATH_MAX], t[PATH_MAX], link[PATH_MAX];
		struct stat st;
		ssize_t n;

		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		if (snprintf(s, sizeof(s), "%s/%s", src, d->d_name) >= (int)sizeof(s) ||
		    snprintf(t, sizeof(t), "%s/%s", dest, d->d_name) >= (int)sizeof(t)) {
			fprintf(stderr, "%s: %s/%s: path too long\n", MK_PROG, src, d->d_name);
			rc = -1;
		} else if (lstat(s, &st) != 0) {
			fprintf(stderr, "%s: %s: %s\n", MK_PROG, s, strerror(errno));
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			rc = tree_walk(img, s, t, depth + 1);
		} else if (S_ISREG(st.st_mode)) {
			rc = image_add_file(img, t, st.st_mode & 07777, s);
		} else if (S_ISLNK(st.st_mode)) {
			if ((n = readlink(s, link, sizeof(link) - 1)) < 0) {
				fprintf(stderr, "%s: %s: %s\n", MK_PROG, s, strerror(errno));
				rc = -1;
			} else {
				link[n] = '\0';
				rc = image_add_symlink(img, t, link);
			}
		} else {
			fprintf(stderr, "%s: %s: only files, folders and symlinks can be added\n", MK_PROG, s);
			rc = -1;
		}
	}
	closedir(dir);
	return rc;
}

int image_add_tree(struct mk_image *img, const char *src, const char *dest)
{
	struct stat st;

	if (stat(src, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "%s: %s is not a folder\n", MK_PROG, src);
		return -1;
	}
	return tree_walk(img, src, dest, 0);
}

int image_add_hooks(struct mk_image *img, const char *src)
{
	struct dirent *d;
	DIR *dir;

	if (image_add_tree(img, src, "/hooks") != 0)
		return -1;
	/* A misspelt stage folder would never run: say so. */
	if ((dir = opendir(src))) {
		while ((d = readdir(dir)))
			if (d->d_name[0] != '.' && !hooks_stage_known(d->d_name))
				fprintf(stderr, "%s: warning: %s/%s: no boot stage of that name ("
					HOOKS_STAGE_LIST "); its hooks will not run\n",
					MK_PROG, src, d->d_name);
		closedir(dir);
	}
	return 0;
}

/* ---- busybox ---- */

int image_add_busybox(struct mk_image *img, const char *src, size_t *napplets)
{
	struct elf_info e;
	unsigned char *data;
	size_t size;
	const char *what = "";
	char cmd[PATH_MAX + 32], line[512];
	FILE *p;
	int rc;

	*napplets = 0;
	if (image_file_read(src, &data, &size) != 0)
		return -1;
	rc = elf_parse(data, size, &e, &what);
	if (rc || !e.elf || e.interp[0] || e.nneeded) {
		fprintf(stderr, "%s: --busybox %s: %s (install busybox-static)\n", MK_PROG, src,
			rc ? what : !e.elf ? "not an ELF program" : "dynamically linked, not static");
		elf_info_free(&e);
		free(data);
		return -1;
	}
	elf_info_free(&e);
	if (image_add_data(img, "/bin/busybox", 0755, data, size) != 0)
		return -1;
	/* Its own list of applets and where each belongs. */
	if (strchr(src, '\'') || snprintf(cmd, sizeof(cmd), "'%s' --list-full", src) >= (int)sizeof(cmd))
		return fprintf(stderr, "%s: --busybox %s: unusable path\n", MK_PROG, src), -1;
	if (!(p = popen(cmd, "r")))
		return fprintf(stderr, "%s: running %s: %s\n", MK_PROG, cmd, strerror(errno)), -1;
	rc = 0;
	while (!rc && fgets(line, sizeof(line), p)) {
		char path[600];
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || strcmp(line, "bin/busybox") == 0)
			continue;
		snprintf(path, sizeof(path), "/%s", line);
		/* Ours come first: /sbin/modprobe stays /init's helper. */
		if (image_has(img, path))
			continue;
		rc = image_add_symlink(img, path, "/bin/busybox");
		if (!rc)
			(*napplets)++;
	}
	if (pclose(p) != 0 && !rc) {
		fprintf(stderr, "%s: %s failed\n", MK_PROG, cmd);
		rc = -1;
	}
	if (!rc && !image_has(img, "/bin/sh")) {
		fprintf(stderr, "%s: --busybox %s: it has no sh applet\n", MK_PROG, src);
		rc = -1;
	}
	return rc;
}

/* ---- the host's modules ---- */

static int push_name(char ***names, size_t *n, const char *s)
{
	char **p = realloc(*names, (*n + 1) * sizeof(*p));

	if (!p)
		return -1;
	*names = p;
	if (!(p[*n] = strdup(s)))
		return -1;
	(*n)++;
	return 0;
}

struct alias_list {
	char ***names;
	size_t *n;
	bool failed;    /* out of memory: the list is incomplete */
};

static void push_alias(const char *modalias, void *p)
{
	struct alias_list *a = p;

	if (!a->failed && push_name(a->names, a->n, modalias))
		a->failed = true;
}

int host_module_names(const char *proc_modules, const char *sysfs, char ***names, size_t *n)
{
	struct alias_list aliases = { names, n, false };
	char line[1024], path[PATH_MAX];
	struct dirent *d;
	FILE *f;
	DIR *dev;

	*names = NULL;
	*n = 0;
	/* Loaded modules: /proc/modules, else /sys/module/<m>/initstate (only
	 * loadable modules have one). */
	if ((f = fopen(proc_modules, "r"))) {
		while (fgets(line, sizeof(line), f)) {
			line[strcspn(line, " \n")] = '\0';
			if (line[0] && push_name(names, n, line))
				goto oom;
		}
		fclose(f);
	} else {
		snprintf(path, sizeof(path), "%s/module", sysfs);
		if ((dev = opendir(path))) {
			while ((d = readdir(dev))) {
				snprintf(path, sizeof(path), "%s/module/%s/initstate", sysfs, d->d_name);
				if (d->d_name[0] != '.' && access(path, F_OK) == 0 && push_name(names, n, d->d_name))
					return closedir(dev), -1;
			}
			closedir(dev);
		}
	}
	/* The drivers of the host's devices, whether loaded or not yet. */
	snprintf(path, sizeof(path), "%s/bus", sysfs);
	sysfs_modaliases(path, push_alias, &aliases);
	return aliases.failed ? -1 : 0;
oom:
	fclose(f);
	return -1;
}
