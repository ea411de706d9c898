/* A dynamically linked program brings its ELF interpreter and the shared
 * libraries it needs, found as the dynamic loader would find them: DT_NEEDED
 * names searched in the object's DT_RUNPATH (or DT_RPATH), then the
 * directories of /etc/ld.so.conf, then the loader's system directories. No
 * ldd: nothing of the program runs. elf_parse() is pure. */
#include "mkimage.h"

#include <elf.h>
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Debian's loader searches these after ld.so.cache (ld.so --help). */
static const char *const system_dirs[] = {
	"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib",
};

static bool in_file(size_t len, uint64_t off, uint64_t size)
{
	return off <= len && size <= len - off;
}

/* The file's bytes may sit at any address and a crafted file puts its
 * headers at any offset: every struct is copied out, never cast in place.
 * Callers have checked that [off, off + size) is inside the file. */
static Elf64_Phdr phdr_at(const unsigned char *buf, const Elf64_Ehdr *eh, unsigned i)
{
	Elf64_Phdr ph;
	memcpy(&ph, buf + eh->e_phoff + (size_t)i * sizeof(ph), sizeof(ph));
	return ph;
}

static Elf64_Dyn dyn_at(const unsigned char *buf, uint64_t off)
{
	Elf64_Dyn d;
	memcpy(&d, buf + off, sizeof(d));
	return d;
}

/* A virtual address of a PT_LOAD segment to its file offset. */
static int vaddr_off(const unsigned char *buf, const Elf64_Ehdr *eh, uint64_t vaddr, uint64_t *off)
{
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph = phdr_at(buf, eh, i);
		if (ph.p_type == PT_LOAD && vaddr >= ph.p_vaddr && vaddr - ph.p_vaddr < ph.p_filesz) {
			*off = ph.p_offset + (vaddr - ph.p_vaddr);
			return 0;
		}
	}
	return -1;
}

static int push(char ***list, size_t *n, const char *s, size_t len)
{
	char **p = realloc(*list, (*n + 1) * sizeof(*p));

	if (!p)
		return -ENOMEM;
	*list = p;
	if (!(p[*n] = strndup(s, len)))
		return -ENOMEM;
	(*n)++;
	return 0;
}

void elf_info_free(struct elf_info *e)
{
	for (size_t i = 0; i < e->nneeded; i++)
		free(e->needed[i]);
	for (size_t i = 0; i < e->nrunpath; i++)
		free(e->runpath[i]);
	free(e->needed);
	free(e->runpath);
	memset(e, 0, sizeof(*e));
}

static int split_runpath(struct elf_info *e, const char *s, size_t max)
{
	size_t len = strnlen(s, max);

	while (len) {
		size_t n = strcspn(s, ":");
		if (n > len)
			n = len;
		if (n && push(&e->runpath, &e->nrunpath, s, n))
			return -ENOMEM;
		s += n;
		len -= n;
		if (len) {
			s++;
			len--;
		}
	}
	return 0;
}

/* PT_INTERP into e->interp and the PT_DYNAMIC header into *dyn (p_type 0
 * when there is none). */
static int read_phdrs(const unsigned char *buf, size_t len, const Elf64_Ehdr *eh, struct elf_info *e,
		      Elf64_Phdr *dyn, const char **what)
{
	memset(dyn, 0, sizeof(*dyn));
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph = phdr_at(buf, eh, i);
		if (ph.p_type == PT_INTERP) {
			if (!in_file(len, ph.p_offset, ph.p_filesz) || ph.p_filesz < 2 ||
			    ph.p_filesz > sizeof(e->interp) || buf[ph.p_offset + ph.p_filesz - 1] != '\0')
				return *what = "bad PT_INTERP", -EINVAL;
			memcpy(e->interp, buf + ph.p_offset, ph.p_filesz);
		} else if (ph.p_type == PT_DYNAMIC) {
			*dyn = ph;
		}
	}
	return 0;
}

/* The file offset and size of the dynamic string table. */
static int find_strtab(const unsigned char *buf, size_t len, const Elf64_Ehdr *eh, const Elf64_Phdr *dyn,
		       uint64_t *stroff, uint64_t *strsz)
{
	uint64_t strtab = 0;
	*strsz = 0;
	for (uint64_t off = 0; off + sizeof(Elf64_Dyn) <= dyn->p_filesz; off += sizeof(Elf64_Dyn)) {
		Elf64_Dyn d = dyn_at(buf, dyn->p_offset + off);
		if (d.d_tag == DT_NULL)
			break;
		if (d.d_tag == DT_STRTAB)
			strtab = d.d_un.d_ptr;
		else if (d.d_tag == DT_STRSZ)
			*strsz = d.d_un.d_val;
	}
	if (!strtab || vaddr_off(buf, eh, strtab, stroff) != 0 || !in_file(len, *stroff, *strsz) || !*strsz)
		return -EINVAL;
	return 0;
}

/* DT_NEEDED names in order; DT_RUNPATH, else DT_RPATH (ld.so(8)). */
static int read_dynamic(const unsigned char *buf, const Elf64_Phdr *dyn, uint64_t stroff, uint64_t strsz,
			struct elf_info *e, const char **what)
{
	bool have_runpath = false;
	for (uint64_t off = 0; off + sizeof(Elf64_Dyn) <= dyn->p_filesz; off += sizeof(Elf64_Dyn)) {
		Elf64_Dyn d = dyn_at(buf, dyn->p_offset + off);
		if (d.d_tag == DT_NULL)
			break;
		if (d.d_tag != DT_NEEDED && d.d_tag != DT_RUNPATH && d.d_tag != DT_RPATH)
			continue;
		if (d.d_un.d_val >= strsz)
			return *what = "dynamic string outside DT_STRTAB", -EINVAL;
		const char *s = (const char *)buf + stroff + d.d_un.d_val;
		size_t max = strsz - d.d_un.d_val;
		if (d.d_tag == DT_NEEDED) {
			size_t n = strnlen(s, max);
			if (n == max || n == 0)
				return *what = "DT_NEEDED name not terminated", -EINVAL;
			if (push(&e->needed, &e->nneeded, s, n))
				return *what = "out of memory", -ENOMEM;
		} else if (d.d_tag == DT_RUNPATH || !have_runpath) {
			for (size_t i = 0; i < e->nrunpath; i++)
				free(e->runpath[i]);
			e->nrunpath = 0;
			have_runpath = d.d_tag == DT_RUNPATH;
			if (split_runpath(e, s, max))
				return *what = "out of memory", -ENOMEM;
		}
	}
	return 0;
}

int elf_parse(const unsigned char *buf, size_t len, struct elf_info *e, const char **what)
{
	Elf64_Ehdr eh;
	Elf64_Phdr dyn;
	uint64_t stroff, strsz;
	int rc;

	memset(e, 0, sizeof(*e));
	if (len < EI_NIDENT || memcmp(buf, ELFMAG, SELFMAG) != 0)
		return 0;  /* not ELF: a script or data, taken as it is */
	e->elf = true;
	if (len < sizeof(eh) || buf[EI_CLASS] != ELFCLASS64 || buf[EI_DATA] != ELFDATA2LSB)
		return *what = "only 64-bit little-endian ELF is understood", -EINVAL;
	memcpy(&eh, buf, sizeof(eh));
	e->machine = eh.e_machine;
	if (eh.e_phentsize != sizeof(Elf64_Phdr) ||
	    !in_file(len, eh.e_phoff, (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr)))
		return *what = "program headers outside the file", -EINVAL;
	if ((rc = read_phdrs(buf, len, &eh, e, &dyn, what)))
		return rc;
	if (dyn.p_type != PT_DYNAMIC)
		return 0;  /* static */
	e->dynamic = true;
	if (!in_file(len, dyn.p_offset, dyn.p_filesz))
		return *what = "PT_DYNAMIC outside the file", -EINVAL;
	if (find_strtab(buf, len, &eh, &dyn, &stroff, &strsz))
		return *what = "no usable DT_STRTAB", -EINVAL;
	return read_dynamic(buf, &dyn, stroff, strsz, e, what);
}

/* ---- finding and adding the files ---- */

struct libctx {
	char **dirs;              /* from /etc/ld.so.conf, in order */
	size_t ndirs;
	uint16_t machine;         /* the program's: a library must match */
	const char *prog;         /* for messages */
	char interp_base[256];    /* the loader is also a DT_NEEDED of libc */
	bool verbose;
	size_t added;
};

int ldconf_parse_line(char *line, char **arg)
{
	char *s = line + strspn(line, " \t"), *end;
	s[strcspn(s, "#\r\n")] = '\0';
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
	if (strncmp(s, "include", 7) == 0 && (s[7] == ' ' || s[7] == '\t')) {
		s += 8;
		*arg = s + strspn(s, " \t");
		return **arg ? LDCONF_INCLUDE : LDCONF_NONE;
	}
	*arg = s;
	return s[0] == '/' ? LDCONF_DIR : LDCONF_NONE;
}

static void ldconf_read(struct libctx *c, const char *path, int depth)
{
	char line[4096], *arg;
	FILE *f;

	if (depth > 4 || !(f = fopen(path, "r")))
		return;
	while (fgets(line, sizeof(line), f)) {
		int kind = ldconf_parse_line(line, &arg);
		if (kind == LDCONF_INCLUDE) {
			glob_t g;
			if (glob(arg, 0, NULL, &g) == 0) {
				for (size_t i = 0; i < g.gl_pathc; i++)
					ldconf_read(c, g.gl_pathv[i], depth + 1);
				globfree(&g);
			}
		} else if (kind == LDCONF_DIR) {
			push(&c->dirs, &c->ndirs, arg, strlen(arg));
		}
	}
	fclose(f);
}

/* Is path a 64-bit ELF shared object for our machine? */
static bool lib_fits(const char *path, uint16_t machine)
{
	Elf64_Ehdr eh;
	struct stat st;
	FILE *f;
	bool ok = false;

	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || !(f = fopen(path, "rb")))
		return false;
	if (fread(&eh, sizeof(eh), 1, f) == 1 && memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0 &&
	    eh.e_ident[EI_CLASS] == ELFCLASS64 && eh.e_machine == machine)
		ok = true;
	fclose(f);
	return ok;
}

static char *try_dir(const char *dir, size_t dlen, const char *name, uint16_t machine)
{
	char path[PATH_MAX];

	if (snprintf(path, sizeof(path), "%.*s/%s", (int)dlen, dir, name) >= (int)sizeof(path))
		return NULL;
	return lib_fits(path, machine) ? strdup(path) : NULL;
}

static char *find_lib(const struct libctx *c, const struct elf_info *e, const char *objpath,
		      const char *name)
{
	char origin[PATH_MAX], dir[PATH_MAX], *found;
	const char *slash = strrchr(objpath, '/');

	if (strchr(name, '/'))
		return lib_fits(name, c->machine) ? strdup(name) : NULL;
	snprintf(origin, sizeof(origin), "%.*s", slash ? (int)(slash - objpath) : 1, slash ? objpath : ".");
	for (size_t i = 0; i < e->nrunpath; i++) {
		const char *r = e->runpath[i];
		if (strncmp(r, "$ORIGIN", 7) == 0)
			snprintf(dir, sizeof(dir), "%s%s", origin, r + 7);
		else if (strncmp(r, "${ORIGIN}", 9) == 0)
			snprintf(dir, sizeof(dir), "%s%s", origin, r + 9);
		else
			snprintf(dir, sizeof(dir), "%s", r);
		if ((found = try_dir(dir, strlen(dir), name, c->machine)))
			return found;
	}
	for (size_t i = 0; i < c->ndirs; i++)
		if ((found = try_dir(c->dirs[i], strlen(c->dirs[i]), name, c->machine)))
			return found;
	for (size_t i = 0; i < sizeof(system_dirs) / sizeof(system_dirs[0]); i++)
		if ((found = try_dir(system_dirs[i], strlen(system_dirs[i]), name, c->machine)))
			return found;
	return NULL;
}

static int add_object(struct mk_image *img, struct libctx *c, const char *src, const char *dest,
		      unsigned mode, int depth)
{
	struct elf_info e;
	unsigned char *data;
	size_t size;
	const char *what = "";
	int rc;

	if (image_has(img, dest))
		return 0;
	if (depth > 32)
		return fprintf(stderr, "%s: --add %s: libraries nest too deep at %s\n", MK_PROG, c->prog, src), -1;
	if (image_file_read(src, &data, &size) != 0)
		return -1;
	if ((rc = elf_parse(data, size, &e, &what)) != 0) {
		fprintf(stderr, "%s: --add %s: %s: %s\n", MK_PROG, c->prog, src, what);
		goto fail;
	}
	if (depth == 0) {
		const char *b = strrchr(e.interp, '/');
		c->machine = e.machine;
		snprintf(c->interp_base, sizeof(c->interp_base), "%s", b ? b + 1 : e.interp);
	} else if (e.elf && e.machine != c->machine) {
		fprintf(stderr, "%s: --add %s: %s is for another machine\n", MK_PROG, c->prog, src);
		goto fail;
	}
	if (image_add_data(img, dest, mode, data, size) != 0) {
		data = NULL;
		goto fail;
	}
	data = NULL;
	if (depth > 0) {
		c->added++;
		if (c->verbose)
			fprintf(stderr, "%s: %s needs %s\n", MK_PROG, c->prog, dest);
	}
	if (e.interp[0] && add_object(img, c, e.interp, e.interp, 0755, depth + 1) != 0)
		goto fail;
	for (size_t i = 0; i < e.nneeded; i++) {
		char *lib;
		if (c->interp_base[0] && strcmp(e.needed[i], c->interp_base) == 0)
			continue;
		if (!(lib = find_lib(c, &e, src, e.needed[i]))) {
			fprintf(stderr, "%s: --add %s: %s needs %s, which is in none of its RUNPATH, the "
				"/etc/ld.so.conf directories or the system library directories\n",
				MK_PROG, c->prog, src, e.needed[i]);
			goto fail;
		}
		rc = add_object(img, c, lib, lib, 0755, depth + 1);
		free(lib);
		if (rc)
			goto fail;
	}
	elf_info_free(&e);
	return 0;
fail:
	free(data);
	elf_info_free(&e);
	return -1;
}

int image_add_program(struct mk_image *img, const char *src, const char *dest, unsigned mode,
		      bool verbose, size_t *nlibs)
{
	struct libctx c = { .prog = src, .verbose = verbose };
	int rc;

	ldconf_read(&c, "/etc/ld.so.conf", 0);
	rc = add_object(img, &c, src, dest, mode, 0);
	for (size_t i = 0; i < c.ndirs; i++)
		free(c.dirs[i]);
	free(c.dirs);
	if (nlibs)
		*nlibs += c.added;
	return rc;
}
