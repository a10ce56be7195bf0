/* study.c - see study.h: resolving the points, the study directory, resume, the outcome. */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include "study.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../model/stats/provenance.h"
#include "../model/stats/result_dir.h"
#include "../model/util/input_file.h"
#include "../model/util/u64_map.h"
#include "cli_util.h"
#include "report.h"
#include "report_data.h"
#include "signal_cleanup.h"
#include "stat_catalog.h"

int study_wanted(struct config_doc *d)
{
    return config_doc_key_node(d, "sweep") != NULL || config_doc_key_node(d, "report") != NULL;
}

static unsigned core_count(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return (unsigned)CPU_COUNT(&set);
    const long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

void study_point_cmd(const struct study *st, const struct study_point *p, struct study_cmd *cmd)
{
    snprintf(cmd->dir, sizeof cmd->dir, "%s/%s", st->dir, p->name);
    snprintf(cmd->input, sizeof cmd->input, "%s/inputs/%s.yaml", st->dir, p->name);
    size_t n = 0;
    cmd->argv[n++] = st->self;
    cmd->argv[n++] = "run";
    cmd->argv[n++] = "-q";
    /* docs/results.md's rule for a point: a result of another configuration is replaced, one of
     * this configuration is kept unless the study is forced (the run decides under its lock) */
    cmd->argv[n++] = st->opt->force ? "--force" : "--replace";
    cmd->argv[n++] = "-o";
    cmd->argv[n++] = cmd->dir;
    cmd->argv[n++] = cmd->input;
    cmd->argv[n] = NULL;
}

void study_log_path(const struct study *st, const struct study_point *p, char *buf, size_t len)
{
    snprintf(buf, len, "%s/logs/%s.log", st->dir, p->name);
}

int study_point_current(const struct study *st, const struct study_point *p)
{
    char dir[STUDY_PATH_MAX + SWEEP_NAME_MAX + 2];
    snprintf(dir, sizeof dir, "%s/%s", st->dir, p->name);
    return report_point_current(dir, p->config, p->config_len);
}

size_t study_count_done(const struct study *st)
{
    size_t done = 0;
    for (size_t i = 0; i < st->n_points; i++)
        done += st->points[i].run && study_point_current(st, &st->points[i]);
    return done;
}

/* --set KEY=... of a swept key would be overwritten at every point: refuse it. */
static int check_overrides(struct config_doc *d, const struct sweep *s)
{
    for (size_t i = 0; i < d->n_origins; i++) {
        const char *o = d->origins[i];
        const char *key = strchr(o, ' ');
        const char *eq = key ? strchr(key, '=') : NULL;
        if (!eq)
            continue;
        char k[SWEEP_KEY_MAX];
        snprintf(k, sizeof k, "%.*s", (int)(eq - key - 1), key + 1);
        const char *axis = sweep_covers(s, k);
        if (axis) {
            fprintf(stderr, "%s: error: '%s' is swept (sweep: %s); change the sweep instead (e.g. --set 'sweep.%s=[...]')\n",
                    o, k, axis, axis);
            return -1;
        }
    }
    return 0;
}

/* Points i and j (j < i) resolved to the same configuration: two spellings of one value
 * (32K and 32768, 1 and 01). Named at the later value of the first axis where they differ. */
static void same_config_error(const struct study *st, struct config_doc *d, size_t j, size_t i)
{
    size_t a_idx[SWEEP_MAX_AXES], b_idx[SWEEP_MAX_AXES];
    sweep_point_indices(st->sweep, j, a_idx);
    sweep_point_indices(st->sweep, i, b_idx);
    size_t a = 0;
    while (a + 1 < st->sweep->n_axes && a_idx[a] == b_idx[a])
        a++;
    const struct sweep_axis *ax = &st->sweep->axis[a];
    char err[1024];
    const struct schema_ctx ctx = config_doc_ctx(d, err, sizeof err);
    schema_error(&ctx, yaml_document_get_node(&d->doc, ax->value_ids[b_idx[a]]),
                 "sweep value '%s' of '%s' gives the same configuration as '%s' (points %s and %s): a value twice",
                 ax->labels[b_idx[a]], ax->key, ax->labels[a_idx[a]], st->points[j].name, st->points[i].name);
    fprintf(stderr, "%s\n", err);
}

/* Every point resolved through the schema before anything runs: a bad value of any point is
 * reported first, with its place in the file; two points of one configuration are an error. */
static void set_dir(struct study *st);

/* Every report.y name is a statistic the points will write (checked against point 0's machine
 * with every optional group: stat_catalog.h), so that a typo stops the study at its place in the
 * file before anything runs, not under "Not drawn" after. 0, or -1 after printing why. */
static int check_report_y(const struct study *st, struct config_doc *d, const struct run_config *c)
{
    if (!st->report.y_given)
        return 0;
    struct stat_catalog cat;
    char err[1200];
    if (stat_catalog_init(&cat, c, err, sizeof err) != 0) {
        cli_error("run: %s", err);
        return -1;
    }
    int rc = 0;
    for (size_t k = 0; k < st->report.n_y && rc == 0; k++) {
        if (stat_catalog_has(&cat, st->report.y[k]))
            continue;
        const struct schema_ctx ctx = config_doc_ctx(d, err, sizeof err);
        schema_error_at(&ctx, st->report.y_mark[k],
                        "report.y: '%s' is no statistic a point writes (docs/stats.md lists them; a name is looked up "
                        "as written, as vm.<name> and as cpuN.<name>)",
                        st->report.y[k]);
        fprintf(stderr, "%s\n", err);
        rc = -1;
    }
    stat_catalog_free(&cat);
    return rc;
}

static int resolve_points(struct study *st, struct config_doc *d, struct progress *pr)
{
    static struct run_config c; /* large: off the stack */
    char err[1024];
    struct u64_map seen; /* hash of a point's configuration -> the point */
    st->points = calloc(st->sweep->n_points, sizeof *st->points);
    if (!st->points || u64_map_init(&seen) != 0) {
        cli_error("run: out of memory");
        return -1;
    }
    int rc = -1;
    st->n_points = st->sweep->n_points;
    for (size_t i = 0; i < st->n_points; i++) {
        struct study_point *p = &st->points[i];
        sweep_point_name(st->sweep, i, p->name, sizeof p->name);
        run_config_default(&c);
        if (sweep_apply(st->sweep, d, i, err, sizeof err) != 0 || run_config_from_doc(&c, d, err, sizeof err) != 0) {
            fprintf(stderr, "%s\n  (in point %s)\n", err, p->name);
            goto out;
        }
        /* the bytes the point's run writes as its config.yaml (header comment included) */
        if (!(p->config = run_config_text(&c, provenance_config_header(), &p->config_len))) {
            cli_error("run: out of memory");
            goto out;
        }
        const uint64_t h = u64_hash_bytes(p->config, p->config_len);
        const uint64_t *other = u64_map_get(&seen, h);
        if (other && st->points[*other].config_len == p->config_len &&
            memcmp(st->points[*other].config, p->config, p->config_len) == 0) {
            same_config_error(st, d, (size_t)*other, i);
            goto out;
        }
        if (!other && u64_map_put(&seen, h, i) != 0) { /* (a hash shared by two configurations: not compared) */
            cli_error("run: out of memory");
            goto out;
        }
        if (i == 0 && check_report_y(st, d, &c) != 0)
            goto out;
        if (i == 0) { /* the study's name and directory: say what is coming before the rest */
            snprintf(st->name, sizeof st->name, "%s", c.name);
            set_dir(st);
            if (!st->opt->quiet)
                printf("study %s: %zu point%s -> %s/\n", st->name, st->n_points, st->n_points == 1 ? "" : "s", st->dir);
            fflush(stdout);
        }
        if (progress_due(pr))
            progress_show(pr, "study %s: resolving the points: %zu of %zu", st->name, i + 1, st->n_points);
    }
    rc = 0;
out:
    u64_map_free(&seen);
    return rc;
}

/* The output directory: a study's (docs/results.md), locked for the whole study; a new or empty
 * one becomes a study's; anything vhptsim did not write is refused untouched. Its parts listed
 * in its marker before they are written. EXIT_OK or the status. */
static int prepare_dir(struct study *st, struct result_lock *lock)
{
    char err[1536];
    const int rc = result_study_begin(lock, st->dir, st->opt->force ? RESULT_REPLACE_CHANGED : 0, err, sizeof err);
    if (rc != RESULT_OK) {
        cli_error("run: %s%s", err, rc == RESULT_BUSY ? "; is the study running already?" : "");
        return rc == RESULT_REFUSED ? EXIT_USAGE : EXIT_RUNTIME;
    }
    if (result_dir_add_part(st->dir, "study.yaml", RESULT_PART_FILE, err, sizeof err) != 0 ||
        result_dir_add_part(st->dir, "inputs", RESULT_PART_DIR, err, sizeof err) != 0 ||
        result_dir_add_part(st->dir, "logs", RESULT_PART_DIR, err, sizeof err) != 0) {
        cli_error("run: %s", err);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

/* Writes dir/name (listed in dir's marker already) whole or not at all: aside, then renamed. */
static int write_listed(const char *dir, const char *name, const char *text, size_t len)
{
    char path[STUDY_PATH_MAX + SWEEP_NAME_MAX + 16], tmp[STUDY_PATH_MAX + SWEEP_NAME_MAX + 64];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    int ok = f && fwrite(text, 1, len, f) == len;
    if (f && fclose(f) != 0)
        ok = 0;
    if (ok && rename(tmp, path) != 0)
        ok = 0;
    if (!ok) {
        cli_error("run: cannot write %s: %s", path, strerror(errno));
        unlink(tmp);
    }
    return ok ? 0 : -1;
}

/* The same for a file not listed yet. */
static int write_atomic(const char *dir, const char *name, const char *text, size_t len)
{
    char err[1536];
    if (result_dir_add_part(dir, name, RESULT_PART_FILE, err, sizeof err) != 0) {
        cli_error("run: %s", err);
        return -1;
    }
    return write_listed(dir, name, text, len);
}

struct manifest_arg {
    const struct study *st;
};

static int emit_manifest(yaml_emitter_t *em, const void *arg)
{
    const struct study *st = ((const struct manifest_arg *)arg)->st;
    yaml_event_t ev;
    return yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE) && yaml_emitter_emit(em, &ev) &&
                   schema_emit_scalar(em, "name") == 0 && schema_emit_scalar(em, st->name) == 0 &&
                   schema_emit_scalar(em, "sweep") == 0 && sweep_emit(em, st->sweep) == 0 &&
                   schema_emit_scalar(em, "report") == 0 && report_spec_emit(em, &st->report) == 0 &&
                   yaml_mapping_end_event_initialize(&ev) && yaml_emitter_emit(em, &ev)
               ? 0
               : -1;
}

static int write_manifest(const struct study *st, const char *experiment)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem)
        return -1;
    fprintf(mem, "# vhptsim study of %s: its sweep and report (docs/studies.md); 'vhptsim report' reads it\n",
            experiment);
    const struct manifest_arg arg = {st};
    int rc = schema_write_document(mem, emit_manifest, &arg);
    if (fclose(mem) != 0)
        rc = -1;
    if (rc == 0)
        rc = write_atomic(st->dir, "study.yaml", text, len);
    free(text);
    return rc;
}

/* Whether dir/name holds exactly text (an input unchanged since the last study: not rewritten). */
static int same_file(const char *dir, const char *name, const char *text, size_t len)
{
    char path[STUDY_PATH_MAX + SWEEP_NAME_MAX + 16], why[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    size_t have;
    char *old = input_file_read(path, len + 1, &have, why, sizeof why);
    const int same = old && have == len && memcmp(old, text, len) == 0;
    free(old);
    return same;
}

/* Removes the inputs/<point>.yaml of points no longer in the sweep (a smaller sweep than the last
 * study's): inputs/ holds the inputs of this study's points only. (Their results stay: a sweep
 * that brings a point back reuses it.) */
static int prune_inputs(const struct study *st, const char *inputs, const struct u64_map *current)
{
    DIR *dir = opendir(inputs);
    if (!dir)
        return 0;
    char **stale = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    for (struct dirent *e; rc == 0 && (e = readdir(dir)) != NULL;) {
        const size_t len = strlen(e->d_name);
        if (len <= 5 || strcmp(e->d_name + len - 5, ".yaml") != 0)
            continue;
        const uint64_t *i = u64_map_get(current, u64_hash_bytes(e->d_name, len - 5));
        if (i && strncmp(st->points[*i].name, e->d_name, len - 5) == 0 && st->points[*i].name[len - 5] == '\0')
            continue;
        if (n == cap) {
            char **grown = realloc(stale, (cap = cap ? 2 * cap : 64) * sizeof *stale);
            if (!grown) {
                rc = -1;
                break;
            }
            stale = grown;
        }
        if (!(stale[n] = strdup(e->d_name)))
            rc = -1;
        else
            n++;
    }
    closedir(dir);
    char err[1536];
    if (rc == 0 && n && result_dir_remove_files(inputs, (const char *const *)stale, n, err, sizeof err) != 0) {
        cli_error("run: %s", err);
        rc = -1;
    }
    for (size_t i = 0; i < n; i++)
        free(stale[i]);
    free(stale);
    return rc;
}

/* Which points run: those without a complete result of their configuration (all with
 * --force); each point and its log listed in the study's markers, inputs/ written (an unchanged
 * input is not rewritten) and pruned. The markers are read once per directory, not per point. */
static int plan_points(struct study *st, struct progress *pr)
{
    char inputs[STUDY_PATH_MAX + 16], logs[STUDY_PATH_MAX + 16], err[1536];
    snprintf(inputs, sizeof inputs, "%s/inputs", st->dir);
    snprintf(logs, sizeof logs, "%s/logs", st->dir);
    const size_t n = st->n_points;
    const char **points = calloc(n, sizeof *points);
    char **logs_of = calloc(n, sizeof *logs_of), **inputs_of = calloc(n, sizeof *inputs_of);
    struct u64_map current; /* a point's name -> the point */
    int rc = -1, have_map = u64_map_init(&current) == 0;
    if (!points || !logs_of || !inputs_of || !have_map) {
        cli_error("run: out of memory");
        goto out;
    }
    st->n_to_run = 0;
    for (size_t i = 0; i < n; i++) {
        struct study_point *p = &st->points[i];
        p->run = st->opt->force || !study_point_current(st, p);
        st->n_to_run += (size_t)p->run;
        points[i] = p->name;
        if (asprintf(&logs_of[i], "%s.log", p->name) < 0 || asprintf(&inputs_of[i], "%s.yaml", p->name) < 0 ||
            u64_map_put(&current, u64_hash_bytes(p->name, strlen(p->name)), i) != 0) {
            logs_of[i] = inputs_of[i] = NULL;
            cli_error("run: out of memory");
            goto out;
        }
        if (progress_due(pr))
            progress_show(pr, "study %s: checking the points' results: %zu of %zu", st->name, i + 1, n);
    }
    if (result_dir_add_parts(st->dir, points, n, RESULT_PART_RESULT, err, sizeof err) != 0 ||
        result_dir_add_parts(logs, (const char *const *)logs_of, n, RESULT_PART_FILE, err, sizeof err) != 0 ||
        result_dir_add_parts(inputs, (const char *const *)inputs_of, n, RESULT_PART_FILE, err, sizeof err) != 0) {
        cli_error("run: %s", err);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        const struct study_point *p = &st->points[i];
        if (!same_file(inputs, inputs_of[i], p->config, p->config_len) &&
            write_listed(inputs, inputs_of[i], p->config, p->config_len) != 0)
            goto out;
        if (progress_due(pr))
            progress_show(pr, "study %s: writing the points' inputs: %zu of %zu", st->name, i + 1, n);
    }
    rc = prune_inputs(st, inputs, &current);
out:
    for (size_t i = 0; i < n && logs_of && inputs_of; i++) {
        free(logs_of[i]);
        free(inputs_of[i]);
    }
    free(points);
    free(logs_of);
    free(inputs_of);
    if (have_map)
        u64_map_free(&current);
    return rc;
}

/* The first line of a failed point's log, or why there is none. */
static void point_error(const struct study *st, const struct study_point *p, char *buf, size_t len)
{
    char path[STUDY_PATH_MAX + SWEEP_NAME_MAX + 16];
    study_log_path(st, p, path, sizeof path);
    char why[256];
    char *log = input_file_read(path, 1u << 20, NULL, why, sizeof why);
    if (log && log[0]) {
        const size_t n = strcspn(log, "\n");
        snprintf(buf, len, "%.*s (%s)", (int)(n < 400 ? n : 400), log, path);
    } else {
        snprintf(buf, len, "no result and nothing in %s (killed or cancelled?)", path);
    }
    free(log);
}

static void free_study(struct study *st)
{
    for (size_t i = 0; i < st->n_points; i++)
        free(st->points[i].config);
    free(st->points);
    if (st->sweep)
        sweep_free(st->sweep);
    free(st->sweep);
}

int study_main(struct config_doc *d, const struct study_options *o)
{
    struct study st;
    memset(&st, 0, sizeof st);
    st.opt = o;
    st.throttle = o->jobs;
    char err[2048];
    int status = 2;
    struct result_lock lock = {.fd = -1};
    if (!(st.sweep = malloc(sizeof *st.sweep))) {
        cli_error("run: out of memory");
        return 1;
    }
    st.sweep->n_axes = 0;
    struct progress pr;
    progress_init(&pr, o->progress, o->quiet);
    const yaml_node_t *report_key = config_doc_key_node(d, "report"); /* taken out below */
    const yaml_mark_t report_mark = report_key ? report_key->start_mark : (yaml_mark_t){0, 0, 0};
    if (sweep_take(st.sweep, d, err, sizeof err) != 0 || report_spec_take(&st.report, st.sweep, d, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        goto out;
    }
    if (st.sweep->n_axes == 0) {
        const struct schema_ctx ctx = config_doc_ctx(d, err, sizeof err);
        schema_error_at(&ctx, report_mark, "'report' needs a 'sweep' (the report of one run: vhptsim report DIR)");
        fprintf(stderr, "%s\n", err);
        goto out;
    }
    /* preparing the points may take a while (100000 of them: a minute or so): the study's line
     * first, the progress line with --progress, and a signal releases the lock (signal_cleanup.h) */
    signal_cleanup_watch_lock(&lock);
    if (check_overrides(d, st.sweep) != 0 || resolve_points(&st, d, &pr) != 0)
        goto out;
    const ssize_t self_len = readlink("/proc/self/exe", st.self, sizeof st.self - 1);
    if (self_len <= 0) {
        cli_error("run: cannot find the vhptsim executable (/proc/self/exe): %s", strerror(errno));
        status = 1;
        goto out;
    }
    st.self[self_len] = '\0';
    if ((status = prepare_dir(&st, &lock)) != 0)
        goto out;
    status = 1;
    if (write_manifest(&st, d->path) != 0 || plan_points(&st, &pr) != 0)
        goto out;
    progress_clear(&pr);
    if (!o->quiet)
        printf("study %s: %zu point%s, %zu to run, %zu complete\n", st.name, st.n_points, st.n_points == 1 ? "" : "s",
               st.n_to_run, st.n_points - st.n_to_run);
    fflush(stdout);

    progress_init(&pr, o->progress, o->quiet); /* the points' ETA from now */
    const unsigned cores = core_count();
    struct study_options eff = *o;
    if (!eff.jobs)
        eff.jobs = cores;
    st.opt = &eff;
    const int rc = st.n_to_run == 0 ? 0 : o->backend == STUDY_SLURM ? study_slurm_run(&st, &pr) : study_local_run(&st, &pr);
    progress_clear(&pr);
    if (rc != 0)
        goto out;
    if (st.interrupted) {
        cli_error("run: study %s interrupted; run it again to resume (complete points are kept)", st.name);
        status = 128 + st.interrupted;
        goto out;
    }
    if (o->backend == STUDY_SLURM && o->no_wait) {
        if (!o->quiet)
            printf("study %s: submitted; when the job array is done: vhptsim report %s\n", st.name, st.dir);
        status = 0;
        goto out;
    }
    size_t failed = 0;
    for (size_t i = 0; i < st.n_points; i++) {
        if (!study_point_current(&st, &st.points[i])) {
            point_error(&st, &st.points[i], err, sizeof err);
            cli_error("run: point %s failed: %s", st.points[i].name, err);
            failed++;
        }
    }
    const int report_rc = report_build(st.dir, o->quiet, 1); /* under the study's lock */
    if (!o->quiet)
        printf("study %s: %zu of %zu points complete%s; %s/summary.csv, %s/report/index.html\n", st.name,
               st.n_points - failed, st.n_points, failed ? " (rerun to retry the failed ones)" : "", st.dir, st.dir);
    status = failed || report_rc != 0 ? 1 : 0;
out:
    progress_clear(&pr);
    signal_cleanup_forget_lock();
    result_lock_release(&lock);
    free_study(&st);
    return status;
}

/* DIR: -o, or results/<name>. */
static void set_dir(struct study *st)
{
    if (st->opt->out_dir)
        snprintf(st->dir, sizeof st->dir, "%s", st->opt->out_dir);
    else
        snprintf(st->dir, sizeof st->dir, "results/%s", st->name);
    while (strlen(st->dir) > 1 && st->dir[strlen(st->dir) - 1] == '/')
        st->dir[strlen(st->dir) - 1] = '\0';
}
