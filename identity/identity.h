/* The identity stage: between the overlay and the pre-switch hooks, write
 * what makes this node itself into its overlay. Never fails the boot: every
 * problem is logged and the defaults apply. docs/identity.md has the admin's view. */
#ifndef NFSINIT_IDENTITY_H
#define NFSINIT_IDENTITY_H

#include "facts.h"
#include "../netcfg/netcfg.h"

/* Where the image builder (nfsinit-mkimage --templates DIR) puts a tree. */
#define IDENTITY_IMAGE_TEMPLATES "/etc/nfsinit/templates"

/* lease NULL: ip=off. lower is the read-only shared root (templates are
 * read from there, at opts->templates), newroot the overlay written to. */
/* *hostname and *machine_id are set to the node's (static storage; machine_id
 * NULL without a MAC) for /run/nfsinit/facts and the pre-switch hooks. */
void identity_stage(const struct identity_opts *opts, const struct net_lease *lease, const char *nfs_server,
		    const char *root_path, const char *lower, const char *newroot, const char **hostname,
		    const char **machine_id);

/* The pieces, for tests that run them on a directory tree. */
struct ident;
void identity_defaults(int rootfd, const struct ident *id, const struct net_lease *lease);
/* /etc/resolv.conf when the root has none (neither file nor symlink). */
void identity_default_resolv(int rootfd, const struct ident *id, const struct net_lease *lease);
/* Applies every layer of both trees (image_fd, root_fd; -1 = none), layer by
 * layer, image before root within a layer. Returns how many problems were
 * logged (entries skipped, layers left out, the size budget hit); 0 = none. */
int identity_templates(int rootfd, const struct ident *id, int image_fd, const char *image_label, int root_fd,
		       const char *root_label);

#endif
