/* Copying one template layer into the new root (I/O). A layer is a tree that
 * mirrors the root: directories are created, symlinks copied as symlinks,
 * files copied with their mode and owner, and files whose name ends in
 * TMPL_SUFFIX rendered (tmpl.h) and written without the suffix. Everything
 * written goes through safefs.h, so nothing lands outside the new root.
 * A bad entry is logged (layer, path, line, reason) and skipped; the rest of
 * the layer goes on. */
#ifndef NFSINIT_APPLY_H
#define NFSINIT_APPLY_H

#include <stdbool.h>
#include <stddef.h>
#include "tmpl.h"

#define TMPL_SUFFIX ".tmpl"

/* Shared by all layers of one boot: a huge tree stops being read, the boot goes on. */
struct tmpl_budget {
	size_t bytes;              /* file bytes read so far */
	int entries;               /* entries seen so far */
	bool exhausted;            /* a limit was hit: nothing more is applied */
};

struct tmpl_stats {
	int files, rendered, dirs, links;
	int skipped;               /* entries refused or failed, each logged */
};

/* Applies the tree below layer_fd (a directory) onto dstroot_fd. label names
 * the layer in messages ("/etc/nfsinit/templates/host/node17"). */
void tmpl_apply_tree(int layer_fd, const char *label, int dstroot_fd, const struct tmpl_vars *vars,
		     struct tmpl_budget *budget, struct tmpl_stats *st);

#endif
