/* cmd_replay.c - `vhptsim replay FILE`: functional replay of a vtrace or system-mode Ski trace,
 * counters, state dump. */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../config/param_set.h"
#include "../config/run_config.h"
#include "../model/platform/counters.h"
#include "../model/platform/platform.h"
#include "../model/platform/state_dump.h"
#include "../trace/ski_reader.h"
#include "../trace/vtrace.h"
#include "cli_util.h"
#include "commands.h"

static void replay_usage(FILE *out)
{
    fputs("Usage: vhptsim replay [OPTIONS] FILE\n"
          "\n"
          "Replays a vtrace file (docs/vtrace.md; '-' reads standard input) event by event\n"
          "through the machine TLB, the hardware VHPT walker and the KVM/ia64 VMM paths, then\n"
          "prints one 'name value' line per counter (docs/stats.md). No time is charged.\n"
          "A file not named '.vtr' is a Ski trace: a system-mode one (docs/ski-traces.md,\n"
          "\"System mode\") is replayed driven by the guest's own TLB operations, its references\n"
          "compared with the interruptions it shows (divergence.* counters).\n"
          "\n"
          "Input:\n"
          "  --from ski|vtrace     the input format (default: '.vtr' or '-' = vtrace, else ski)\n"
          "\n"
          "Output:\n"
          "  --dump-state          print the final VMM and machine TLB state of every vCPU\n"
          "                        (docs/state-dump.md) instead of the counters\n"
          "  --counters            with --dump-state, print the counters first, then the dump\n"
          "\n"
          "Model parameters: the experiment schema's 'seed', 'machine' and 'vmm' keys\n"
          "(docs/config.md; defaults are KVM/ia64's of April 2008 on Itanium 2, docs/replay.md):\n"
          "  -c, --config FILE     take them from an experiment file (its other keys are checked\n"
          "                        but have no effect: replay runs no guest OS model)\n"
          "  --set KEY=VALUE       set one by its dotted path, checked as in a file, e.g.\n"
          "                        --set vmm.page_size=64K --set machine.dtlb.l1.ways=4\n"
          "                        --set 'machine.walker_hit=[0, 0.9, 0.1]' --set vmm.ptce_count=[2,3]\n"
          "Short forms of frequent keys:\n"
          "  --vtlb-size BYTES     vmm.vtlb_size (a power of two, 32K..1G; default 128K)\n"
          "  --vhpt-size BYTES     vmm.vhpt_size (a power of two, 32K..1G; default 256K)\n"
          "  --itlb-l1 N, --itlb-l2 N, --dtlb-l1 N, --dtlb-l2 N\n"
          "                        machine.{itlb,dtlb}.{l1,l2}.entries (L1 32, L2 128; an L1 of\n"
          "                        0 entries is absent; the dump lists the L2 level)\n"
          "  --seed N              seed (random TLB replacement, the walker's cache draws)\n"
          "\n"
          "  -h, --help            show this help\n"
          "\n"
          "BYTES takes a K, M, G, T, P or E suffix. Exit status: 0 success, 1 I/O failure,\n"
          "2 bad arguments or a bad trace (the message names FILE:LINE:COLUMN, the byte offset\n"
          "in a Ski trace, or the option).\n",
          out);
}

enum { OPT_DUMP = 256, OPT_COUNTERS, OPT_SET, OPT_FROM, OPT_ALIAS };

/* The short forms: each is one key of the schema, its value written as in a file. */
static const struct {
    const char *option, *key;
} aliases[] = {
    {"vtlb-size", "vmm.vtlb_size"},
    {"vhpt-size", "vmm.vhpt_size"},
    {"itlb-l1", "machine.itlb.l1.entries"},
    {"itlb-l2", "machine.itlb.l2.entries"},
    {"dtlb-l1", "machine.dtlb.l1.entries"},
    {"dtlb-l2", "machine.dtlb.l2.entries"},
    {"seed", "seed"},
};
#define N_ALIASES (sizeof aliases / sizeof aliases[0])

static const struct option replay_options[] = {
    {"dump-state", no_argument, NULL, OPT_DUMP},
    {"counters", no_argument, NULL, OPT_COUNTERS},
    {"from", required_argument, NULL, OPT_FROM},
    {"config", required_argument, NULL, 'c'},
    {"set", required_argument, NULL, OPT_SET},
    {"vtlb-size", required_argument, NULL, OPT_ALIAS + 0},
    {"vhpt-size", required_argument, NULL, OPT_ALIAS + 1},
    {"itlb-l1", required_argument, NULL, OPT_ALIAS + 2},
    {"itlb-l2", required_argument, NULL, OPT_ALIAS + 3},
    {"dtlb-l1", required_argument, NULL, OPT_ALIAS + 4},
    {"dtlb-l2", required_argument, NULL, OPT_ALIAS + 5},
    {"seed", required_argument, NULL, OPT_ALIAS + 6},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* An override of a key replay has no use for is refused: it would silently do nothing. */
static int replay_key(const char *key)
{
    return strcmp(key, "seed") == 0 || strncmp(key, "machine.", 8) == 0 || strcmp(key, "machine") == 0 ||
           strncmp(key, "vmm.", 4) == 0 || strcmp(key, "vmm") == 0;
}

struct replay_override {
    const char *option; /* "--set" or the short form */
    char key[128];
    const char *value;
};

/* Options -> the model parameters, through the experiment schema. 1 after --help; -1 on a bad
 * option (printed). */
static int parse_options(int argc, char **argv, struct platform_params *pp, bool *dump, bool *counters, int *ski)
{
    static struct replay_override ov[CONFIG_DOC_MAX_OPTIONS];
    size_t n_ov = 0;
    const char *config = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "c:h", replay_options, NULL)) != -1) {
        if (c >= OPT_ALIAS && c < OPT_ALIAS + (int)N_ALIASES) {
            if (n_ov == CONFIG_DOC_MAX_OPTIONS)
                goto too_many;
            ov[n_ov].option = aliases[c - OPT_ALIAS].option;
            snprintf(ov[n_ov].key, sizeof ov[n_ov].key, "%s", aliases[c - OPT_ALIAS].key);
            ov[n_ov++].value = optarg;
            continue;
        }
        switch (c) {
        case 'h':
            replay_usage(stdout);
            return 1;
        case OPT_DUMP:
            *dump = true;
            break;
        case OPT_COUNTERS:
            *counters = true;
            break;
        case OPT_FROM:
            if (strcmp(optarg, "ski") == 0 || strcmp(optarg, "vtrace") == 0) {
                *ski = optarg[0] == 's';
                break;
            }
            fprintf(stderr, "--from %s: error: unknown format (known: ski, vtrace)\n", optarg);
            return -1;
        case 'c':
            config = optarg;
            break;
        case OPT_SET: {
            const char *eq = strchr(optarg, '=');
            if (n_ov == CONFIG_DOC_MAX_OPTIONS)
                goto too_many;
            if (!eq || eq == optarg || (size_t)(eq - optarg) >= sizeof ov[0].key) {
                fprintf(stderr, "--set %s: error: expected KEY=VALUE with KEY a dotted path (e.g. vmm.vtlb_size=1M)\n",
                        optarg);
                return -1;
            }
            ov[n_ov].option = NULL;
            snprintf(ov[n_ov].key, sizeof ov[n_ov].key, "%.*s", (int)(eq - optarg), optarg);
            ov[n_ov++].value = eq + 1;
            if (!replay_key(ov[n_ov - 1].key)) {
                fprintf(stderr, "--set %s: error: '%s' has no effect on replay, which takes seed, machine.* and vmm.* "
                                "(docs/replay.md)\n",
                        optarg, ov[n_ov - 1].key);
                return -1;
            }
            break;
        }
        case '?':
        default:
            if (optopt && optopt < 256)
                cli_error("replay: unknown option '-%c' (try 'vhptsim replay --help')", optopt);
            else
                cli_error("replay: unknown or incomplete option '%s' (try 'vhptsim replay --help')", argv[optind - 1]);
            return -1;
        }
    }
    struct config_doc d;
    char err[1024];
    static struct run_config rc; /* large: off the stack */
    int status = config_doc_load(&d, config, err, sizeof err);
    /* a study's file: its sweep and report are no part of one configuration; replay takes the
     * file's own values, and says so rather than refusing the file or ignoring them silently */
    static const char *const study_keys[] = {"sweep", "report"};
    for (size_t i = 0; status == 0 && config && i < 2; i++) {
        const yaml_node_t *k = config_doc_key_node(&d, study_keys[i]);
        if (!k)
            continue;
        char place[1200];
        const struct schema_ctx ctx = config_doc_ctx(&d, err, sizeof err);
        schema_place(&ctx, k->start_mark, place, sizeof place);
        fprintf(stderr, "%s: warning: '%s' has no effect on replay, which takes the file's own values (a study's "
                        "point: -c DIR/inputs/<point>.yaml)\n",
                place, study_keys[i]);
        config_doc_take(&d, study_keys[i]);
    }
    for (size_t i = 0; status == 0 && i < n_ov; i++) {
        char origin[512];
        if (ov[i].option)
            snprintf(origin, sizeof origin, "--%s %s", ov[i].option, ov[i].value);
        else
            snprintf(origin, sizeof origin, "--set %s=%s", ov[i].key, ov[i].value);
        status = config_doc_set_value(&d, origin, ov[i].key, ov[i].value, err, sizeof err);
    }
    if (status == 0) {
        run_config_default(&rc);
        status = run_config_from_doc(&rc, &d, err, sizeof err);
    }
    config_doc_free(&d);
    if (status != 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    *pp = rc.platform;
    return 0;
too_many:
    cli_error("replay: more than %d parameter options", CONFIG_DOC_MAX_OPTIONS);
    return -1;
}

/* The trace being replayed: a vtrace file or a Ski trace. */
struct replay_source {
    struct vtrace_reader *vt;
    struct ski_reader *ski;
};

/* 1 event, 0 end, -1 error (printed); *status set on error. */
static int source_next(struct replay_source *s, struct guest_event *ev, int *status)
{
    const int rc = s->vt ? vtrace_next(s->vt, ev) : ski_next(s->ski, ev);
    if (rc < 0) {
        fprintf(stderr, "%s\n", s->vt ? vtrace_reader_error(s->vt) : ski_reader_error(s->ski));
        *status = s->ski && ski_reader_io_error(s->ski) ? EXIT_RUNTIME : EXIT_USAGE;
    }
    return rc;
}

static void source_close(struct replay_source *s)
{
    if (s->vt)
        vtrace_close(s->vt);
    ski_close(s->ski);
}

int cmd_replay(int argc, char **argv)
{
    struct platform_params pp;
    bool dump = false, counters = false;
    int ski = -1; /* -1: from the name */
    const int rc = parse_options(argc, argv, &pp, &dump, &counters, &ski);
    if (rc != 0)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (optind != argc - 1) {
        cli_error("replay: expected one trace file (try 'vhptsim replay --help')");
        return EXIT_USAGE;
    }
    const char *bad = platform_params_check(&pp);
    if (bad) {
        cli_error("replay: %s", bad);
        return EXIT_USAGE;
    }
    const char *path = argv[optind];
    if (ski < 0) {
        const size_t n = strlen(path);
        ski = strcmp(path, "-") != 0 && !(n >= 4 && strcmp(path + n - 4, ".vtr") == 0);
    }

    char err[512];
    struct replay_source src = {NULL, NULL};
    if (ski)
        src.ski = ski_open(path, SKI_IFETCH_BUNDLE, err, sizeof err);
    else
        src.vt = vtrace_open(path, err, sizeof err);
    if (!src.vt && !src.ski) {
        fprintf(stderr, "%s\n", err); /* it names the file first */
        return EXIT_USAGE;
    }
    if (src.ski && !ski_reader_system(src.ski)) {
        /* judged user mode from its first records: a cut or corrupt trace says so first (a
         * system-mode trace cut short looks like a user-mode one) */
        if (ski_skip_to_end(src.ski) < 0) {
            fprintf(stderr, "%s\n", ski_reader_error(src.ski));
            const int st = ski_reader_io_error(src.ski) ? EXIT_RUNTIME : EXIT_USAGE;
            source_close(&src);
            return st;
        }
        fprintf(stderr, "%s: error: a user-mode Ski trace carries no TLB operations: replay it through the guest OS "
                        "model ('vhptsim run', source: ski; docs/ski-traces.md)\n", path);
        source_close(&src);
        return EXIT_USAGE;
    }
    int status = EXIT_OK;
    struct guest_event ev;
    int got = source_next(&src, &ev, &status); /* the vcpus directive precedes the first event */
    pp.nr_vcpus = src.vt ? vtrace_vcpus(src.vt) : 1;
    struct platform p;
    if (got < 0) {
        source_close(&src);
        return status;
    }
    if (platform_init(&p, &pp, err, sizeof err) != 0) {
        cli_error("replay: %s", err);
        source_close(&src);
        return EXIT_RUNTIME;
    }
    /* the listing then has cpuN.instructions (a Ski trace counts its CAPSULEs; a vtrace with
     * insns_per_ifetch N), and the trace.* / divergence.* counters for a system-mode Ski trace */
    p.counts_insns = src.ski ? 1 : vtrace_insns_per_ifetch(src.vt) > 0;
    p.traced = src.ski != NULL; /* user-mode Ski traces were refused above */
    while (got > 0) {
        if (ev.cpu >= p.nr_vcpus) {
            fprintf(stderr, "%s: offset %llu: error: processor %u: system-mode Ski traces of one processor only\n",
                    path, (unsigned long long)ski_reader_offset(src.ski), (unsigned)ev.cpu);
            status = EXIT_USAGE;
            break;
        }
        struct ref_result res;
        platform_event(&p, &ev, &res);
        got = source_next(&src, &ev, &status);
    }
    source_close(&src);
    if (status != EXIT_OK) {
        platform_free(&p);
        return status;
    }
    platform_finish(&p);

    if (!dump || counters)
        if (platform_counters_print(&p, stdout) != 0)
            status = EXIT_RUNTIME;
    if (dump && platform_dump_state(&p, stdout) != 0)
        status = EXIT_RUNTIME;
    if (fflush(stdout) != 0)
        status = EXIT_RUNTIME;
    if (status != EXIT_OK)
        cli_error("replay: cannot write the output");
    platform_free(&p);
    return status;
}
