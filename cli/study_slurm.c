/* study_slurm.c - placeholder */
#include "cli_util.h"
#include "study.h"
int study_slurm_run(struct study *st, struct progress *pr)
{
    (void)st; (void)pr;
    cli_error("run: --backend slurm: not yet");
    return -1;
}
