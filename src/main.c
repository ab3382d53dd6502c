/* deploydesk: deployment governance from a terminal. */
#include <locale.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "config.h"
#include "util/i18n.h"

int
main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
#ifdef ENABLE_NLS
	{
		/* For running from the build tree (the tests): a catalogue
		 * directory other than the installed one. secure_getenv, so
		 * that a privileged install never takes it from the caller. */
		const char *dir = secure_getenv("DEPLOYDESK_LOCALEDIR");

		bindtextdomain(PACKAGE, dir && *dir ? dir : LOCALEDIR);
		textdomain(PACKAGE);
	}
#endif
	return cli_main(argc, argv);
}
