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
#include "../netcfg/resolve.h"
#include "../common/file.h"
#include "../common/version.h"
#include "../common/remotelog.h"
#include "../identity/nodeid.h"

/* What one stage hands on to the next; main() owns the only one. */
struct boot {
	struct nfsinit_config cfg;
	char cmdline[NI_CMDLINE_MAX];
	struct net_lease lease;
	bool have_lease;                      /* false: ip=off */
	struct nfs_root root;                 /* as resolved: command line or DHCP */
	char server[NI_HOST_MAX];             /* the NFS server that answered */
	char source[NI_HOST_MAX + NI_PATH_MAX + 2];   /* server:path */
	char resolved[NI_HOST_MAX + NI_PATH_MAX + 2]; /* what the kernel reports */
	char image_version[IMGVER_MAX];
	bool root_is_image;                   /* the root path named an image file */
	struct image_root image;
	char image_what[NI_HOST_MAX + NI_PATH_MAX + 2];         /* server:path of the file */
	char image_resolved[NI_HOST_MAX + 2 * NI_PATH_MAX + 2]; /* server:dir/<file the link led to> */
	struct identity_opts identity;
	struct boot_facts facts;              /* points into the fields above */
	struct resolve_conf dns;              /* for NFS server names: the lease's DNS servers */
	struct nfs_resolver resolver;
};

/* Image hooks at every stage; the shared root's own hooks once it is
 * assembled. A failed .required hook fails the boot; nfsinit.break stops here
 * after the stage's hooks. */
static void run_hooks(struct boot *b, const char *stage, bool from_root)
{
	static char buf[4096], names[HOOKS_NSTAGES][24];
	static int nnames;
	char *env[48], failed[NI_PATH_MAX + HOOK_NAME_MAX];
	unsigned tmo = b->cfg.hook_timeout_s * 1000;
	if (nnames < HOOKS_NSTAGES) { /* the hooks' time shows in /run/nfsinit/stages too */
		snprintf(names[nnames], sizeof(names[0]), "hooks:%s", stage);
		stage_begin(names[nnames++]);
	}
	b->facts.lease = b->have_lease ? &b->lease : NULL;
	(void)state_env(&b->facts, stage, buf, sizeof(buf), env, 48); /* the count; it logs what did not fit */
	if (hooks_run(stage, NULL, HOOKS_IMAGE_DIR, env, tmo, failed, sizeof(failed)) ||
	    (from_root && hooks_run(stage, NFSINIT_NEWROOT, HOOKS_ROOT_DIR, env, tmo, failed, sizeof(failed)))) {
		logx("hooks: required hook %s failed", failed);
		boot_failed(&b->cfg, "hooks");
	}
	stage_end();
	if (!strcmp(b->cfg.break_stage, stage)) {
		static char why[48];
		snprintf(why, sizeof(why), "break: stage %s (nfsinit.break)", stage);
		if (!failure_shell(why))
			logx("break: no /bin/sh in the image (build it with --busybox); going on");
	}
}

/* Console on fds 0-2 even if the kernel found no /dev/console in the image. */
static void console_stdio(void)
{
	int fd = open("/dev/console", O_RDWR | O_NOCTTY);
	if (fd < 0)
		return;
	for (int i = 0; i < 3; i++)
		if (fcntl(i, F_GETFD) < 0)
			(void)dup2(fd, i); /* nothing to report to: this is the console */
	if (fd > 2)
		close(fd);
}

static void stage_cmdline(struct boot *b)
{
	int rc;
	stage_begin("cmdline");
	if ((rc = file_read_text("/proc/cmdline", b->cmdline, sizeof(b->cmdline))))
		logerr(rc, "cmdline: reading /proc/cmdline (using defaults)");
	config_defaults(&b->cfg);
	cmdline_parse(b->cmdline, &b->cfg);
	log_set_debug(b->cfg.debug);
	for (int i = 0; i < b->cfg.nwarnings; i++)
		logx("cmdline: %s", b->cfg.warnings[i]);
	logdbg("cmdline: %s", b->cmdline);
	stage_end();
}

/* API filesystems and the console. A missing /proc or /sys is not fatal
 * here: the stages that need them say what failed. */
static void stage_early(void)
{
	int rc;
	stage_begin("early");
	rc = mounts_early();
	console_stdio();
	log_open();
	logx("nfsinit " NFSINIT_VERSION " starting");
	if (rc)
		logerr(rc, "early: incomplete (see above); going on");
	stage_end();
}

/* Not fatal: a node whose NIC or NFS is built in needs no module, and a
 * missing driver shows up as a network or root failure with its own policy. */
static void stage_modules(struct boot *b)
{
	int rc;
	stage_begin("modules");
	rc = mod_load(MOD_INDEX_PATH, b->cmdline, NULL);
	if (rc && rc != -ENOENT)
		logerr(rc, "modules: incomplete (see above); going on");
	stage_end();
}

/* What the root mount and the overlay need, loaded by a child while the
 * network comes up (a link negotiates for seconds on real NICs). NFSv3 only
 * when the root asks for it or the mount falls back to it (nfs_version_need). */
static void start_root_modules(const struct boot *b)
{
	bool v3 = b->cfg.root.given && b->cfg.root.vers_major == 3;
	const struct mod_want want[] = {
		{ "nfs", "the NFS root; loading while the network comes up" },
		{ v3 ? "nfsv3" : "nfsv4", v3 ? "the root asks for NFSv3" : "the NFS root mount tries NFSv4 first" },
		{ "overlay", "the overlay over the root" },
	};
	(void)mod_bg_start(want, sizeof(want) / sizeof(want[0])); /* it says what failed */
}

/* Before each NFS mount attempt: its version's module, if the background
 * loads did not bring it. */
static void nfs_version_need(const char *vers, bool fallback)
{
	if (vers[0] == '3')
		(void)mod_need("nfsv3", fallback ? "the mount fell back to NFSv3" : "the mount asks for NFSv3");
	else if (vers[0] == '4')
		(void)mod_need("nfsv4", fallback ? "the mount fell back to NFSv4" : "the mount asks for NFSv4");
}

/* The child of start_root_modules(), before anything mounts. */
static void stage_wait_modules(void)
{
	stage_begin("modules-wait");
	(void)mod_bg_wait(MOD_BG_WAIT_MS); /* not fatal: the kernel's helper loads what is missing */
	nfs_set_version_hook(nfs_version_need);
	stage_end();
}

static void network_request(const struct nfsinit_config *cfg, struct net_request *req)
{
	memset(req, 0, sizeof(*req));
	req->ip = cfg->ip;
	req->have_bootif = cfg->have_bootif;
	memcpy(req->bootif, cfg->bootif, sizeof(req->bootif));
	req->stack = cfg->stack;
	req->link_timeout_ms = cfg->link_timeout_s * 1000;
	req->dhcp_timeout_ms = cfg->dhcp_timeout_s * 1000;
	strcpy(req->vendor_class, "nfsinit");
}

/* A DHCP server that is down or slow now may answer in a minute: the whole
 * stage is retried until nfsinit.net.timeout. */
static void bring_up(struct boot *b)
{
	const struct nfsinit_config *cfg = &b->cfg;
	struct net_request req;
	struct backoff bo;
	int rc;

	network_request(cfg, &req);
	backoff_start(&bo, cfg->net_timeout_s * 1000, 1000, 16000);
	for (;;) {
		/* The last attempt gets only what is left of nfsinit.net.timeout. */
		long long left = (long long)cfg->net_timeout_s * 1000 - backoff_elapsed(&bo);
		req.dhcp_timeout_ms = left < (long long)cfg->dhcp_timeout_s * 1000 ?
			(unsigned)(left > 1000 ? left : 1000) : cfg->dhcp_timeout_s * 1000;
		if (!(rc = netcfg_up(&req, &b->lease)))
			break;
		logerr(rc, "net: no usable network interface configuration");
		if (!backoff_wait(&bo, "net")) {
			long long ms = backoff_elapsed(&bo);
			logx("net: giving up after %d attempts in %lld.%01lld s (nfsinit.net.timeout=%u, "
			     "nfsinit.dhcp.timeout=%u per attempt)", bo.attempts, ms / 1000, (ms % 1000) / 100,
			     cfg->net_timeout_s, cfg->dhcp_timeout_s);
			boot_failed(cfg, "network");
		}
	}
	b->have_lease = true;
}

/* nfsinit.log= or syslog.server= win over DHCP option 7; a malformed one
 * was already named on the console and means no remote log. */
static void start_remote_log(struct boot *b)
{
	struct syslog_target t = b->cfg.log;
	char name[NI_HOSTNAME_MAX];
	if (b->cfg.log_bad || (!b->cfg.log_given && !b->lease.log_server.s_addr))
		return;
	if (!b->cfg.log_given)
		t = (struct syslog_target){ b->lease.log_server, SYSLOG_PORT };
	if (b->lease.hostname[0])
		snprintf(name, sizeof(name), "%s", b->lease.hostname);
	else
		nodeid_default_hostname(b->lease.mac, name, sizeof(name));
	(void)rlog_start(&t, name, b->lease.mac, b->lease.addr); /* it says what failed */
}

static void stage_network(struct boot *b)
{
	int rc;
	stage_begin("network");
	if (b->cfg.ip.method == IP_METHOD_OFF) {
		logx("net: ip=off, leaving the network as the kernel set it up");
		stage_end();
		return;
	}
	bring_up(b);
	start_remote_log(b);
	/* /run moves into the new root: its udev finds the file there. */
	if ((rc = linkfile_write(&b->lease, "/run")))
		logerr(rc, "net: writing /run/systemd/network/10-nfsinit-%s.link (udev may try to rename %s)",
		       b->lease.ifname, b->lease.ifname);
	stage_end();
}

/* The command line wins; the DHCP root-path fills in when none was given. */
static void resolve_root(struct boot *b, char *server, size_t cap)
{
	const struct net_lease *lease = b->have_lease ? &b->lease : NULL;
	struct nfs_root *root = &b->root;
	struct err_reason err;
	struct in_addr srv = { INADDR_ANY };

	if (b->cfg.root_other[0]) {
		logx("root: %s is not an NFS root this image can boot (see the line above if it was malformed)",
		     b->cfg.root_other);
		boot_failed(&b->cfg, "root");
	}
	*root = b->cfg.root;
	if (!root->given) {
		if (!lease || !lease->root_path[0]) {
			logx("root: no root given: neither root=/nfsroot= on the command line nor a root-path "
			     "(DHCP option 17) from the server");
			boot_failed(&b->cfg, "root");
		}
		if (nfsroot_parse_dhcp(lease->root_path, root, &err)) {
			logx("root: DHCP root-path '%s': %s", lease->root_path, err.msg);
			boot_failed(&b->cfg, "root");
		}
		logx("root: from DHCP root-path %s", lease->root_path);
	}
	if (root->server[0]) {
		snprintf(server, cap, "%s", root->server);
		return;
	}
	/* nfsroot.rst: the server is ip='s server-ip, else the boot server. */
	if (b->cfg.ip.server.s_addr != INADDR_ANY)
		srv = b->cfg.ip.server;
	else if (lease && lease->next_server.s_addr != INADDR_ANY)
		srv = lease->next_server;
	else if (lease)
		srv = lease->server_id;
	if (srv.s_addr == INADDR_ANY) {
		logx("root: no NFS server: give nfsroot=<server>:<path> or ip=::<server>... ");
		boot_failed(&b->cfg, "root");
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

/* Mounts the export resolve_root found; b->server is the one that answered. */
/* The root path names a file: mount its directory from the server that said
 * so, and the file as an image (in RAM with nfsinit.root.ram) on NFSINIT_LOWER. */
static void mount_image(struct boot *b, const char *client)
{
	struct nfs_root dir = b->root;
	char path[NI_PATH_MAX], used[NI_HOST_MAX];
	char *slash;

	if (nfsroot_expand_path(b->root.path, client, path, sizeof(path)) || !(slash = strrchr(path, '/')) ||
	    !slash[1]) {
		logx("root: %s:%s: no file name to boot from", b->server, b->root.path);
		boot_failed(&b->cfg, "root");
	}
	snprintf(dir.path, sizeof(dir.path), "%.*s", slash == path ? 1 : (int)(slash - path), path);
	snprintf(b->image_what, sizeof(b->image_what), "%s:%s", b->server, path);
	struct image_verity_opts vo = { b->cfg.root_verity, b->cfg.root_verity_oncorrupt };
	if (nfs_mount_root(&dir, b->server, b->have_lease ? b->lease.mac : NULL, client, NULL, NFSINIT_IMAGEDIR,
			   b->cfg.root_timeout_s * 1000, used, sizeof(used)) ||
	    image_root_mount(slash + 1, b->image_what, b->cfg.root_ram, vo.root_hash[0] ? &vo : NULL, NFSINIT_LOWER,
			     &b->image))
		boot_failed(&b->cfg, "root");
	b->root_is_image = true;
	if (strcmp(b->image.resolved, slash + 1))
		logx("root: %s resolved to %s", b->image_what, b->image.resolved);
	snprintf(b->image_resolved, sizeof(b->image_resolved), "%s:%s/%s", b->server,
		 dir.path[1] ? dir.path : "", b->image.resolved);
}

/* An image file without IMGVER_PATH is named by its version (the name the
 * current link resolved to, less .squashfs/.erofs). */
static void version_from_name(const struct image_root *img, char *out, size_t cap)
{
	const char *base = strrchr(img->resolved, '/');
	base = base ? base + 1 : img->resolved;
	if (!image_name_version(base, out, cap))
		logx("root: image version %s (from the file name %s)", out, base);
	else
		out[0] = '\0';
}

static int lookup_server(void *ctx, const char *name, unsigned timeout_ms, char *addr, size_t cap,
			 struct err_reason *err)
{
	return resolve_host(ctx, name, timeout_ms, addr, cap, err);
}

/* NFS server names are asked of the lease's (or ip='s) DNS servers. */
static const struct nfs_resolver *root_resolver(struct boot *b)
{
	if (!b->have_lease)
		return NULL;
	memset(&b->dns, 0, sizeof(b->dns));
	for (int i = 0; i < b->lease.ndns; i++)   /* at most 2 * NI_MAX_DNS: they fit */
		(void)resolve_add_server(&b->dns, AF_INET, &b->lease.dns[i]);
	for (int i = 0; i < b->lease.ndns6; i++)
		(void)resolve_add_server(&b->dns, AF_INET6, &b->lease.dns6[i]);
	b->dns.want4 = b->lease.addr.s_addr != INADDR_ANY;
	b->dns.want6 = b->lease.have6;
	b->resolver = (struct nfs_resolver){ lookup_server, &b->dns };
	return &b->resolver;
}

static void mount_root(struct boot *b)
{
	char client[INET6_ADDRSTRLEN] = "0.0.0.0", servers[NI_HOST_MAX];
	resolve_root(b, servers, sizeof(servers));
	if (b->have_lease) {
		char id[32];
		int rc;
		if (b->lease.addr.s_addr == INADDR_ANY && b->lease.have6)   /* IPv6 only */
			inet_ntop(AF_INET6, &b->lease.addr6, client, sizeof(client));
		else
			inet_ntop(AF_INET, &b->lease.addr, client, sizeof(client));
		/* before the first mount: the client keeps the identity it started with */
		if (clientid_format(b->lease.mac, id, sizeof(id)) > 0 && (rc = clientid_set(CLIENTID_PARAM, id)))
			logerr(rc, "root: setting the NFSv4 client identity %s in %s (nodes may end each other's leases)",
			       id, CLIENTID_PARAM);
		else
			logdbg("root: NFSv4 client identity %s", id);
	}
	(void)mkdir(NFSINIT_RUN, 0755);
	int rc = nfs_mount_root(&b->root, servers, b->have_lease ? b->lease.mac : NULL, client, root_resolver(b),
				NFSINIT_LOWER, b->cfg.root_timeout_s * 1000, b->server, sizeof(b->server));
	if (rc == -ENOTDIR)
		mount_image(b, client);
	else if (rc)
		boot_failed(&b->cfg, "root");
	else if (b->cfg.root_verity[0]) {
		/* only an image file can be verified; a tree would boot unchecked */
		logx("root: nfsinit.root.verity is given, but %s:%s is a directory tree, not an image file: "
		     "not booting it unverified", b->server, b->root.path);
		boot_failed(&b->cfg, "root");
	}
}

/* A root hash that was given but malformed (named at the cmdline stage)
 * never means "boot without checking". */
static void check_verity_param(const struct nfsinit_config *cfg)
{
	if (!cfg->root_verity_bad)
		return;
	logx("root: nfsinit.root.verity is malformed (see the cmdline line above): not booting a root it "
	     "cannot check");
	boot_failed(cfg, "root");
}

static void stage_root(struct boot *b)
{
	struct boot_facts *f = &b->facts;
	stage_begin("root");
	check_verity_param(&b->cfg);
	mount_root(b);
	snprintf(b->source, sizeof(b->source), "%s:%s", b->server, b->root.path);
	f->server = b->server;
	f->root_path = b->root.path;
	f->nfs_source = b->source;
	/* A symlink in the export path (images/current) is resolved by the
	 * server at mount time; the kernel reports the path it got. */
	if (b->root_is_image) {
		f->nfs_resolved = b->image_resolved;
		f->root_mode = b->image.in_ram ? "ram" : "image";
		f->root_verity = b->image.verified ? b->cfg.root_verity : NULL;
	} else if (!mountinfo_read_source(NFSINIT_LOWER, b->resolved, sizeof(b->resolved))) {
		f->nfs_resolved = b->resolved;
		if (strcmp(b->resolved, b->source))
			logx("root: %s resolved to %s", b->source, b->resolved);
	}
	read_image_version(b->image_version, sizeof(b->image_version), b->source);
	if (!b->image_version[0] && b->root_is_image)
		version_from_name(&b->image, b->image_version, sizeof(b->image_version));
	f->image_version = b->image_version[0] ? b->image_version : NULL;
	rlog_set_root(b->server, b->root.path, b->image_version);
	stage_end();
}

/* No overlayfs and no aufs in this kernel is not a reason to leave a node
 * down: fall back to a read-only root with writable copies (README). */
static void stage_overlay(struct boot *b)
{
	int rc;
	stage_begin("overlay");
	rc = overlay_assemble(NFSINIT_LOWER, b->cfg.overlay_size, NFSINIT_NEWROOT);
	if (rc == -ENODEV) {
		logx("overlay: neither overlayfs nor aufs in this kernel; falling back to a read-only root "
		     "with writable %s (nfsinit.rwpaths)", b->cfg.rw_paths);
		rc = rofallback_assemble(NFSINIT_LOWER, NFSINIT_NEWROOT, b->cfg.rw_paths);
	}
	if (rc)
		boot_failed(&b->cfg, "overlay");
	stage_end();
}

static void stage_handover(struct boot *b, char *self)
{
	stage_begin("handover");
	if (b->have_lease)
		netcfg_handover(&b->lease, NFSINIT_NEWROOT, self);
	stage_end();
}

static void stage_identity(struct boot *b)
{
	stage_begin("identity");
	config_identity_opts(&b->cfg, &b->identity);
	identity_stage(&b->identity, b->have_lease ? &b->lease : NULL, b->server, b->root.path, NFSINIT_LOWER,
		       NFSINIT_NEWROOT, &b->facts.hostname, &b->facts.machine_id);
	stage_end();
	b->facts.overlay_size = b->cfg.overlay_size;
	b->facts.init = b->cfg.init;
}

__attribute__((noreturn)) static void stage_switch(struct boot *b, char **argv)
{
	int rc;
	stage_begin("switch");
	mod_helper_restore();
	state_save(&b->facts);
	{
		char why[NI_PATH_MAX + 24];
		snprintf(why, sizeof(why), "switching root to %s", b->cfg.init);
		state_report(NULL, why);
	}
	argv[0] = b->cfg.init;
	rc = switch_root(NFSINIT_NEWROOT, b->cfg.init, argv);
	logerr(rc, "switch: could not start %s", b->cfg.init);
	boot_failed(&b->cfg, "switch");
}

/* The kernel runs us as its module helper (MOD_PROBE_HELPER links here),
 * "modprobe -q -- <name>"; the second test covers a path to /init itself. */
static bool run_as_modprobe(int argc, char **argv)
{
	const char *self = strrchr(argv[0], '/');
	return strcmp(self ? self + 1 : argv[0], "modprobe") == 0 || (argc > 1 && strcmp(argv[1], "-q") == 0);
}

int main(int argc, char **argv)
{
	static struct boot b;

	if (getpid() != 1 && run_as_modprobe(argc, argv))
		return mod_probe_main(argc, argv);
	if (getpid() != 1) {
		static const char msg[] = "nfsinit: this is the initramfs /init and must run as PID 1\n";
		(void)!write(2, msg, sizeof(msg) - 1);
		return 1;
	}
	stage_early();
	stage_cmdline(&b);
	run_hooks(&b, HOOKS_EARLY, false);
	stage_modules(&b);
	start_root_modules(&b);
	run_hooks(&b, HOOKS_PRE_NET, false);
	stage_network(&b);
	stage_wait_modules();
	run_hooks(&b, HOOKS_PRE_MOUNT, false);
	stage_root(&b);
	stage_overlay(&b);
	stage_handover(&b, argv[0]);
	stage_identity(&b);
	run_hooks(&b, HOOKS_PRE_SWITCH, true);
	stage_switch(&b, argv);
}
