/* nfsinit-mkimage internals: module set (libkmod), image contents and the
 * cpio writer (libarchive). Host code: errors are printed to stderr by the
 * function that knows the detail, and returned as -1 (or -errno). */
#ifndef NFSINIT_MKIMAGE_H
#define NFSINIT_MKIMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define MK_PROG "nfsinit-mkimage"
/* The builder's version, kept in every image it writes (-l shows it). */
#define MK_VERSION_PATH "/etc/nfsinit/version"

/* ---- modset.c: which modules, in which order ---- */

struct mk_module {
	char *name;          /* kernel name, '_' form */
	char *src;           /* host path, possibly .ko.xz/.ko.zst/.ko.gz */
	char *dest;          /* absolute path in the image, always plain .ko */
	char **deps;         /* every dependency from modules.dep (transitive) */
	size_t ndeps;
	bool load;           /* asked for to load at every boot */
};

struct mk_alias {
	char *pattern;       /* as in modules.alias: fnmatch pattern */
	char *module;
};

struct mk_aliases {
	struct mk_alias *a;
	size_t n, cap;
};

struct mk_modset {
	struct mk_module *mods;  /* load order: dependencies first */
	size_t n, cap;
	struct mk_aliases aliases;  /* those of modules in mods, modules.alias order */
};

struct mk_request {
	const char *name;    /* module name or alias */
	bool required;       /* asked for with -m: missing is an error */
	bool load;           /* load at every boot, not only when a device matches */
	const char *why;     /* for -v; NULL: said by required and load */
};

/* Ask for every NIC driver the kernel ships (nics.c) besides reqs. */
#define MK_ALL_NICS 1u

/* Resolves reqs against basedir/lib/modules/kver (running depmod -b first if
 * modules.dep is missing) and fills set in load order, with every dependency
 * and pre-softdep. Built-in modules are skipped; so are missing modules that
 * are not required (said with verbose). Returns 0 or -1 (message printed). */
int modset_resolve(const char *basedir, const char *kver, const struct mk_request *reqs,
		   size_t nreqs, unsigned flags, bool verbose, struct mk_modset *set);
void modset_free(struct mk_modset *set);

/* The direct dependencies of set->mods[i] (a dependency no other dependency
 * already pulls in); out must have room for mods[i].ndeps entries. */
size_t modset_direct_deps(const struct mk_modset *set, size_t i, const char **out);

/* ---- nics.c: NIC drivers and aliases from modules.dep / modules.alias ---- */

/* Pure. True for a module path (relative to the modules dir, as in
 * modules.dep) under drivers/net that is not a radio, serial or field-bus
 * driver. */
bool nic_module_path(const char *rel);
/* Pure. True for an alias pattern on a bus boot NICs sit on (pci, virtio,
 * vmbus, xen, usb). */
bool nic_bus_alias(const char *pattern);
/* Pure. Splits a modules.alias line in place: 1 and the two words for an
 * "alias" line, 0 for anything else. */
int alias_parse_line(char *line, char **pattern, char **module);
/* Pure. From a modules.dep line: the module's name ('_' form) and its path.
 * Returns 0 or -EINVAL. */
int dep_line_module(const char *line, char *name, size_t cap, char *rel, size_t relcap);

int aliases_read(const char *moddir, struct mk_aliases *out);
void aliases_free(struct mk_aliases *al);
/* Names of every module under drivers/net (nic_module_path) with an alias on
 * a NIC bus; *names and each name are malloc'd. Returns 0 or -1. */
int nic_modules(const char *moddir, const struct mk_aliases *al, char ***names, size_t *n);

/* ---- image.c: contents and the archive ---- */

enum mk_compress { MK_GZIP, MK_ZSTD, MK_XZ, MK_NONE };
struct mk_compression {
	enum mk_compress method;
	int level;
};

struct mk_entry {
	char *path;          /* without the leading '/' */
	unsigned mode;       /* type and permission bits */
	unsigned rdev_major, rdev_minor;
	unsigned char *data;
	size_t size;
	char *link;          /* symlink target */
};

struct mk_image {
	struct mk_entry *e;
	size_t n, cap;
	uint64_t data_bytes;
};

struct mk_result {
	size_t files;        /* entries of every kind */
	long long bytes;     /* the image file */
	long long raw_bytes; /* the cpio stream before compression */
};

void image_init(struct mk_image *img);
void image_free(struct mk_image *img);
/* Paths are absolute; parent folders are added (0755) as needed. A path
 * added twice is an error, except for folders. */
int image_add_dir(struct mk_image *img, const char *path);
int image_add_chardev(struct mk_image *img, const char *path, unsigned mode,
		      unsigned major, unsigned minor);
/* Takes ownership of data (malloc'd), also on failure. */
int image_add_data(struct mk_image *img, const char *path, unsigned mode,
		   unsigned char *data, size_t size);
int image_add_symlink(struct mk_image *img, const char *path, const char *target);
/* True when an absolute path is already in the image. */
bool image_has(struct mk_image *img, const char *path);
/* A host file as it is. */
int image_add_file(struct mk_image *img, const char *path, unsigned mode, const char *src);
/* Reads a whole regular file (malloc'd); prints what went wrong. */
int image_file_read(const char *src, unsigned char **data, size_t *size);
/* A kernel module, decompressed when src ends in .xz, .zst or .gz. */
int image_add_module(struct mk_image *img, const char *path, const char *src);

/* Writes the image to a temporary file next to output and renames it over
 * output only when everything succeeded. mtime applies to every entry. */
int image_write(struct mk_image *img, const char *output, struct mk_compression comp,
		long long mtime, struct mk_result *res);
/* Prints an image's entries (mode, owner, size, path) to out, then the
 * version of nfsinit that built it (from MK_VERSION_PATH). */
int image_list(const char *image, FILE *out);
/* A version file's text as one line: "0.1.0\n" -> "0.1.0"; empty, longer than
 * max - 1 or anything but letters, digits and ". + ~ - _ :" is -EINVAL. */
int image_version_text(const char *data, size_t len, char *out, size_t max);

/* "METHOD" or "METHOD:LEVEL" (gzip 1-9, zstd 1-19, xz 1-9); 0 or -1. */
int compress_parse(const char *s, struct mk_compression *c);
const char *compress_name(enum mk_compress c);
/* The kernel option that must be =y to unpack c ("CONFIG_RD_GZIP"), or NULL. */
const char *compress_kconfig(enum mk_compress c);

/* ---- elfdeps.c: programs with their libraries ---- */

struct elf_info {
	bool elf;                /* starts with the ELF magic */
	bool dynamic;            /* has PT_DYNAMIC */
	uint16_t machine;
	char interp[256];        /* PT_INTERP, "" when none */
	char **needed;           /* DT_NEEDED, in order */
	size_t nneeded;
	char **runpath;          /* DT_RUNPATH, else DT_RPATH, split at ':' */
	size_t nrunpath;
};

/* Pure. Fills e from a file's bytes: 0 (also for a file that is not ELF:
 * e->elf false) or -EINVAL/-ENOMEM with *what. Free with elf_info_free,
 * also after an error. Only 64-bit little-endian ELF. */
int elf_parse(const unsigned char *buf, size_t len, struct elf_info *e, const char **what);
void elf_info_free(struct elf_info *e);
/* Pure: one line of /etc/ld.so.conf (or a file it includes), changed in
 * place. Returns LDCONF_DIR with *arg the folder, LDCONF_INCLUDE with *arg
 * the glob pattern, or LDCONF_NONE for a blank, comment or other line. */
enum { LDCONF_NONE, LDCONF_DIR, LDCONF_INCLUDE };
int ldconf_parse_line(char *line, char **arg);
/* Adds host file src as dest; an ELF program or library also brings its
 * interpreter and every library it needs, at the host paths they were found
 * at. *nlibs grows by the number of those. 0 or -1 (message printed). */
int image_add_program(struct mk_image *img, const char *src, const char *dest, unsigned mode,
		      bool verbose, size_t *nlibs);

/* ---- extras.c: trees, busybox, the host's modules ---- */

/* Copies folder src (files, folders, symlinks; modes kept) to dest. */
int image_add_tree(struct mk_image *img, const char *src, const char *dest);
/* src/<stage>/... as /hooks/<stage>/...; warns about unknown stage names. */
int image_add_hooks(struct mk_image *img, const char *src);
/* A static busybox as /bin/busybox with a symlink for each applet it lists
 * (--list-full) where the image has nothing yet. */
int image_add_busybox(struct mk_image *img, const char *src, size_t *napplets);
/* What the building host uses: loaded module names (proc_modules, else
 * sysfs/module/<m>/initstate) and the modalias of each device under
 * sysfs/bus. Lookups for libkmod; malloc'd. 0 or -1 (out of memory). */
int host_module_names(const char *proc_modules, const char *sysfs, char ***names, size_t *n);

/* ---- conf.c: the config file ---- */

/* Pure. Splits one line in place: 1 with key and value, 0 for a blank or
 * comment line, -EINVAL with *what. */
int conf_parse_line(char *line, char **key, char **value, const char **what);
/* Reads path and calls apply for each setting; a missing file is fine
 * unless must_exist. 0 or -1 (message printed with the line number). */
int conf_read(const char *path, bool must_exist,
	      int (*apply)(const char *key, const char *value, void *ctx), void *ctx);
/* Drop-ins: "NAME.conf" files (not starting with '.') in the folder path.d,
 * read after path in byte order of their names; a missing folder is fine. */
bool conf_dropin_name(const char *name);
int conf_read_dropins(const char *path, int (*apply)(const char *key, const char *value, void *ctx),
		      void *ctx);

#endif
