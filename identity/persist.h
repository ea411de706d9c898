/* Per-node state that survives a reboot: a writable NFS directory of the
 * node's own (nfsinit.persist=[server:]/export/nodes/{{hostname}}) mounted
 * on chosen paths of the new root (nfsinit.persist.paths=/var/log,...). */
#ifndef NFSINIT_PERSIST_H
#define NFSINIT_PERSIST_H

#include <stddef.h>
#include "tmpl.h"
#include "../common/limits.h"

struct persist_spec {
	char server[NI_HOST_MAX];     /* IPv4 address as text */
	char path[NI_PATH_MAX];       /* the node's directory, rendered */
	char parent[NI_PATH_MAX];     /* its parent: mounted to create path */
	char leaf[NI_PATH_MAX];       /* path's last component */
	int npaths;
	char paths[NI_PERSIST_PATHS][NI_PATH_MAX]; /* "var/log": relative to the new root */
};

/* Pure: renders spec with vars, splits "server:/path" (server defaults to
 * default_server, the root's), checks the path and the paths list
 * ("/var/log,/var/lib/foo": absolute, no "." or "..", not "/"). Returns 0 or
 * -EINVAL with err saying what is wrong. */
int persist_parse(const char *spec, const char *paths, const struct tmpl_vars *vars, const char *default_server,
		  struct persist_spec *out, struct err_reason *err);

/* I/O: mounts the node's directory (creating it through its parent on first
 * boot) at NFSINIT_PERSIST and bind-mounts <dir>/<p> on newroot/<p> for each
 * path. Returns 0 or -errno; logs what failed (server, path, errno). */
int persist_mount(const struct persist_spec *s, int newroot_fd, const char *newroot);

#define NFSINIT_PERSIST "/run/nfsinit/persist"

#endif
