/* Boot stage "modules". The command-line helpers at the top are pure; the
 * file and finit_module(2) calls are all in mod_load() and below. */
#include "modload.h"
#include "../common/kcmdline.h"
#include "hwscan.h"
#include "../common/limits.h"
#include "../common/log.h"
#include "../common/readall.h"
#include "../common/dashname.h"
#include "../common/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

/* Longest "<module>.<param>" we look at; longer keys are not ours. */
#define PARAM_KEY_MAX (MOD_INDEX_NAME_MAX + 128)


/* If key is "<module>.<param>", returns <param>; else NULL. */
static const char *param_of(const char *key, const char *module)
{
	const char *dot = strchr(key, '.');
	char name[MOD_INDEX_NAME_MAX];
	size_t n;

	if (!dot || dot == key || !dot[1])
		return NULL;
	n = (size_t)(dot - key);
	if (n >= sizeof(name))
		return NULL;
	memcpy(name, key, n);
	name[n] = '\0';
	return dashname_eq(name, module) ? dot + 1 : NULL;
}

static bool key_prefix_is(const char *key, const char *module)
{
	size_t n = strlen(module);
	char k[MOD_INDEX_NAME_MAX];

	if (strlen(key) <= n || key[n] != '.' || n >= sizeof(k))
		return false;
	memcpy(k, key, n);
	k[n] = '\0';
	return dashname_eq(k, module);
}

int mod_load_params(const char *cmdline, const char *module, char *out, size_t cap)
{
	char key[PARAM_KEY_MAX], val[NI_CMDLINE_MAX];
	const char *p = cmdline;
	bool has_val, truncated;
	size_t len = 0;

	if (cap == 0)
		return -E2BIG;
	out[0] = '\0';
	while (cmdline_next(&p, key, sizeof(key), val, sizeof(val), &has_val, &truncated)) {
		const char *param;
		int n;

		if (strcmp(key, "--") == 0 && !has_val)
			break;
		if (truncated) {
			if (key_prefix_is(key, module))
				return out[0] = '\0', -E2BIG;
			continue;
		}
		if (!(param = param_of(key, module)))
			continue;
		/* The kernel's parse_args() takes quotes, so a value with blanks goes back in them. */
		if (!has_val)
			n = snprintf(out + len, cap - len, "%s%s", len ? " " : "", param);
		else if (strpbrk(val, " \t\n"))
			n = snprintf(out + len, cap - len, "%s%s=\"%s\"", len ? " " : "", param, val);
		else
			n = snprintf(out + len, cap - len, "%s%s=%s", len ? " " : "", param, val);
		if (n < 0 || (size_t)n >= cap - len)
			return out[0] = '\0', -E2BIG;
		len += (size_t)n;
	}
	return (int)len;
}

static bool list_has(const char *list, const char *module)
{
	char item[MOD_INDEX_NAME_MAX];

	while (*list) {
		size_t n = strcspn(list, ",");
		if (n > 0 && n < sizeof(item)) {
			memcpy(item, list, n);
			item[n] = '\0';
			if (dashname_eq(item, module))
				return true;
		}
		list += n;
		if (*list == ',')
			list++;
	}
	return false;
}

bool mod_load_blacklisted(const char *cmdline, const char *module)
{
	char key[PARAM_KEY_MAX], val[NI_CMDLINE_MAX];
	const char *p = cmdline;
	bool has_val, truncated;

	while (cmdline_next(&p, key, sizeof(key), val, sizeof(val), &has_val, &truncated)) {
		if (strcmp(key, "--") == 0 && !has_val)
			break;
		if (!has_val)
			continue;
		if ((strcmp(key, "module_blacklist") == 0 || strcmp(key, "rd.driver.blacklist") == 0 ||
		     strcmp(key, "modprobe.blacklist") == 0) &&
		    list_has(val, module))
			return true;
	}
	return false;
}

/* ---- I/O from here on ---- */

static void check_kver(const struct mod_index *idx)
{
	struct utsname u;

	if (!idx->kver[0] || uname(&u) != 0 || strcmp(u.release, idx->kver) == 0)
		return;
	logx("modules: the image's modules are for kernel %s but this is %s: "
	     "expect them to fail (rebuild the image with nfsinit-mkimage -k %s)",
	     idx->kver, u.release, u.release);
}

/* A dependency that is not loaded keeps its dependents out too: the kernel
 * would refuse them with "Unknown symbol" anyway, and this says why. */
static int first_missing_dep(const struct mod_index_module *m, const unsigned char *state)
{
	for (unsigned j = 0; j < m->ndeps; j++)
		if (state[m->deps[j]] != MOD_LOADED)
			return m->deps[j];
	return -1;
}

/* /sys/module/<name> is there for a module being loaded, loaded or built
 * in: finit_module would only say EEXIST, after reading and checking the
 * whole file (the background loader and the kernel's helper load too). */
static bool present(const char *name)
{
	char path[sizeof("/sys/module/") + MOD_INDEX_NAME_MAX];

	snprintf(path, sizeof(path), "/sys/module/%s", name);
	return access(path, F_OK) == 0;
}

static int load_one(const struct mod_index_module *m, const char *why, const char *cmdline,
		    struct mod_load_stats *st)
{
	static char params[NI_CMDLINE_MAX];
	int fd, rc;

	if (present(m->name)) {
		st->present++;
		logdbg("modules: %s already loaded", m->name);
		return 0;
	}
	if (mod_load_params(cmdline, m->name, params, sizeof(params)) < 0)
		logx("modules: %s: its parameters on the command line are too long; loading without them",
		     m->name);
	fd = open(m->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		logerr(rc, "modules: %s: opening %s", m->name, m->path);
		return rc;
	}
	rc = (int)syscall(SYS_finit_module, fd, params, 0);
	rc = rc < 0 ? -errno : 0;
	close(fd);
	if (rc == -EEXIST) {
		st->present++;
		logdbg("modules: %s already loaded", m->name);
		return 0;
	}
	if (rc) {
		logerr(rc, "modules: %s: loading %s (%s)", m->name, m->path, why);
		return rc;
	}
	st->loaded++;
	lognote("modules: %s loaded (%s)%s%s", m->name, why, params[0] ? " with " : "", params);
	return 0;
}

int mod_load_wanted(const struct mod_index *idx, const unsigned char *want, unsigned char *state,
		   const char *const *why, const char *cmdline, struct mod_load_stats *st)
{
	int first_err = 0;

	for (unsigned i = 0; i < idx->nmods; i++) {
		const struct mod_index_module *m = &idx->mods[i];
		char needed[sizeof("needed by ") + MOD_INDEX_NAME_MAX];
		const char *reason;
		int dep, by, rc;

		if (!want[i] || state[i] != MOD_PENDING)
			continue;
		if (mod_load_blacklisted(cmdline, m->name)) {
			logx("modules: %s skipped: blacklisted on the command line", m->name);
			state[i] = MOD_SKIPPED;
			st->skipped++;
			continue;
		}
		if ((dep = first_missing_dep(m, state)) >= 0) {
			logx("modules: %s skipped: it needs %s, which was not loaded", m->name,
			     idx->mods[dep].name);
			state[i] = MOD_SKIPPED;
			st->skipped++;
			if (state[dep] == MOD_FAILED && !first_err)
				first_err = -ENOENT;
			continue;
		}
		/* The caller's reason, else the module that needs this one. */
		reason = why && why[i] ? why[i] : "the image lists it";
		if ((!why || !why[i]) && (by = mod_index_wanted_by(idx, want, i)) >= 0) {
			snprintf(needed, sizeof(needed), "needed by %s", idx->mods[by].name);
			reason = needed;
		}
		rc = load_one(m, reason, cmdline, st);
		state[i] = rc ? MOD_FAILED : MOD_LOADED;
		if (rc) {
			st->failed++;
			if (!first_err)
				first_err = rc;
		}
	}
	return first_err;
}

int mod_load_read_index(const char *index_path, struct mod_index **out)
{
	static char buf[MOD_INDEX_FILE_MAX + 1];
	static struct mod_index idx;
	struct err_reason perr;
	size_t len = 0;
	int rc;

	rc = file_read(index_path, buf, sizeof(buf), &len);
	if (rc == -ENOENT) {
		logx("modules: no index at %s: the image carries no modules, loading none", index_path);
		return rc;
	}
	if (rc) {
		logerr(rc, "modules: reading %s", index_path);
		return rc;
	}
	if ((rc = mod_index_parse(buf, len, &idx, &perr))) {
		logx("modules: %s line %d: %s; loading none", index_path, perr.line, perr.msg);
		return rc;
	}
	*out = &idx;
	return 0;
}

/* The helper path the kernel had before we registered ours, given back
 * before the switch so the booted system's modprobe answers from then on. */
static char saved_helper[256];

static int write_sysctl(const char *value)
{
	int fd = open(MOD_PROBE_SYSCTL, O_WRONLY | O_CLOEXEC), rc = 0;

	if (fd < 0 || write(fd, value, strlen(value)) < 0)
		rc = -errno;
	if (fd >= 0)
		close(fd);
	return rc;
}

/* Later requests (fs-nfs4 at mount time, nfsv4, net-pf-17) come through the
 * helper; the kernel's configured path may not be ours, so say it. */
static void register_helper(void)
{
	int rc;

	if (access(MOD_PROBE_HELPER, X_OK) != 0) {
		logdbg("modules: no %s in the image: the kernel cannot ask for more modules", MOD_PROBE_HELPER);
		return;
	}
	if (!saved_helper[0])
		(void)file_read_text(MOD_PROBE_SYSCTL, saved_helper, sizeof(saved_helper));
	if ((rc = write_sysctl(MOD_PROBE_HELPER)))
		logerr(rc, "modules: registering %s in %s", MOD_PROBE_HELPER, MOD_PROBE_SYSCTL);
}

void mod_helper_restore(void)
{
	const char *path = saved_helper[0] ? saved_helper : MOD_PROBE_DEFAULT;
	int rc = write_sysctl(path);

	if (rc)
		logerr(rc, "modules: restoring %s to %s", MOD_PROBE_SYSCTL, path);
	else
		logdbg("modules: %s is %s again for the booted system", MOD_PROBE_SYSCTL, path);
}

/* What mod_load() read and did, kept for mod_need() in the same process
 * (and, after a fork, in the child). */
static struct {
	struct mod_index *idx;
	const char *cmdline;
	unsigned char want[MOD_INDEX_MODS_MAX], state[MOD_INDEX_MODS_MAX];
	const char *why[MOD_INDEX_MODS_MAX];
	char devices[MOD_WHY_DEVICES_MAX]; /* "device <modalias>" texts why[] points into */
	size_t used;
} sess;

/* The reason a device-matched module is loaded, kept until it is. */
static const char *device_reason(const char *modalias)
{
	char *p = sess.devices + sess.used;
	int n = snprintf(p, sizeof(sess.devices) - sess.used, "device %s", modalias);

	if (n < 0 || (size_t)n >= sizeof(sess.devices) - sess.used)
		return "a present device"; /* out of room: the reason without the name */
	sess.used += (size_t)n + 1;
	return p;
}

struct match_ctx {
	const struct mod_index *idx;
	unsigned char *want;
	unsigned devices, matched;
};

static void match_device(const char *modalias, void *p)
{
	static unsigned char before[MOD_INDEX_MODS_MAX];
	struct match_ctx *c = p;
	const char *why = NULL;
	unsigned n;

	memcpy(before, c->want, c->idx->nmods);
	n = mod_index_match(c->idx, modalias, c->want);
	c->devices++;
	c->matched += n;
	/* Which device brought which driver: the point of the scan. */
	for (unsigned i = 0; n && i < c->idx->nmods; i++)
		if (c->want[i] && !before[i] && !sess.why[i])
			sess.why[i] = why ? why : (why = device_reason(modalias));
}

int mod_load(const char *index_path, const char *cmdline, struct mod_load_stats *st)
{
	unsigned char *want = sess.want, *state = sess.state;
	struct mod_index *idx;
	struct mod_load_stats local;
	long long t0 = uptime_ms();
	int rc, first_err = 0;

	if (!st)
		st = &local;
	memset(st, 0, sizeof(*st));
	memset(&sess, 0, sizeof(sess));
	register_helper();
	if ((rc = mod_load_read_index(index_path, &idx)))
		return rc;
	check_kver(idx);
	st->listed = idx->nmods;
	sess.cmdline = cmdline = cmdline ? cmdline : "";
	sess.idx = idx;
	for (unsigned i = 0; i < idx->nmods; i++)
		want[i] = idx->mods[i].load;
	for (unsigned round = 0; round < MOD_LOAD_ROUNDS_MAX; round++) {
		struct match_ctx c = { idx, want, 0, 0 };
		unsigned before = st->loaded;
		int n = mod_scan_modaliases(MOD_SCAN_SYSFS_BUS, match_device, &c);

		if (n < 0)
			logerr(n, "modules: reading %s (loading only the image's fixed list)", MOD_SCAN_SYSFS_BUS);
		st->devices = c.devices;
		st->matched += c.matched;
		mod_index_want_deps(idx, want);
		rc = mod_load_wanted(idx, want, state, sess.why, cmdline, st);
		if (rc && !first_err)
			first_err = rc;
		if (st->loaded == before)
			break;
	}
	st->ms = uptime_ms() - t0;
	logx("modules: %u of %u loaded in %lld.%03lld s for %u devices (%u already present, "
	     "%u skipped, %u failed)", st->loaded, st->listed, st->ms / 1000, st->ms % 1000,
	     st->devices, st->present, st->skipped, st->failed);
	return first_err;
}

int mod_need(const char *name, const char *why)
{
	struct mod_load_stats st = { 0 };
	int m;

	if (!sess.idx)
		return -ENOENT; /* no index: nothing to load from, the kernel may have it built in */
	if ((m = mod_index_find(sess.idx, name)) < 0) {
		logdbg("modules: %s is not in the image (built in, or the kernel does without)", name);
		return -ENOENT;
	}
	if (sess.state[m] == MOD_LOADED)
		return 0;
	sess.want[m] = 1;
	if (!sess.why[m])
		sess.why[m] = why;
	mod_index_want_deps(sess.idx, sess.want);
	(void)mod_load_wanted(sess.idx, sess.want, sess.state, sess.why, sess.cmdline, &st);
	return sess.state[m] == MOD_LOADED ? 0 : sess.state[m] == MOD_SKIPPED ? -EPERM : -EIO;
}
