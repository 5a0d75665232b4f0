/* Print the seccomp table of every role (common/sandbox.c) as the Markdown
 * section of docs/security.md; tests/integration/t_sandbox_doc.sh compares. */
#include <stdio.h>

#include "sandbox.h"

int main(void)
{
	sandbox_table_markdown(stdout);
	return fflush(stdout) == 0 ? 0 : 1;
}
