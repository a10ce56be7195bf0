/* vhptsim_main.c - the vhptsim command: dispatch to a subcommand. */
#include <stdio.h>
#include <string.h>

#include "build_info.h"
#include "cli_util.h"
#include "commands.h"

static void usage(FILE *out)
{
    fputs("Usage: vhptsim COMMAND [OPTIONS] ...\n"
          "\n"
          "vhptsim simulates what a virtual TLB costs on IA-64: guest references and TLB\n"
          "instructions replayed through the machine TLB, the hardware VHPT walker and the\n"
          "exact vTLB/VHPT code paths of KVM/ia64 (arch/ia64/kvm/vtlb.c).\n"
          "\n"
          "Commands:\n"
          "  run FILE.yaml     run one experiment on the timed SystemC platform; write the\n"
          "                    resolved config, stats.yaml/.csv, timeseries.csv and run.yaml\n"
          "                    (docs/config.md, docs/results.md)\n"
          "                    with a 'sweep:', a study: every point, summary.csv, a report\n"
          "                    (docs/studies.md)\n"
          "  report DIR        draw the report of a study or a run: gnuplot figures (PNG, SVG),\n"
          "                    index.html, index.md\n"
          "  workload FILE.yaml  write an experiment's synthetic workload as a vtrace file\n"
          "  replay FILE       replay a vtrace or system-mode Ski trace through the functional\n"
          "                    model (parameters: the experiment schema, -c FILE, --set); print counters\n"
          "                    or, with --dump-state, the VMM and machine TLB state\n"
          "  trace info FILE   Ski or vtrace trace statistics: records, instructions, data\n"
          "                    references, distinct pages, regions\n"
          "  trace convert IN OUT  convert Ski <-> vtrace traces\n"
          "  help [COMMAND]    show this help, or the help of COMMAND\n"
          "\n"
          "Options:\n"
          "  -h, --help        show this help\n"
          "  --version         print the version\n"
          "\n"
          "Exit status: 0 success, 1 runtime failure (I/O, memory), 2 bad input or usage.\n"
          "Run 'vhptsim COMMAND --help' for a command's options. Formats: docs/vtrace.md,\n"
          "docs/state-dump.md, docs/stats.md.\n",
          out);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0) {
        usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("vhptsim %s (git commit %s)\n", VHPTSIM_VERSION, VHPTSIM_GIT_COMMIT);
        return EXIT_OK;
    }
    if (strcmp(cmd, "help") == 0) {
        if (argc < 3) {
            usage(stdout);
            return EXIT_OK;
        }
        char help_flag[] = "--help";
        char *sub_argv[] = {argv[2], help_flag, NULL};
        if (strcmp(argv[2], "replay") == 0)
            return cmd_replay(2, sub_argv);
        if (strcmp(argv[2], "run") == 0)
            return cmd_run(2, sub_argv);
        if (strcmp(argv[2], "workload") == 0)
            return cmd_workload(2, sub_argv);
        if (strcmp(argv[2], "trace") == 0)
            return cmd_trace(2, sub_argv);
        if (strcmp(argv[2], "report") == 0)
            return cmd_report(2, sub_argv);
        cli_error("unknown command '%s' (try 'vhptsim --help')", argv[2]);
        return EXIT_USAGE;
    }
    if (strcmp(cmd, "replay") == 0)
        return cmd_replay(argc - 1, argv + 1);
    if (strcmp(cmd, "run") == 0)
        return cmd_run(argc - 1, argv + 1);
    if (strcmp(cmd, "workload") == 0)
        return cmd_workload(argc - 1, argv + 1);
    if (strcmp(cmd, "trace") == 0)
        return cmd_trace(argc - 1, argv + 1);
    if (strcmp(cmd, "report") == 0)
        return cmd_report(argc - 1, argv + 1);
    cli_error("unknown command '%s' (try 'vhptsim --help')", cmd);
    return EXIT_USAGE;
}
