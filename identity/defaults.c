/* What a node gets with no templates at all. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "etctext.h"
#include "facts.h"
#include "identity.h"
#include "../netcfg/handover.h"
#include "safefs.h"
#include "../common/log.h"

#define HOSTS_MAX (64 * 1024)

static void put(int rootfd, const char *rel, const void *data, size_t len, mode_t mode)
{
	struct err_reason why;
	if (safe_write(rootfd, rel, data, len, mode, 0, 0, &why))
		logx("identity: /%s not written: %s", rel, why.msg);
}

static void hosts(int rootfd, const struct ident *id)
{
	static char old[HOSTS_MAX], out[HOSTS_MAX + 512];
	struct err_reason why;
	size_t len = 0;
	int rc = safe_read(rootfd, "etc/hosts", old, sizeof(old), &len, &why);
	if (rc && rc != -ENOENT) {
		logx("identity: /etc/hosts from the shared root: %s; writing a fresh one", why.msg);
		len = 0;
	}
	rc = etc_hosts_text(old, len, id->ip, id->fqdn, id->hostname, out, sizeof(out));
	if (rc < 0)
		logerr(rc, "identity: /etc/hosts");
	else
		put(rootfd, "etc/hosts", out, (size_t)rc, 0644);
}

void identity_default_resolv(int rootfd, const struct ident *id, const struct net_lease *lease)
{
	char text[1024];
	struct err_reason why;
	const char *leaf;
	struct stat st;
	int dfd, rc;

	if (!lease)
		return;
	if (safe_parent(rootfd, "etc/resolv.conf", true, &dfd, &leaf, &why)) {
		logx("identity: /etc/resolv.conf: %s", why.msg);
		return;
	}
	rc = fstatat(dfd, leaf, &st, AT_SYMLINK_NOFOLLOW);
	close(dfd);
	/* A symlink belongs to a resolver (systemd-resolved, resolvconf) that gets
	 * the lease's servers itself; a plain file is the image's static guess,
	 * which the node's own network configuration replaces. */
	if (rc == 0 && S_ISLNK(st.st_mode))
		return;
	struct net_lease l = *lease;
	if (!l.domain[0]) /* e.g. the domain part of a DHCP host name */
		snprintf(l.domain, sizeof(l.domain), "%s", id->domain);
	(void)handover_sanitize(&l); /* names that are not DNS names stay out; the network stage logged them */
	rc = handover_render(HANDOVER_RESOLV, &l, text, sizeof(text));
	if (rc == -ENODATA)
		logdbg("identity: no DNS server or domain from the network stage; /etc/resolv.conf left as it is");
	else if (rc < 0)
		logerr(rc, "identity: /etc/resolv.conf");
	else
		put(rootfd, "etc/resolv.conf", text, (size_t)rc, 0644);
}

void identity_defaults(int rootfd, const struct ident *id, const struct net_lease *lease)
{
	static const struct { const char *rel; mode_t mode; } dirs[] = {
		{ "tmp", 01777 }, { "var/tmp", 01777 }, { "var/log", 0755 },
		{ "var/lib", 0755 }, { "var/cache", 0755 },
	};
	char line[NI_HOSTNAME_MAX + NI_DOMAIN_MAX + 2];
	struct err_reason why;

	snprintf(line, sizeof(line), "%s\n", id->hostname);
	put(rootfd, "etc/hostname", line, strlen(line), 0644);
	hosts(rootfd, id);
	if (id->machine_id[0]) {
		snprintf(line, sizeof(line), "%s\n", id->machine_id);
		put(rootfd, "etc/machine-id", line, strlen(line), 0444);
	}
	if (id->have_mac) {
		/* glibc's sethostid(3) format: the 32-bit id in host byte order. */
		uint32_t hid = id->hostid;
		put(rootfd, "etc/hostid", &hid, sizeof(hid), 0644);
	}
	identity_default_resolv(rootfd, id, lease);
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (safe_mkdir(rootfd, dirs[i].rel, dirs[i].mode, 0, 0, &why))
			logx("identity: /%s: %s", dirs[i].rel, why.msg);
}
