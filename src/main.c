/* deploydesk: deployment governance from a terminal. */
#include <locale.h>

#include "cli/cli.h"
#include "config.h"
#include "util/i18n.h"

int
main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
#ifdef ENABLE_NLS
	bindtextdomain(PACKAGE, LOCALEDIR);
	textdomain(PACKAGE);
#endif
	return cli_main(argc, argv);
}
