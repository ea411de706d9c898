/* Where the root lives: pure parsers for every spelling administrators use.
 *   kernel:  root=/dev/nfs nfsroot=[<server-ip>:]<root-dir>[,<nfs-options>]
 *   dracut:  root=nfs:[<server>:]<root-dir>[:<nfs-options>], root=nfs4:...
 *   DHCP:    option 17 in either of the two forms above. */
#ifndef NFSINIT_NFSROOT_H
#define NFSINIT_NFSROOT_H

#include <stdbool.h>
#include <stddef.h>
#include "../common/err.h"
#include "../common/limits.h"

struct nfs_root {
	bool given;                  /* a root spec was found */
	char server[NI_HOST_MAX];    /* "" = take it from ip= or DHCP */
	char path[NI_PATH_MAX];      /* may hold %s: the kernel puts the client IP there */
	char options[NI_OPTS_MAX];   /* the user's options, comma separated, "" if none */
	int vers_major;              /* 0 = not fixed: try 4.2, 4.1, 4.0, 3; else 3 or 4 */
	char vers[8];                /* "3", "4", "4.1", "4.2" or "" */
};

int nfsroot_parse_kernel(const char *value, struct nfs_root *r, struct err_reason *err);
int nfsroot_parse_dracut(const char *value, struct nfs_root *r, struct err_reason *err);
/* DHCP option 17: dracut form when it starts with "nfs:"/"nfs4:", else kernel form. */
int nfsroot_parse_dhcp(const char *value, struct nfs_root *r, struct err_reason *err);

/* The NFS versions a mount tries, in order, into vers[]; returns how many:
 * 4.2, 4.1, 4.0, 3 without vers=; the three 4.x for vers=4; else vers= alone. */
#define NFSROOT_VERSIONS_MAX 4
int nfsroot_versions(const struct nfs_root *r, const char *vers[NFSROOT_VERSIONS_MAX]);

/* Replaces the first %s in the path with the client address (nfsroot.rst). */
int nfsroot_expand_path(const char *path, const char *client_ip, char *out, size_t cap);

/* Client caching for an image version nobody changes while nodes run it
 * (README, "Updating the image online"); see docs/scale.md for the calls per
 * boot each choice costs. Options in root=/nfsroot=/option 17 replace these. */
#define NFSROOT_IMAGE_OPTIONS "nocto,actimeo=600"

/* out = the defaults the user's options do not replace (an option replaces
 * its whole group: cto/nocto; ac/noac/actimeo/acregmin/acregmax/acdirmin/
 * acdirmax; lookupcache), then the user's options. -ENAMETOOLONG if it does
 * not fit. */
int nfsroot_merge_defaults(const char *defaults, const char *user, char *out, size_t cap);

/* Mount options for one attempt: vers=<vers>, addr=<server>, NFSv3 nolock
 * unless the user said lock (no statd runs in the initramfs, as with the
 * kernel's own nfsroot), then defaults (NFSROOT_IMAGE_OPTIONS for the image,
 * "" for a writable export) merged with the user's options less vers/nfsvers. */
int nfsroot_mount_options(const struct nfs_root *r, const char *vers, const char *server_ip,
			  const char *defaults, char *out, size_t cap);

#endif
