/* nfsinit: /init for diskless nodes. One call per boot stage, in order; every
 * failure goes to boot_failed(), which never returns. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "failure.h"
#include "../mounts/imgver.h"
#include "../modules/modload.h"
#include "state.h"
#include "../common/backoff.h"
#include "../common/log.h"
#include "../hooks/hooks.h"
#include "../identity/identity.h"
#include "../mounts/mounts.h"
#include "../mounts/mountinfo.h"
#include "../mounts/clientid.h"
#include "../netcfg/netcfg.h"
#include "../netcfg/handover.h"
#include "../netcfg/linkfile.h"

static struct nfsinit_config cfg;
static struct net_lease lease;
static bool have_lease;
static struct boot_facts facts;

/* Image hooks at every stage; the shared root's own hooks once it is
 * assembled. A failed .required hook fails the boot; nfsinit.break stops here
 * after the stage's hooks. */
static void run_hooks(const char *stage, bool from_root)
{
	static char buf[4096], names[HOOKS_NSTAGES][24];
	static int nnames;
	char *env[48], failed[NI_PATH_MAX + HOOK_NAME_MAX];
	unsigned tmo = cfg.hook_timeout_s * 1000;
	if (nnames < HOOKS_NSTAGES) { /* the hooks' time shows in /run/nfsinit/stages too */
		snprintf(names[nnames], sizeof(names[0]), "hooks:%s", stage);
		stage_begin(names[nnames++]);
	}
	facts.lease = have_lease ? &lease : NULL;
	state_env(&facts, stage, buf, sizeof(buf), env, 48);
	if (hooks_run(stage, NULL, HOOKS_IMAGE_DIR, env, tmo, failed, sizeof(failed)) ||
	    (from_root && hooks_run(stage, NFSINIT_NEWROOT, HOOKS_ROOT_DIR, env, tmo, failed, sizeof(failed)))) {
		logx("hooks: required hook %s failed", failed);
		boot_failed(&cfg, "hooks");
	}
	stage_end();
	if (!strcmp(cfg.break_stage, stage)) {
		static char why[48];
		snprintf(why, sizeof(why), "break: stage %s (nfsinit.break)", stage);
		failure_shell(why);
	}
}

static int read_cmdline(char *buf, size_t cap)
{
	int fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC);
	ssize_t n;
	if (fd < 0)
		return -errno;
	n = read(fd, buf, cap - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

/* Console on fds 0-2 even if the kernel found no /dev/console in the image. */
static void console_stdio(void)
{
	int fd = open("/dev/console", O_RDWR | O_NOCTTY);
	if (fd < 0)
		return;
	for (int i = 0; i < 3; i++)
		if (fcntl(i, F_GETFD) < 0)
			dup2(fd, i);
	if (fd > 2)
		close(fd);
}

static void stage_config(const char *cmdline)
{
	config_defaults(&cfg);
	cmdline_parse(cmdline, &cfg);
	log_set_debug(cfg.debug);
	for (int i = 0; i < cfg.nwarnings; i++)
		logx("cmdline: %s", cfg.warnings[i]);
	logdbg("cmdline: %s", cmdline);
}

static void stage_network(void)
{
	struct net_request req;
	int rc;

	if (cfg.ip.method == IP_METHOD_OFF) {
		logx("net: ip=off, leaving the network as the kernel set it up");
		return;
	}
	memset(&req, 0, sizeof(req));
	req.ip = cfg.ip;
	req.have_bootif = cfg.have_bootif;
	memcpy(req.bootif, cfg.bootif, sizeof(req.bootif));
	req.link_timeout_ms = cfg.link_timeout_s * 1000;
	req.dhcp_timeout_ms = cfg.dhcp_timeout_s * 1000;
	strcpy(req.vendor_class, "nfsinit");
	/* A DHCP server that is down or slow now may answer in a minute: the
	 * whole stage is retried until nfsinit.net.timeout. */
	struct backoff b;
	backoff_start(&b, cfg.net_timeout_s * 1000, 1000, 16000);
	for (;;) {
		/* The last attempt gets only what is left of nfsinit.net.timeout. */
		long long left = (long long)cfg.net_timeout_s * 1000 - backoff_elapsed(&b);
		req.dhcp_timeout_ms = left < (long long)cfg.dhcp_timeout_s * 1000 ?
			(unsigned)(left > 1000 ? left : 1000) : cfg.dhcp_timeout_s * 1000;
		if (!(rc = netcfg_up(&req, &lease)))
			break;
		logerr(rc, "net: no usable network interface configuration");
		if (!backoff_wait(&b, "net")) {
			long long ms = backoff_elapsed(&b);
			logx("net: giving up after %d attempts in %lld.%01lld s (nfsinit.net.timeout=%u, "
			     "nfsinit.dhcp.timeout=%u per attempt)", b.attempts, ms / 1000, (ms % 1000) / 100,
			     cfg.net_timeout_s, cfg.dhcp_timeout_s);
			boot_failed(&cfg, "network");
		}
	}
	have_lease = true;
	/* /run moves into the new root: its udev finds the file there. */
	if ((rc = linkfile_write(&lease, "/run")))
		logerr(rc, "net: writing /run/systemd/network/10-nfsinit-%s.link (udev may try to rename %s)",
		       lease.ifname, lease.ifname);
}

/* The command line wins; the DHCP root-path fills in when none was given. */
static void resolve_root(struct nfs_root *root, char *server, size_t cap)
{
	char err[NI_WARN_MAX];
	struct in_addr srv = { INADDR_ANY };

	if (cfg.root_other[0]) {
		logx("root: %s is not an NFS root this image can boot (see the line above if it was malformed)",
		     cfg.root_other);
		boot_failed(&cfg, "root");
	}
	*root = cfg.root;
	if (!root->given) {
		if (!have_lease || !lease.root_path[0]) {
			logx("root: no root given: neither root=/nfsroot= on the command line nor a root-path "
			     "(DHCP option 17) from the server");
			boot_failed(&cfg, "root");
		}
		if (nfsroot_parse_dhcp(lease.root_path, root, err, sizeof(err))) {
			logx("root: DHCP root-path '%s': %s", lease.root_path, err);
			boot_failed(&cfg, "root");
		}
		logx("root: from DHCP root-path %s", lease.root_path);
	}
	if (root->server[0]) {
		snprintf(server, cap, "%s", root->server);
		return;
	}
	/* nfsroot.rst: the server is ip='s server-ip, else the boot server. */
	if (cfg.ip.server.s_addr != INADDR_ANY)
		srv = cfg.ip.server;
	else if (have_lease && lease.next_server.s_addr != INADDR_ANY)
		srv = lease.next_server;
	else if (have_lease)
		srv = lease.server_id;
	if (srv.s_addr == INADDR_ANY) {
		logx("root: no NFS server: give nfsroot=<server>:<path> or ip=::<server>... ");
		boot_failed(&cfg, "root");
	}
	inet_ntop(AF_INET, &srv, server, (socklen_t)cap);
}

/* The version name the image carries, for /run/nfsinit/facts: an image
 * without one is fine, a malformed one is reported and left out. */
static void read_image_version(char *out, size_t cap, const char *source)
{
	int rc = imgver_read(NFSINIT_LOWER, out, cap);
	if (!rc)
		logx("root: image version %s", out);
	else if (rc == -ENOENT)
		logdbg("root: %s has no %s", source, IMGVER_PATH);
	else if (rc == -EINVAL || rc == -ENODATA || rc == -ENAMETOOLONG)
		logx("root: %s in %s ignored: want one line of at most %d letters, digits or . _ - + :",
		     IMGVER_PATH, source, IMGVER_MAX - 1);
	else
		logerr(rc, "root: reading %s in %s", IMGVER_PATH, source);
	if (rc)
		out[0] = '\0';
}

/* The identity stage's part of the command line, copied so that identity/
 * needs no init/ header. */
static void identity_options(const struct nfsinit_config *c, struct identity_opts *o)
{
	_Static_assert(sizeof(o->classes) == sizeof(c->classes), "nfsinit.class= storage differs");
	_Static_assert(sizeof(o->uservars) == sizeof(c->uservars), "nfsinit.var. storage differs");
	_Static_assert(sizeof(o->templates) == sizeof(c->templates) && sizeof(o->persist) == sizeof(c->persist) &&
		       sizeof(o->persist_paths) == sizeof(c->persist_paths), "identity paths storage differs");
	o->nclasses = c->nclasses;
	memcpy(o->classes, c->classes, sizeof(o->classes));
	o->nuservars = c->nuservars;
	memcpy(o->uservars, c->uservars, sizeof(o->uservars));
	memcpy(o->templates, c->templates, sizeof(o->templates));
	memcpy(o->persist, c->persist, sizeof(o->persist));
	memcpy(o->persist_paths, c->persist_paths, sizeof(o->persist_paths));
}

/* server: in, the server or list resolve_root found; out, the one that answered. */
static void stage_root(char *server, size_t cap, struct nfs_root *root)
{
	char client[INET_ADDRSTRLEN] = "0.0.0.0", servers[NI_HOST_MAX];
	resolve_root(root, servers, sizeof(servers));
	if (have_lease) {
		char id[32];
		int rc;
		inet_ntop(AF_INET, &lease.addr, client, sizeof(client));
		/* before the first mount: the client keeps the identity it started with */
		if (clientid_format(lease.mac, id, sizeof(id)) > 0 && (rc = clientid_set(CLIENTID_PARAM, id)))
			logerr(rc, "root: setting the NFSv4 client identity %s in %s (nodes may end each other's leases)",
			       id, CLIENTID_PARAM);
		else
			logdbg("root: NFSv4 client identity %s", id);
	}
	(void)mkdir(NFSINIT_RUN, 0755);
	if (nfs_mount_root(root, servers, have_lease ? lease.mac : NULL, client, NFSINIT_LOWER,
			   cfg.root_timeout_s * 1000, server, cap))
		boot_failed(&cfg, "root");
}

/* No overlayfs and no aufs in this kernel is not a reason to leave a node
 * down: fall back to a read-only root with writable copies (README). */
static void stage_overlay(void)
{
	int rc = overlay_assemble(NFSINIT_LOWER, cfg.overlay_size, NFSINIT_NEWROOT);
	if (rc == -ENODEV) {
		logx("overlay: neither overlayfs nor aufs in this kernel; falling back to a read-only root "
		     "with writable %s (nfsinit.rwpaths)", cfg.rw_paths);
		rc = rofallback_assemble(NFSINIT_LOWER, NFSINIT_NEWROOT, cfg.rw_paths);
	}
	if (rc)
		boot_failed(&cfg, "overlay");
}

int main(int argc, char **argv)
{
	static char cmdline[NI_CMDLINE_MAX];
	char server[NI_HOST_MAX], source[NI_HOST_MAX + NI_PATH_MAX + 2];
	char image_version[IMGVER_MAX], resolved[NI_HOST_MAX + NI_PATH_MAX + 2];
	struct nfs_root root;
	int rc;
	const char *self = strrchr(argv[0], '/');

	/* The kernel runs us as its module helper (MOD_PROBE_HELPER links here),
	 * "modprobe -q -- <name>"; the second test covers a path to /init itself. */
	if (getpid() != 1 && (strcmp(self ? self + 1 : argv[0], "modprobe") == 0 ||
			      (argc > 1 && strcmp(argv[1], "-q") == 0)))
		return mod_probe_main(argc, argv);
	if (getpid() != 1) {
		fprintf(stderr, "nfsinit: this is the initramfs /init and must run as PID 1\n");
		return 1;
	}
	stage_begin("early");
	mounts_early();
	console_stdio();
	log_open();
	logx("nfsinit starting");
	stage_end();

	stage_begin("cmdline");
	if ((rc = read_cmdline(cmdline, sizeof(cmdline))))
		logerr(rc, "cmdline: reading /proc/cmdline (using defaults)");
	stage_config(cmdline);
	stage_end();

	run_hooks(HOOKS_EARLY, false);

	stage_begin("modules");
	mod_load(MOD_INDEX_PATH, cmdline, NULL);
	stage_end();

	run_hooks(HOOKS_PRE_NET, false);
	stage_begin("network");
	stage_network();
	stage_end();

	run_hooks(HOOKS_PRE_MOUNT, false);
	stage_begin("root");
	stage_root(server, sizeof(server), &root);
	snprintf(source, sizeof(source), "%s:%s", server, root.path);
	facts.server = server;
	facts.root_path = root.path;
	facts.nfs_source = source;
	/* A symlink in the export path (images/current) is resolved by the
	 * server at mount time; the kernel reports the path it got. */
	if (!mountinfo_read_source(NFSINIT_LOWER, resolved, sizeof(resolved))) {
		facts.nfs_resolved = resolved;
		if (strcmp(resolved, source))
			logx("root: %s resolved to %s", source, resolved);
	}
	read_image_version(image_version, sizeof(image_version), source);
	facts.image_version = image_version[0] ? image_version : NULL;
	stage_end();

	stage_begin("overlay");
	stage_overlay();
	stage_end();

	stage_begin("handover");
	if (have_lease)
		netcfg_handover(&lease, NFSINIT_NEWROOT, argv[0]);
	stage_end();

	stage_begin("identity");
	static struct identity_opts idopts;
	identity_options(&cfg, &idopts);
	identity_stage(&idopts, have_lease ? &lease : NULL, server, root.path, NFSINIT_LOWER, NFSINIT_NEWROOT,
		       &facts.hostname, &facts.machine_id);
	stage_end();

	facts.overlay_size = cfg.overlay_size;
	facts.init = cfg.init;
	run_hooks(HOOKS_PRE_SWITCH, true);

	stage_begin("switch");
	mod_helper_restore();
	state_save(&facts);
	argv[0] = cfg.init;
	rc = switch_root(NFSINIT_NEWROOT, cfg.init, argv);
	logerr(rc, "switch: could not start %s", cfg.init);
	boot_failed(&cfg, "switch");
}
