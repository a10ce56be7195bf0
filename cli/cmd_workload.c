/* cmd_workload.c - `vhptsim workload FILE.yaml [-o OUT.vtr]`: an experiment's synthetic stream
 * written as a vtrace file, e.g. to replay it exactly, convert it to Ski, or inspect it. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../config/run_config.h"
#include "../workloads/workload.h"
#include "cli_util.h"
#include "commands.h"

static void workload_usage(FILE *out)
{
    fputs("Usage: vhptsim workload [OPTIONS] FILE.yaml\n"
          "\n"
          "Writes the event stream of the experiment's synthetic workload (its 'workload:' section,\n"
          "seed, vcpus and run.length; docs/workloads.md) as a vtrace file (docs/vtrace.md). The\n"
          "stream holds references, context switches and munmap/exit marks, not TLB operations:\n"
          "replaying it needs the guest OS model ('source: vtrace' with guest.enabled).\n"
          "\n"
          "Options:\n"
          "  -o, --output OUT.vtr   write here (atomically: OUT.vtr.tmp-PID, then renamed);\n"
          "                         default standard output\n"
          "  -h, --help             show this help\n"
          "\n"
          "Exit status: 0 success, 1 I/O failure, 2 bad experiment file.\n",
          out);
}

int cmd_workload(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *out_path = NULL;
    int ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        if (ch == 'o') {
            out_path = optarg;
        } else if (ch == 'h') {
            workload_usage(stdout);
            return EXIT_OK;
        } else {
            cli_error("workload: unknown or incomplete option '%s' (try 'vhptsim workload --help')", argv[optind - 1]);
            return EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        cli_error("workload: expected one experiment file (try 'vhptsim workload --help')");
        return EXIT_USAGE;
    }
    static struct run_config c;
    char err[1024];
    run_config_default(&c);
    if (run_config_load(&c, argv[optind], err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return EXIT_USAGE;
    }
    if (c.source != SOURCE_GENERATOR) {
        cli_error("workload: %s has no synthetic workload (source is not 'generator')", argv[optind]);
        return EXIT_USAGE;
    }
    if (!out_path)
        return workload_write_vtrace(&c.workload, stdout) == 0 && fflush(stdout) == 0 ? EXIT_OK : EXIT_RUNTIME;

    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", out_path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    if (!f) {
        cli_error("workload: cannot create %s", tmp);
        return EXIT_RUNTIME;
    }
    const int ok = workload_write_vtrace(&c.workload, f) == 0;
    if (fclose(f) != 0 || !ok || rename(tmp, out_path) != 0) {
        remove(tmp);
        cli_error("workload: cannot write %s", out_path);
        return EXIT_RUNTIME;
    }
    return EXIT_OK;
}
