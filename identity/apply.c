#include "apply.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "safefs.h"
#include "../common/dir.h"
#include "../common/limits.h"
#include "../common/log.h"
#include "../common/readall.h"

/* PID 1 is single-threaded and applies one file at a time. */
static char src_buf[NI_TMPL_FILE_MAX + 1];   /* and the NUL */
static char out_buf[NI_TMPL_FILE_MAX + 1];

struct walk {
	const char *label;
	int dst;
	const struct tmpl_vars *vars;
	struct tmpl_budget *budget;
	struct tmpl_stats *st;
};

static void skipped(struct walk *w, const char *rel, const char *why)
{
	w->st->skipped++;
	logx("templates: %s/%s: %s; skipped", w->label, rel, why);
}

static bool has_suffix(const char *name)
{
	size_t n = strlen(name), s = strlen(TMPL_SUFFIX);
	return n > s && !strcmp(name + n - s, TMPL_SUFFIX);
}

/* The whole file, -EFBIG (it grew past the limit since fstatat) or -EINVAL
 * (it was swapped for a FIFO or a device since). */
static int read_file(int dirfd, const char *name, size_t *len)
{
	int fd = open_regular(dirfd, name);
	size_t used;
	int rc;
	if (fd < 0)
		return fd;
	rc = read_all(fd, src_buf, NI_TMPL_FILE_MAX, &used);
	close(fd);
	if (rc)
		return rc;
	src_buf[used] = '\0';
	*len = used;
	return 0;
}

static void copy_file(struct walk *w, int dirfd, const char *name, const char *rel, const struct stat *st)
{
	char dest[NI_PATH_MAX];
	struct err_reason why;
	const char *data = src_buf;
	size_t len;
	int rc;

	if (st->st_size > NI_TMPL_FILE_MAX) {
		(void)err_fail(&why, -EFBIG, "%lld bytes, more than the %d a template may have", (long long)st->st_size,
			 NI_TMPL_FILE_MAX);
		return skipped(w, rel, why.msg);
	}
	if ((rc = read_file(dirfd, name, &len))) {
		(void)err_fail(&why, rc, "reading: %s", rc == -EINVAL ? "no longer a regular file" : strerror(-rc));
		return skipped(w, rel, why.msg);
	}
	w->budget->bytes += len;
	if (w->budget->bytes > NI_TMPL_TOTAL_MAX) {
		w->budget->exhausted = true;
		logx("templates: more than %d bytes of templates; %s/%s and the rest are not applied",
		     NI_TMPL_TOTAL_MAX, w->label, rel);
		return;
	}
	snprintf(dest, sizeof(dest), "%s", rel);
	if (has_suffix(name)) {
		struct err_reason err;
		dest[strlen(dest) - strlen(TMPL_SUFFIX)] = '\0';
		rc = tmpl_render(src_buf, len, w->vars, out_buf, sizeof(out_buf), &len, &err);
		if (rc) {
			(void)err_fail(&why, rc, "line %d: %s", err.line, err.msg);
			return skipped(w, rel, why.msg);
		}
		data = out_buf;
		w->st->rendered++;
	}
	rc = safe_write(w->dst, dest, data, len, st->st_mode, st->st_uid, st->st_gid, &why);
	if (rc)
		return skipped(w, rel, why.msg);
	w->st->files++;
	logdbg("templates: %s/%s -> /%s", w->label, rel, dest);
}

static void copy_link(struct walk *w, int dirfd, const char *name, const char *rel, const struct stat *st)
{
	char target[NI_PATH_MAX];
	struct err_reason why;
	ssize_t n = readlinkat(dirfd, name, target, sizeof(target));
	if (n < 0 || (size_t)n >= sizeof(target))
		return skipped(w, rel, n < 0 ? strerror(errno) : "symlink target too long");
	target[n] = '\0';
	if (safe_symlink(w->dst, rel, target, st->st_uid, st->st_gid, &why))
		return skipped(w, rel, why.msg);
	w->st->links++;
}

static void walk_dir(struct walk *w, int dirfd, const char *prefix, int depth);

static void copy_dir(struct walk *w, int dirfd, const char *name, const char *rel, const struct stat *st,
		     int depth)
{
	struct err_reason why;
	int sub;

	if (depth >= NI_TMPL_DEPTH)
		return skipped(w, rel, "nested deeper than the template depth limit");
	/* An existing directory keeps its mode: a layer that merely contains
	 * etc/ must not change the root's /etc. */
	if (safe_mkdir(w->dst, rel, st->st_mode, st->st_uid, st->st_gid, &why))
		return skipped(w, rel, why.msg);
	sub = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (sub < 0)
		return skipped(w, rel, strerror(errno));
	w->st->dirs++;
	walk_dir(w, sub, rel, depth + 1);
	close(sub);
}

/* Takes ownership of dirfd's listing (not of dirfd). */
static void walk_dir(struct walk *w, int dirfd, const char *prefix, int depth)
{
	int fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
	struct dir_reader d;
	struct dirent *de;

	if (fd < 0)
		return skipped(w, prefix[0] ? prefix : ".", strerror(errno));
	dir_adopt(&d, fd);
	while (!w->budget->exhausted && (de = dir_next(&d))) {
		char rel[NI_PATH_MAX];
		struct stat st;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (++w->budget->entries > NI_TMPL_ENTRIES_MAX) {
			w->budget->exhausted = true;
			logx("templates: more than %d entries; %s and the rest are not applied", NI_TMPL_ENTRIES_MAX,
			     w->label);
			break;
		}
		if ((size_t)snprintf(rel, sizeof(rel), "%s%s%s", prefix, prefix[0] ? "/" : "", de->d_name) >=
		    sizeof(rel)) {
			skipped(w, prefix, "a name below it makes a path that is too long");
			continue;
		}
		if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			skipped(w, rel, strerror(errno));
			continue;
		}
		if (S_ISDIR(st.st_mode))
			copy_dir(w, dirfd, de->d_name, rel, &st, depth);
		else if (S_ISREG(st.st_mode))
			copy_file(w, dirfd, de->d_name, rel, &st);
		else if (S_ISLNK(st.st_mode))
			copy_link(w, dirfd, de->d_name, rel, &st);
		else
			skipped(w, rel, "not a file, directory or symlink");
	}
	dir_close(&d);
}

void tmpl_apply_tree(int layer_fd, const char *label, int dstroot_fd, const struct tmpl_vars *vars,
		     struct tmpl_budget *budget, struct tmpl_stats *st)
{
	struct walk w = { label, dstroot_fd, vars, budget, st };
	if (!budget->exhausted)
		walk_dir(&w, layer_fd, "", 0);
}
