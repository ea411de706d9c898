#include "failure.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include "state.h"
#include "../common/remotelog.h"
#include "../common/log.h"
#include "../mounts/mounts.h"

/* /bin/sh if the image has one, else busybox's own sh applet (an image built
 * with just /bin/busybox and no applet links). NULL: no shell at all. */
static const char *rescue_shell(void)
{
	if (access("/bin/sh", X_OK) == 0)
		return "/bin/sh";
	if (access("/bin/busybox", X_OK) == 0)
		return "/bin/busybox";
	return NULL;
}

static enum onfail effective(const struct nfsinit_config *cfg)
{
	if (cfg->onfail != ONFAIL_DEFAULT)
		return cfg->onfail;
	return rescue_shell() ? ONFAIL_SHELL : ONFAIL_REBOOT;
}

static void run_shell(void)
{
	const char *sh = rescue_shell();
	pid_t pid = fork();
	if (pid == 0) {
		int fd;
		/* The child has no one to report to but this console: a shell
		 * without job control or without the console is still a shell. */
		(void)setsid();
		fd = open("/dev/console", O_RDWR);
		if (fd >= 0) {
			(void)ioctl(fd, TIOCSCTTY, 1);
			(void)dup2(fd, 0);
			(void)dup2(fd, 1);
			(void)dup2(fd, 2);
		}
		/* argv[0] "sh" is what makes busybox run its shell applet. */
		execl(sh, "sh", "-i", (char *)NULL);
		_exit(127); /* exec failed: the parent sees status 127 */
	}
	if (pid < 0) {
		logerr(errno, "failure: starting %s", sh);
		return;
	}
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

bool failure_shell(const char *why)
{
	if (!rescue_shell()) {
		logx("%s: no /bin/sh nor /bin/busybox in this image (nfsinit-mkimage --busybox)", why);
		return false;
	}
	state_save_log();
	logx("%s: %s on the console (boot log in %s/log); exit it to go on", why, rescue_shell(),
	     NFSINIT_RUN);
	run_shell();
	logx("%s: shell exited", why);
	return true;
}

static __attribute__((noreturn)) void stop_forever(void)
{
	for (;;)
		(void)pause(); /* returns only for a signal; we stay */
}

void boot_failed(const struct nfsinit_config *cfg, const char *stage)
{
	enum onfail what = effective(cfg);
	int delay = CFG_DEFAULT_REBOOT_DELAY_S;

	if (cfg->panic_given) /* the kernel's panic=: <0 at once, 0 never, N seconds */
		delay = cfg->panic_s;
	state_report(stage, NULL); /* the last line is the reason */
	logx("boot failed at stage '%s'", stage);
	/* The report and that line are UDP datagrams still queued on the NIC:
	 * an immediate reboot (panic=-1) would drop them. */
	rlog_flush(RLOG_FLUSH_MAX_MS);
	/* Kept for the rescue shell (and for whoever mounts the tmpfs later). */
	state_save_log();

	if (what == ONFAIL_SHELL) {
		if (rescue_shell()) {
			logx("failure: starting a rescue shell (%s) on the console; the boot log is in %s/log; "
			     "exit the shell to reboot", rescue_shell(), NFSINIT_RUN);
			run_shell();
		} else {
			logx("failure: no /bin/sh nor /bin/busybox in this image (nfsinit-mkimage --busybox); rebooting");
		}
		what = ONFAIL_REBOOT;
	}
	sync();
	if (what == ONFAIL_HALT) {
		logx("failure: halting (nfsinit.onfail=halt)");
		reboot(RB_POWER_OFF);
		logerr(errno, "failure: power-off");
		stop_forever();
	}
	if (delay == 0) {
		logx("failure: panic=0, waiting here; reset the node to retry");
		stop_forever();
	}
	if (delay > 0) {
		logx("failure: rebooting in %d s", delay);
		(void)sleep((unsigned)delay); /* a signal cutting it short only reboots sooner */
	} else {
		logx("failure: rebooting now");
	}
	reboot(RB_AUTOBOOT);
	logerr(errno, "failure: reboot");
	stop_forever();
}
