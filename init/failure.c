#include "failure.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include "../common/log.h"

#define RESCUE_SHELL "/bin/sh"

static enum onfail effective(const struct nfsinit_config *cfg)
{
	if (cfg->onfail != ONFAIL_DEFAULT)
		return cfg->onfail;
	return access(RESCUE_SHELL, X_OK) == 0 ? ONFAIL_SHELL : ONFAIL_REBOOT;
}

static void run_shell(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		int fd;
		setsid();
		fd = open("/dev/console", O_RDWR);
		if (fd >= 0) {
			(void)ioctl(fd, TIOCSCTTY, 1);
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execl(RESCUE_SHELL, "sh", "-i", (char *)NULL);
		_exit(127);
	}
	if (pid < 0) {
		logerr(errno, "failure: starting %s", RESCUE_SHELL);
		return;
	}
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

bool failure_shell(const char *why)
{
	if (access(RESCUE_SHELL, X_OK) != 0) {
		logx("%s: no %s in this image (nfsinit-mkimage --busybox, or --add /bin/busybox:/bin/sh)", why,
		     RESCUE_SHELL);
		return false;
	}
	logx("%s: shell on the console; exit it to go on", why);
	run_shell();
	logx("%s: shell exited", why);
	return true;
}

static __attribute__((noreturn)) void stop_forever(void)
{
	for (;;)
		pause();
}

void boot_failed(const struct nfsinit_config *cfg, const char *stage)
{
	enum onfail what = effective(cfg);
	int delay = CFG_DEFAULT_REBOOT_DELAY_S;

	if (cfg->panic_given) /* the kernel's panic=: <0 at once, 0 never, N seconds */
		delay = cfg->panic_s;
	logx("boot failed at stage '%s'", stage);

	if (what == ONFAIL_SHELL) {
		if (access(RESCUE_SHELL, X_OK) == 0) {
			logx("failure: starting a rescue shell on the console; exit it to reboot");
			run_shell();
		} else {
			logx("failure: no %s in this image (build it with a rescue shell); rebooting", RESCUE_SHELL);
		}
		what = ONFAIL_REBOOT;
	}
	sync();
	if (what == ONFAIL_HALT) {
		logx("failure: halting (nfsinit.onfail=halt)");
		reboot(RB_POWER_OFF);
		stop_forever();
	}
	if (delay == 0) {
		logx("failure: panic=0, waiting here; reset the node to retry");
		stop_forever();
	}
	if (delay > 0) {
		logx("failure: rebooting in %d s", delay);
		sleep((unsigned)delay);
	} else {
		logx("failure: rebooting now");
	}
	reboot(RB_AUTOBOOT);
	logerr(errno, "failure: reboot");
	stop_forever();
}
