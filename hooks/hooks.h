/* Site hooks: executables run in name order at named boot stages, from the
 * image (/hooks/<stage>/) and, once the root is assembled, from the shared
 * root (/etc/nfsinit/hooks/<stage>/ there, run chrooted into it), so a site
 * changes behaviour without rebuilding the image. */
#ifndef NFSINIT_HOOKS_H
#define NFSINIT_HOOKS_H

#define HOOKS_IMAGE_DIR   "/hooks"
#define HOOKS_ROOT_DIR    "/etc/nfsinit/hooks"
#define HOOK_TIMEOUT_MS   30000
#define HOOKS_MAX         64

/* Runs the executables in dir/<stage>/ in name order; root, if not NULL, is chrooted into first
 * and dir is taken inside it. env is a NULL-terminated KEY=value list. A hook
 * that fails or outlives HOOK_TIMEOUT_MS is logged (and killed) and the boot
 * goes on. Returns the number of hooks that failed. */
int hooks_run(const char *stage, const char *root, const char *dir, char *const env[]);

#endif
