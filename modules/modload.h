/* Boot stage "modules": load, with finit_module(2), the index's "load"
 * modules and the drivers of the devices present (their modalias matched
 * against the index's aliases), in index order. The host builder has already
 * resolved dependencies and order (libkmod); /init only follows the list.
 * /init is also the kernel's module helper (modprobe.c) for the rest. */
#ifndef NFSINIT_MODLOAD_H
#define NFSINIT_MODLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include "modindex.h"

/* /init, linked here by the builder, answers the kernel's request_module(). */
#define MOD_PROBE_HELPER       "/sbin/modprobe"
#define MOD_PROBE_SYSCTL       "/proc/sys/kernel/modprobe"
/* What to give back when the kernel's own value could not be read. */
#define MOD_PROBE_DEFAULT      "/sbin/modprobe"
/* Room for the "device <modalias>" reasons of one boot's device-matched modules. */
#define MOD_WHY_DEVICES_MAX    4096
/* Loading a bus driver (virtio_pci) makes new devices (virtio0): scan again. */
#define MOD_LOAD_ROUNDS_MAX    4

/* One byte per module in mod_load_wanted()'s state[]. */
enum mod_state { MOD_PENDING = 0, MOD_LOADED, MOD_SKIPPED, MOD_FAILED };

struct mod_load_stats {
	unsigned listed;     /* modules in the index */
	unsigned devices;    /* device modaliases seen in the last sysfs scan */
	unsigned matched;    /* modules wanted because a device matched */
	unsigned loaded;     /* finit_module succeeded */
	unsigned present;    /* EEXIST: already loaded (or built in), counted as loaded */
	unsigned skipped;    /* blacklisted, or a dependency was not loaded */
	unsigned failed;     /* open or finit_module failed */
	long long ms;        /* time the stage took */
};

/* Registers MOD_PROBE_HELPER with the kernel (when the image has it), reads
 * the index at index_path and loads the "load" modules and those matching a
 * present device, with their dependencies, in order; rescans sysfs after
 * each round that loaded something (at most MOD_LOAD_ROUNDS_MAX):
 *  - parameters "<module>.<param>=<value>" on the command line are handed to
 *    finit_module (the kernel applies them only to built-in code; for
 *    loadable modules that is modprobe's job, so it is ours);
 *  - modules named in module_blacklist=, rd.driver.blacklist= or
 *    modprobe.blacklist= (comma lists,
 *    may repeat) are skipped, and so is every module that depends on one;
 *  - a failure is logged with module, path and errno, and loading goes on.
 * Logs one summary line ("modules: 17 loaded in 0.184 s"). st may be NULL.
 * Returns 0 when every module is loaded or deliberately skipped; -ENOENT when
 * there is no index (an image without modules; logged, not an error for the
 * boot); -EINVAL for a malformed index; else the -errno of the first failure. */
int mod_load(const char *index_path, const char *cmdline, struct mod_load_stats *st);

/* Background loading (background.c): mod_bg_start() forks a child that
 * runs mod_need() on each entry (why: the reason the console shows) and
 * exits; a failed fork loads them in this process instead. mod_bg_wait()
 * reaps it, polling, for at most timeout_ms; it says on the console how long
 * the wait was and what went wrong. Returns 0, -ETIMEDOUT (the child is left
 * running), -EIO (a load failed or the child died), or -errno. */
#define MOD_BG_WAIT_MS   30000 /* ~1 s under QEMU TCG; a sick machine should not wait longer */
#define MOD_BG_POLL_MS   2
struct mod_want {
	const char *name, *why;
};
int mod_bg_start(const struct mod_want *list, size_t n);
int mod_bg_wait(unsigned timeout_ms);

/* Before switch_root: gives the kernel back the helper path it had before
 * mod_load() (the booted system's modprobe, not our index). */
void mod_helper_restore(void);

/* Shared with the modprobe helper. Reads and parses the index into static
 * storage (*idx points there); logs what went wrong. */
int mod_load_read_index(const char *index_path, struct mod_index **idx);
/* Loads every wanted module whose state is still pending (state[]: one byte
 * per module, zeroed before the first call), in index order, under the
 * command-line rules above. A module already in /sys/module counts as
 * present. Each load is logged with its reason: why[i] (why or why[i] may be
 * NULL), else "needed by <the wanted module that depends on it>". Returns 0
 * or the -errno of the first failure. */
int mod_load_wanted(const struct mod_index *idx, const unsigned char *want, unsigned char *state,
		   const char *const *why, const char *cmdline, struct mod_load_stats *st);

/* After mod_load(), in the same process: loads module name (a name, not an
 * alias) and its dependencies from the index, unless already loaded, logging
 * "modules: <name> loaded (<why>)"; why must outlive the call. Returns 0,
 * -ENOENT (no index, or not in it: built in or not needed), -EPERM
 * (blacklisted or a dependency was), -EIO (the load failed; logged). */
int mod_need(const char *name, const char *why);

/* /init started as MOD_PROBE_HELPER by the kernel: "modprobe -q -- <name>".
 * Loads the module the index knows by that name or alias. Exit status as
 * modprobe's: 0 loaded (or already), 1 not found or failed. */
int mod_probe_main(int argc, char **argv);

/* Pure helpers, exposed for the unit tests. '-' and '_' in module names are
 * alike, as for modprobe. */

/* Collects the parameters for module from cmdline into out, space-separated
 * as finit_module expects ("a=1 b=\"x y\""); out is "" when there are none.
 * Parameters after "--" belong to init and are ignored. Returns the length,
 * or -E2BIG when they do not fit in cap (or one was longer than the command
 * line limit); out is then "". */
int mod_load_params(const char *cmdline, const char *module, char *out, size_t cap);

/* True if module is named in module_blacklist=, rd.driver.blacklist= or
 * modprobe.blacklist= (kmod's spelling). */
bool mod_load_blacklisted(const char *cmdline, const char *module);

#endif
