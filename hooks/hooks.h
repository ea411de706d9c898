/* Site hooks: executables run in name order at named boot stages, from the
 * image (/hooks/<stage>/) and, once the root is assembled, from the shared
 * root (/etc/nfsinit/hooks/<stage>/ there, run chrooted into it), so a site
 * changes behaviour without rebuilding the image. A hook's name carries its
 * outcome and time limit (hooks/policy.h); its output goes to the console,
 * each line prefixed with the stage and hook name. */
#ifndef NFSINIT_HOOKS_H
#define NFSINIT_HOOKS_H

#include <stdbool.h>
#include <stddef.h>

#define HOOKS_IMAGE_DIR   "/hooks"
#define HOOKS_ROOT_DIR    "/etc/nfsinit/hooks"
#define HOOKS_MAX         64
#define HOOK_NAME_MAX     256
#define HOOK_LINE_MAX     400  /* one console line of hook output; longer lines are split */
#define HOOKS_ENV_MAX     64   /* entries of a hook's environment */

/* The stages hooks run at, in boot order, spelled only here: the folder
 * names under HOOKS_IMAGE_DIR and HOOKS_ROOT_DIR, the values of
 * nfsinit.break=, and what the builder's --hooks check accepts. */
#define HOOKS_EARLY       "early"       /* after the command line, before modules */
#define HOOKS_PRE_NET     "pre-net"     /* modules loaded, before the network */
#define HOOKS_PRE_MOUNT   "pre-mount"   /* network up, before the root is mounted */
#define HOOKS_PRE_SWITCH  "pre-switch"  /* root assembled, before switch_root */
#define HOOKS_NSTAGES     4
#define HOOKS_STAGE_LIST  HOOKS_EARLY ", " HOOKS_PRE_NET ", " HOOKS_PRE_MOUNT ", " HOOKS_PRE_SWITCH

/* True if name is one of the stages above. */
bool hooks_stage_known(const char *name);

/* Runs the executables in dir/<stage>/ in name order; root, if not NULL, is
 * chrooted into first and dir is taken inside it. env is a NULL-terminated
 * KEY=value list (at most HOOKS_ENV_MAX - 1 are passed); with root, its
 * NEWROOT entry becomes NEWROOT=/. A hook that fails or outlives its timeout (killed, with its
 * process group) is logged; if its name ends in .required the remaining hooks
 * are not run and -ECANCELED is returned with its name in failed. Returns 0
 * otherwise (optional hooks that failed are only logged). */
int hooks_run(const char *stage, const char *root, const char *dir, char *const env[],
	      unsigned default_timeout_ms, char *failed, size_t failedcap);

#endif
