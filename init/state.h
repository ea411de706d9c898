/* What the booted system can read about its own boot, under /run/nfsinit/:
 * log (every console line), stages (per-stage timings) and facts (KEY=value). */
#ifndef NFSINIT_STATE_H
#define NFSINIT_STATE_H

#include "config.h"
#include "../netcfg/netcfg.h"

void stage_begin(const char *name);
void stage_end(void);

struct boot_facts {
	const struct net_lease *lease;   /* NULL when the network was left alone */
	const char *server;
	const char *root_path;
	const char *nfs_source;
	const char *nfs_resolved;        /* the mount source the kernel reports */
	const char *image_version;
	const char *root_verity;         /* the root hash the image was verified against, NULL: not verified */
	const char *root_mode;           /* "image" or "ram" for an image file, NULL for a tree */       /* the root's IMGVER_PATH, NULL without one */
	const char *hostname;            /* the identity stage's; NULL before it ran */
	const char *machine_id;
	const char *overlay_size;
	const char *init;
};

/* The facts as a hook environment: NULL-terminated KEY=value pointers into
 * buf, with PATH and NFSINIT_STAGE first. Returns the count. */
int state_env(const struct boot_facts *f, const char *stage, char *buf, size_t cap, char *env[], int max);

/* Writes /run/nfsinit/{log,stages,facts}. Failures are logged, never fatal. */
void state_save(const struct boot_facts *f);

/* The boot report to the remote log, if there is one: failed_stage NULL for
 * a good boot; reason NULL means the last console line. */
void state_report(const char *failed_stage, const char *reason);

/* Just /run/nfsinit/log, for a rescue shell or break before the switch. */
void state_save_log(void);

#endif
