/* Image contents and the newc cpio writer. Reproducible: entries sorted by
 * path, owner 0:0, one mtime, inode numbers by position, no timestamp in the
 * gzip header, so the same inputs give the same bytes. */
#include "mkimage.h"

#include <archive.h>
#include <archive_entry.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Modules and /init are small; anything bigger is a mistake on the command line. */
#define MK_FILE_MAX (256L * 1024 * 1024)

void image_init(struct mk_image *img)
{
	memset(img, 0, sizeof(*img));
}

void image_free(struct mk_image *img)
{
	for (size_t i = 0; i < img->n; i++) {
		free(img->e[i].path);
		free(img->e[i].data);
		free(img->e[i].link);
	}
	free(img->e);
	memset(img, 0, sizeof(*img));
}

static struct mk_entry *lookup(struct mk_image *img, const char *path)
{
	for (size_t i = 0; i < img->n; i++)
		if (strcmp(img->e[i].path, path) == 0)
			return &img->e[i];
	return NULL;
}

/* Checks an absolute image path and returns it without the leading '/'. */
static const char *rel_path(const char *path)
{
	if (path[0] != '/' || !path[1] || strstr(path, "//") || strstr(path, "/./") ||
	    strstr(path, "/../") || path[strlen(path) - 1] == '/' ||
	    (strlen(path) >= 3 && strcmp(path + strlen(path) - 3, "/..") == 0)) {
		fprintf(stderr, "%s: bad path in image: '%s' (absolute, no '.', '..', '//' or trailing '/')\n",
			MK_PROG, path);
		return NULL;
	}
	return path + 1;
}

static struct mk_entry *append(struct mk_image *img, const char *rel, unsigned mode)
{
	struct mk_entry *e;

	if (img->n == img->cap) {
		size_t cap = img->cap ? img->cap * 2 : 64;
		struct mk_entry *p = realloc(img->e, cap * sizeof(*p));
		if (!p)
			return NULL;
		img->e = p;
		img->cap = cap;
	}
	e = &img->e[img->n];
	memset(e, 0, sizeof(*e));
	if (!(e->path = strdup(rel)))
		return NULL;
	e->mode = mode;
	img->n++;
	return e;
}

/* The kernel's unpacker does not create missing folders, so every parent
 * gets its own entry. */
static int add_parents(struct mk_image *img, const char *rel)
{
	char buf[4096];
	char *slash;

	if (strlen(rel) >= sizeof(buf))
		return fprintf(stderr, "%s: path too long: /%s\n", MK_PROG, rel), -1;
	strcpy(buf, rel);
	for (slash = strchr(buf, '/'); slash; slash = strchr(slash + 1, '/')) {
		struct mk_entry *e;
		*slash = '\0';
		e = lookup(img, buf);
		if (e && !S_ISDIR(e->mode))
			return fprintf(stderr, "%s: /%s is a file and a folder\n", MK_PROG, buf), -1;
		if (!e && !append(img, buf, S_IFDIR | 0755))
			return -1;
		*slash = '/';
	}
	return 0;
}

static struct mk_entry *add_new(struct mk_image *img, const char *path, unsigned mode)
{
	const char *rel = rel_path(path);
	struct mk_entry *e;

	if (!rel)
		return NULL;
	if ((e = lookup(img, rel))) {
		if (S_ISDIR(e->mode) && S_ISDIR(mode))
			return e;
		fprintf(stderr, "%s: %s added twice\n", MK_PROG, path);
		return NULL;
	}
	if (add_parents(img, rel) != 0)
		return NULL;
	return append(img, rel, mode);
}

int image_add_dir(struct mk_image *img, const char *path)
{
	return add_new(img, path, S_IFDIR | 0755) ? 0 : -1;
}

int image_add_symlink(struct mk_image *img, const char *path, const char *target)
{
	struct mk_entry *e;
	char *t = strdup(target);

	if (!t || !target[0])
		return free(t), fprintf(stderr, "%s: %s: empty link target\n", MK_PROG, path), -1;
	if (!(e = add_new(img, path, S_IFLNK | 0777)))
		return free(t), -1;
	e->link = t;
	return 0;
}

bool image_has(struct mk_image *img, const char *path)
{
	return path[0] == '/' && lookup(img, path + 1) != NULL;
}

int image_add_chardev(struct mk_image *img, const char *path, unsigned mode,
		      unsigned major, unsigned minor)
{
	struct mk_entry *e = add_new(img, path, S_IFCHR | (mode & 07777));
	if (!e)
		return -1;
	e->rdev_major = major;
	e->rdev_minor = minor;
	return 0;
}

int image_add_data(struct mk_image *img, const char *path, unsigned mode,
		   unsigned char *data, size_t size)
{
	struct mk_entry *e = add_new(img, path, S_IFREG | (mode & 07777));
	if (!e) {
		free(data);
		return -1;
	}
	e->data = data;
	e->size = size;
	img->data_bytes += size;
	return 0;
}

int image_file_read(const char *src, unsigned char **data, size_t *size)
{
	struct stat st;
	unsigned char *buf;
	size_t got = 0;
	int fd = open(src, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) != 0) {
		fprintf(stderr, "%s: cannot read %s: %s\n", MK_PROG, src, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > MK_FILE_MAX) {
		fprintf(stderr, "%s: %s: not a regular file under %ld MiB\n", MK_PROG, src, MK_FILE_MAX >> 20);
		close(fd);
		return -1;
	}
	buf = malloc((size_t)st.st_size + 1);
	while (buf && got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n <= 0) {
			fprintf(stderr, "%s: reading %s: %s\n", MK_PROG, src, n ? strerror(errno) : "file shrank");
			free(buf);
			close(fd);
			return -1;
		}
		got += (size_t)n;
	}
	close(fd);
	if (!buf)
		return fprintf(stderr, "%s: out of memory\n", MK_PROG), -1;
	*data = buf;
	*size = got;
	return 0;
}

int image_add_file(struct mk_image *img, const char *path, unsigned mode, const char *src)
{
	unsigned char *data;
	size_t size;

	if (image_file_read(src, &data, &size) != 0)
		return -1;
	return image_add_data(img, path, mode, data, size);
}

static bool compressed_name(const char *src)
{
	static const char *const ext[] = { ".xz", ".zst", ".gz" };
	size_t n = strlen(src);
	for (size_t i = 0; i < 3; i++)
		if (n > strlen(ext[i]) && strcmp(src + n - strlen(ext[i]), ext[i]) == 0)
			return true;
	return false;
}

/* libarchive's "raw" format with every filter: the compressed module in,
 * plain ELF out (the kernel's finit_module wants ELF unless the kernel was
 * built to decompress, and ours must not depend on that). */
static int read_decompressed(const char *src, unsigned char **data, size_t *size)
{
	struct archive *a = archive_read_new();
	struct archive_entry *ent;
	unsigned char *buf = NULL;
	size_t len = 0, cap = 0;
	int rc = -1;

	if (!a)
		return -1;
	archive_read_support_filter_all(a);
	archive_read_support_format_raw(a);
	if (archive_read_open_filename(a, src, 65536) != ARCHIVE_OK ||
	    archive_read_next_header(a, &ent) != ARCHIVE_OK) {
		fprintf(stderr, "%s: cannot decompress %s: %s\n", MK_PROG, src, archive_error_string(a));
		goto out;
	}
	for (;;) {
		la_ssize_t n;
		if (cap - len < 65536) {
			unsigned char *p;
			cap = cap ? cap * 2 : 1 << 20;
			if (cap > MK_FILE_MAX || !(p = realloc(buf, cap))) {
				fprintf(stderr, "%s: %s: too large when decompressed\n", MK_PROG, src);
				goto out;
			}
			buf = p;
		}
		n = archive_read_data(a, buf + len, cap - len);
		if (n < 0) {
			fprintf(stderr, "%s: decompressing %s: %s\n", MK_PROG, src, archive_error_string(a));
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len < 4 || memcmp(buf, "\177ELF", 4) != 0) {
		fprintf(stderr, "%s: %s is not an ELF module once decompressed\n", MK_PROG, src);
		goto out;
	}
	*data = buf;
	*size = len;
	buf = NULL;
	rc = 0;
out:
	free(buf);
	archive_read_free(a);
	return rc;
}

int image_add_module(struct mk_image *img, const char *path, const char *src)
{
	unsigned char *data;
	size_t size;
	int rc = compressed_name(src) ? read_decompressed(src, &data, &size) : image_file_read(src, &data, &size);

	if (rc != 0)
		return -1;
	return image_add_data(img, path, 0644, data, size);
}

static const char *const comp_names[] = { "gzip", "zstd", "xz", "none" };
/* Defaults chosen for build time (README: "Building an image"): zstd 3 packs
 * the standard kernel's 46 MB netboot set in under half a second, gzip 9
 * takes seconds for a few percent less. */
static const int comp_default_level[] = { 6, 3, 6, 0 };
static const int comp_max_level[] = { 9, 19, 9, 0 };

int compress_parse(const char *s, struct mk_compression *c)
{
	const char *colon = strchr(s, ':');
	size_t n = colon ? (size_t)(colon - s) : strlen(s);

	for (int i = 0; i < 4; i++) {
		if (strlen(comp_names[i]) != n || strncmp(s, comp_names[i], n) != 0)
			continue;
		c->method = (enum mk_compress)i;
		c->level = comp_default_level[i];
		if (colon) {
			char *end;
			long v = strtol(colon + 1, &end, 10);
			if (i == MK_NONE || end == colon + 1 || *end || v < 1 || v > comp_max_level[i])
				return -1;
			c->level = (int)v;
		}
		return 0;
	}
	return -1;
}

const char *compress_name(enum mk_compress c)
{
	return comp_names[c];
}

const char *compress_kconfig(enum mk_compress c)
{
	static const char *const opts[] = { "CONFIG_RD_GZIP", "CONFIG_RD_ZSTD", "CONFIG_RD_XZ", NULL };
	return opts[c];
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct mk_entry *)a)->path, ((const struct mk_entry *)b)->path);
}

static int set_filter(struct archive *a, struct mk_compression c)
{
	char level[16], prog[96];

	snprintf(level, sizeof(level), "%d", c.level);
	switch (c.method) {
	case MK_GZIP:
		/* "!timestamp": no mtime in the gzip header, for identical bytes. */
		return (archive_write_add_filter_gzip(a) == ARCHIVE_OK &&
			archive_write_set_filter_option(a, "gzip", "timestamp", NULL) == ARCHIVE_OK &&
			archive_write_set_filter_option(a, "gzip", "compression-level", level) == ARCHIVE_OK)
			       ? 0 : -1;
	case MK_ZSTD:
		/* One thread: zstd's output differs between 0 and >0 workers, and a
		 * fixed choice keeps the bytes the same on every machine. */
		return (archive_write_add_filter_zstd(a) == ARCHIVE_OK &&
			archive_write_set_filter_option(a, "zstd", "compression-level", level) == ARCHIVE_OK)
			       ? 0 : -1;
	case MK_XZ:
		/* The kernel's XZ decoder only checks CRC32 (Documentation/staging/xz.rst);
		 * liblzma's default CRC64 would not unpack, and libarchive's xz filter
		 * cannot change it, so the xz program does this one. One thread: stable bytes. */
		snprintf(prog, sizeof(prog), "xz --check=crc32 --lzma2=preset=%d,dict=1MiB -T1 -c", c.level);
		return archive_write_add_filter_program(a, prog) == ARCHIVE_OK ? 0 : -1;
	case MK_NONE:
		return 0;
	}
	return -1;
}

static int write_entries(struct archive *a, struct mk_image *img, long long mtime)
{
	struct archive_entry *ent = archive_entry_new();

	if (!ent)
		return -1;
	for (size_t i = 0; i < img->n; i++) {
		const struct mk_entry *e = &img->e[i];
		archive_entry_clear(ent);
		archive_entry_set_pathname(ent, e->path);
		archive_entry_set_mode(ent, e->mode);
		archive_entry_set_uid(ent, 0);
		archive_entry_set_gid(ent, 0);
		archive_entry_set_mtime(ent, (time_t)mtime, 0);
		archive_entry_set_ino(ent, (la_int64_t)i + 1);
		archive_entry_set_nlink(ent, S_ISDIR(e->mode) ? 2 : 1);
		archive_entry_set_rdevmajor(ent, e->rdev_major);
		archive_entry_set_rdevminor(ent, e->rdev_minor);
		archive_entry_set_size(ent, S_ISREG(e->mode) ? (la_int64_t)e->size : 0);
		if (e->link)
			archive_entry_set_symlink(ent, e->link);
		if (archive_write_header(a, ent) != ARCHIVE_OK ||
		    (e->size && archive_write_data(a, e->data, e->size) != (la_ssize_t)e->size)) {
			fprintf(stderr, "%s: writing /%s: %s\n", MK_PROG, e->path, archive_error_string(a));
			archive_entry_free(ent);
			return -1;
		}
	}
	archive_entry_free(ent);
	return 0;
}

/* output's folder, for the temporary file: rename() does not cross filesystems. */
static char *temp_name(const char *output)
{
	const char *slash = strrchr(output, '/');
	size_t dl = slash ? (size_t)(slash - output) + 1 : 0;
	char *t = malloc(dl + strlen(MK_PROG) + 16);

	if (!t)
		return NULL;
	memcpy(t, output, dl);
	sprintf(t + dl, ".%s.XXXXXX", MK_PROG);
	return t;
}

/* The temporary file being written, for the SIGINT/SIGTERM handler: an
 * interrupted build leaves nothing hidden beside the output. */
static char *volatile tmp_pending;

static void on_signal(int sig)
{
	char *t = tmp_pending;

	if (t)
		unlink(t);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* A signal the caller ignores (nohup, a background job) stays ignored. */
static void catch_signals(char *tmp)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa = { .sa_handler = tmp ? on_signal : SIG_DFL }, old;

	tmp_pending = tmp;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
			sigaction(sigs[i], &sa, NULL);
}

/* rename() would replace whatever output is: a device node (-o /dev/full as
 * root), a FIFO, the symlink instead of its target. Only a regular file is
 * replaced, and it keeps its permission bits. */
static int output_mode(const char *output, mode_t *mode)
{
	struct stat st;

	*mode = 0644;
	if (lstat(output, &st) != 0) {
		if (errno == ENOENT)
			return 0;
		fprintf(stderr, "%s: %s: %s\n", MK_PROG, output, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		fprintf(stderr, "%s: %s exists and is not a regular file (%s); not replacing it\n",
			MK_PROG, output, S_ISLNK(st.st_mode) ? "a symlink: give its target" :
			S_ISDIR(st.st_mode) ? "a folder" : S_ISFIFO(st.st_mode) ? "a FIFO" :
			S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device node" : "a special file");
		return -1;
	}
	*mode = st.st_mode & 07777;
	return 0;
}

int image_write(struct mk_image *img, const char *output, struct mk_compression comp,
		long long mtime, struct mk_result *res)
{
	char *tmp;
	struct archive *a = NULL;
	struct stat st;
	mode_t mode;
	int fd = -1, rc = -1;

	if (output_mode(output, &mode) != 0 || !(tmp = temp_name(output)))
		return -1;
	qsort(img->e, img->n, sizeof(img->e[0]), by_path);
	catch_signals(tmp);
	if ((fd = mkstemp(tmp)) < 0) {
		fprintf(stderr, "%s: cannot write %s: creating a file in its folder: %s\n", MK_PROG,
			output, strerror(errno));
		catch_signals(NULL);
		free(tmp);
		return -1;
	}
	a = archive_write_new();
	if (!a || archive_write_set_format_cpio_newc(a) != ARCHIVE_OK || set_filter(a, comp) != 0 ||
	    archive_write_set_bytes_per_block(a, 0) != ARCHIVE_OK ||
	    archive_write_open_fd(a, fd) != ARCHIVE_OK) {
		fprintf(stderr, "%s: setting up the %s archive: %s\n", MK_PROG, compress_name(comp.method),
			a ? archive_error_string(a) : "out of memory");
		goto out;
	}
	if (write_entries(a, img, mtime) != 0)
		goto out;
	if (archive_write_close(a) != ARCHIVE_OK) {
		fprintf(stderr, "%s: finishing %s: %s\n", MK_PROG, output, archive_error_string(a));
		goto out;
	}
	res->files = img->n;
	res->raw_bytes = archive_filter_bytes(a, comp.method == MK_NONE ? -1 : 0);
	if (fchmod(fd, mode) != 0 || fsync(fd) != 0 || fstat(fd, &st) != 0) {
		fprintf(stderr, "%s: writing %s: %s\n", MK_PROG, output, strerror(errno));
		goto out;
	}
	res->bytes = st.st_size;
	if (close(fd) != 0) {
		fd = -1;
		fprintf(stderr, "%s: writing %s: %s\n", MK_PROG, output, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, output) != 0) {
		fprintf(stderr, "%s: cannot write %s: %s\n", MK_PROG, output, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (a)
		archive_write_free(a);
	if (fd >= 0)
		close(fd);
	if (rc != 0)
		unlink(tmp);
	catch_signals(NULL);
	free(tmp);
	return rc;
}

int image_version_text(const char *data, size_t len, char *out, size_t max)
{
	if (len && data[len - 1] == '\n')
		len--;
	if (!len || len >= max)
		return -EINVAL;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)data[i]) && !strchr(".+~-_:", data[i]))
			return -EINVAL;
	memcpy(out, data, len);
	out[len] = '\0';
	return 0;
}

/* The version file's text, or a word saying why there is none to show. */
static void list_version(struct archive *a, char *version, size_t max)
{
	char data[64];
	la_ssize_t n = archive_read_data(a, data, sizeof(data));

	if (n < 0 || image_version_text(data, (size_t)n, version, max) != 0)
		snprintf(version, max, "(unreadable %s)", MK_VERSION_PATH);
}

int image_list(const char *image, FILE *out)
{
	struct archive *a = archive_read_new();
	struct archive_entry *ent;
	char version[64] = "(unknown: the image has no " MK_VERSION_PATH ")";
	int r, rc = -1;

	if (!a)
		return -1;
	archive_read_support_filter_all(a);
	archive_read_support_format_cpio(a);
	if (archive_read_open_filename(a, image, 65536) != ARCHIVE_OK) {
		fprintf(stderr, "%s: cannot read image %s: %s\n", MK_PROG, image, archive_error_string(a));
		goto out;
	}
	while ((r = archive_read_next_header(a, &ent)) == ARCHIVE_OK) {
		const char *p = archive_entry_pathname(ent);
		fprintf(out, "%s %lld:%lld %10lld %s%s", archive_entry_strmode(ent),
			(long long)archive_entry_uid(ent), (long long)archive_entry_gid(ent),
			(long long)archive_entry_size(ent), p[0] == '/' ? "" : "/", p);
		if (archive_entry_symlink(ent))
			fprintf(out, " -> %s", archive_entry_symlink(ent));
		if (archive_entry_filetype(ent) == AE_IFCHR || archive_entry_filetype(ent) == AE_IFBLK)
			fprintf(out, " (%u,%u)", (unsigned)archive_entry_rdevmajor(ent),
				(unsigned)archive_entry_rdevminor(ent));
		fputc('\n', out);
		if (!strcmp(p + (p[0] == '/'), MK_VERSION_PATH + 1))
			list_version(a, version, sizeof(version));
	}
	if (r != ARCHIVE_EOF) {
		fprintf(stderr, "%s: %s: %s\n", MK_PROG, image, archive_error_string(a));
		goto out;
	}
	fprintf(out, "built by nfsinit %s\n", version);
	rc = 0;
out:
	archive_read_free(a);
	return rc;
}
