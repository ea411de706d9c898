/* The module index the image carries: which modules /init loads, in which
 * order, from where. The host builder (nfsinit-mkimage) writes it with
 * libkmod's answers; /init reads it and never needs modules.dep.
 *
 * Format, version 2 (text, one record per line, fields split by spaces/tabs):
 *
 *   nfsinit-modindex 2                     first line, always
 *   kver 6.1.0-56-cloud-amd64              the kernel the modules belong to
 *   module <name> <path> [<dep> ...]       one per module, in load order
 *   load <name>                            load at boot whatever the hardware
 *   alias <pattern> <name>                 from the kernel's modules.alias
 *   # comment, and blank lines
 *
 * At boot /init loads the "load" modules, and every module one of whose alias
 * patterns (fnmatch, as modprobe) matches the modalias of a present device,
 * with their dependencies. Later requests from the kernel (fs-nfs4, nfsv4,
 * net-pf-17) find their module by name or alias through /init run as the
 * kernel's modprobe helper. Version 1 had no "load" lines and meant "load
 * every module"; it is still read that way.
 *
 * <name> is the kernel's module name ('-' is read as '_'), <path> the absolute
 * path of the plain ELF .ko inside the image, <dep> the module's direct
 * dependencies (the builder leaves out one that another dep already needs),
 * each a module listed on an earlier line: the order of the
 * "module" lines is a valid load order, and the parser checks it. An alias
 * line names a module listed on an earlier line. A change that an older /init
 * could misread bumps the version number; the parser refuses newer versions.
 *
 * mod_index_parse() is pure (bytes in, struct out, no I/O, no logging), as is
 * the formatter: both are shared by /init and the builder. */
#ifndef NFSINIT_MODINDEX_H
#define NFSINIT_MODINDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../common/err.h"

/* Where the image keeps the index; /init reads the same path. */
#define MOD_INDEX_PATH       "/etc/nfsinit/modules.index"
#define MOD_INDEX_MAGIC      "nfsinit-modindex"
#define MOD_INDEX_VERSION    2          /* the newest this code reads and writes */

/* Debian's standard amd64 kernel: every NIC driver, NFS and overlay come to
 * ~300 modules with ~3,500 aliases and a ~300 kB index. */
#define MOD_INDEX_FILE_MAX   (1024 * 1024) /* the whole index file */
#define MOD_INDEX_MODS_MAX   1024
#define MOD_INDEX_DEPS_MAX   32           /* direct dependencies of one module */
#define MOD_INDEX_NAME_MAX   56           /* kernel MODULE_NAME_LEN, with the NUL */
#define MOD_INDEX_MPATH_MAX  256          /* path of a .ko inside the image, with the NUL */
#define MOD_INDEX_KVER_MAX   65           /* struct utsname.release */
#define MOD_INDEX_ALIASES_MAX 8192
#define MOD_INDEX_ALIAS_MAX  128          /* one modalias pattern, with the NUL */
/* One line, without the newline: the longest valid "module" record fits. */
#define MOD_INDEX_LINE_MAX   (8 + MOD_INDEX_NAME_MAX + MOD_INDEX_MPATH_MAX + \
			     MOD_INDEX_DEPS_MAX * MOD_INDEX_NAME_MAX)

struct mod_index_module {
	char name[MOD_INDEX_NAME_MAX];
	char path[MOD_INDEX_MPATH_MAX];
	uint16_t deps[MOD_INDEX_DEPS_MAX];  /* indexes into modindex.mods, all smaller */
	unsigned ndeps;
	bool load;                         /* a "load" line: wanted at every boot */
};

struct mod_index_alias {
	char pattern[MOD_INDEX_ALIAS_MAX];
	uint16_t mod;                      /* index into modindex.mods */
};

struct mod_index {
	unsigned version;                  /* from the header line */
	char kver[MOD_INDEX_KVER_MAX];      /* "" when the file has no kver line */
	unsigned nmods;
	struct mod_index_module mods[MOD_INDEX_MODS_MAX];
	unsigned naliases;
	struct mod_index_alias aliases[MOD_INDEX_ALIASES_MAX];
};


void mod_index_init(struct mod_index *idx);

/* Parses len bytes (need not be NUL-terminated). Returns 0, or -EINVAL for a
 * malformed line or a value over a limit (err: which line, 1-based, and why). */
int mod_index_parse(const char *buf, size_t len, struct mod_index *idx, struct err_reason *err);

/* Builder side: append one module whose dependencies are already in idx.
 * Same checks as the parser. Returns 0, -EINVAL (bad name/path, unknown or
 * duplicate dep; *what says), -E2BIG (a limit), -EEXIST (name listed twice). */
int mod_index_add_module(struct mod_index *idx, const char *name, const char *path,
			const char *const *deps, size_t ndeps, const char **what);
int mod_index_add_alias(struct mod_index *idx, const char *pattern, const char *module,
		       const char **what);
int mod_index_set_kver(struct mod_index *idx, const char *kver);
/* Marks a listed module to be loaded at every boot (-EINVAL if not listed). */
int mod_index_set_load(struct mod_index *idx, const char *name, const char **what);

/* Index of the module a modprobe request names: a module name, else the first
 * module with an alias pattern matching it. -1 when none. */
int mod_index_lookup(const struct mod_index *idx, const char *request);

/* Sets want[i] for every module with an alias pattern matching modalias (a
 * device's /sys/.../modalias). Returns how many were newly set. */
unsigned mod_index_match(const struct mod_index *idx, const char *modalias, unsigned char *want);

/* Extends want[] (one byte per module, non-zero: wanted) to every dependency
 * of a wanted module, so that loading the wanted ones in index order works. */
void mod_index_want_deps(const struct mod_index *idx, unsigned char *want);

/* The first wanted module that lists module m as a direct dependency (the
 * reason m is loaded, when nothing else asked for it), or -1. */
int mod_index_wanted_by(const struct mod_index *idx, const unsigned char *want, unsigned m);

/* Index of a module by name ('-' and '_' alike), or -1. */
int mod_index_find(const struct mod_index *idx, const char *name);

/* Writes idx in the format above into buf (NUL-terminated). Returns the
 * length, or -ENOSPC if cap is too small. */
long mod_index_format(const struct mod_index *idx, char *buf, size_t cap);


#endif
