/* SPDX-License-Identifier: MIT */
/* deploydesk: deployment governance from a terminal. */
#include <locale.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "config.h"
#include "util/i18n.h"
#include "util/priv.h"

int
main(int argc, char **argv)
{
	/* Before anything reads the environment: a setgid run rebuilds it
	 * from validated values (util/priv.c). */
	bool ids_ok = priv_init();

	setlocale(LC_ALL, "");
#ifdef ENABLE_NLS
	{
		/* For running from the build tree (the tests): a catalogue
		 * directory other than the installed one. secure_getenv, so
		 * that a privileged install never takes it from the caller. */
		const char *dir = secure_getenv("DEPLOYDESK_LOCALEDIR");

		bindtextdomain(PACKAGE, dir && *dir ? dir : LOCALEDIR);
		/* Text is UTF-8 inside; it meets the terminal's codeset only
		 * where it is written out (cli-output.c, the screens). */
		bind_textdomain_codeset(PACKAGE, "UTF-8");
		textdomain(PACKAGE);
	}
#endif
	if (!ids_ok) {
		cli_error(_("deploydesk must not be installed setuid: the "
			    "shared install is setgid only (see "
			    "deploydesk(1))"));
		return 1;
	}
	return cli_main(argc, argv);
}
