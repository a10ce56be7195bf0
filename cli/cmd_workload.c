/* cmd_workload.c - `vhptsim workload FILE.yaml [-o OUT.vtr]`: an experiment's synthetic stream
 * written as a vtrace file, e.g. to replay it exactly, convert it to Ski, or inspect it. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../config/run_config.h"
#include "../workloads/workload.h"
#include "cli_util.h"
#include "out_file.h"
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
          "  -o, --output OUT.vtr   write here (atomically: OUT.vtr.tmp-PID, then renamed;\n"
          "                         nothing is left behind on failure or a signal);\n"
          "                         default standard output\n"
          "  -f, --force            replace OUT.vtr if it exists (never a directory, device\n"
          "                         or link)\n"
          "  -h, --help             show this help\n"
          "\n"
          "Exit status: 0 success, 1 I/O failure, 2 bad experiment file, or OUT.vtr exists\n"
          "(without --force) or cannot be written there.\n",
          out);
}

int cmd_workload(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"force", no_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *out_path = NULL;
    int ch, force = 0;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "o:fh", opts, NULL)) != -1) {
        if (ch == 'o') {
            out_path = optarg;
        } else if (ch == 'f') {
            force = 1;
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

    static struct out_file out; /* its paths: the signal handler's */
    const int rc = out_file_open(&out, "workload", out_path, force);
    if (rc != EXIT_OK)
        return rc;
    if (workload_write_vtrace(&c.workload, out.f) != 0) {
        cli_error("workload: cannot write %s: %s", out.tmp, strerror(errno ? errno : EIO));
        out_file_abort(&out);
        return EXIT_RUNTIME;
    }
    return out_file_commit(&out, "workload");
}
