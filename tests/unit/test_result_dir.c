/*
 * test_result_dir.c - result directories (model/stats/result_dir.h, docs/results.md): what a
 * directory is, when begin writes, refuses or finds a result up to date, that commit replaces
 * only vhptsim's files, that stale temporary directories go only if they are vhptsim's, the
 * lock, and the first differing key of two configurations.
 */
#define _GNU_SOURCE /* mkdtemp, flock */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../model/stats/result_config.h"
#include "../../model/stats/result_dir.h"
#include "check.h"

static char root[64];

static const char *at(const char *name)
{
    static char buf[8][256];
    static int next;
    char *p = buf[next++ % 8];
    snprintf(p, sizeof buf[0], "%s/%s", root, name);
    return p;
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static int exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

static char *slurp(const char *path)
{
    static char buf[1 << 20]; /* a study's marker of thousands of names */
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    buf[n] = '\0';
    if (f)
        fclose(f);
    return buf;
}

/* entries of root whose name starts with prefix */
static int count_prefixed(const char *prefix)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "ls -a '%s' | grep -c '^%s' >%s/.count", root, prefix, root);
    if (system(cmd) < 0)
        return -1;
    char path[128];
    snprintf(path, sizeof path, "%s/.count", root);
    const int n = atoi(slurp(path));
    unlink(path);
    return n;
}

static const char CFG_A[] = "name: a\nvmm:\n  vtlb_size: 128K\n  ptce_count: [1, 1]\n";
static const char CFG_B[] = "name: a\nvmm:\n  vtlb_size: 1M\n  ptce_count: [1, 1]\n";

/* a complete result of cfg in dir, with stats.yaml holding text: 0 or -1 */
static int write_result(const char *dir, const char *cfg, const char *text, unsigned flags)
{
    static struct result_dir d;
    char err[512];
    const int rc = result_dir_begin(&d, dir, cfg, strlen(cfg), flags, err, sizeof err);
    if (rc != RESULT_OK)
        return -1;
    FILE *f = result_dir_open(&d, "stats.yaml");
    if (!f) {
        result_dir_abort(&d);
        return -1;
    }
    fputs(text, f);
    fclose(f);
    return result_dir_commit(&d, err, sizeof err);
}

/* compares old with cur: the result, and the message ("" when the same) */
static const char *compare(const char *old, const char *cur, int *rc)
{
    static char diff[256];
    *rc = result_config_compare(old, strlen(old), cur, strlen(cur), diff, sizeof diff);
    return diff;
}

static void test_compare(void)
{
    int rc;
    CHECK_STREQ(compare(CFG_A, CFG_A, &rc), "");
    CHECK_EQ(rc, 0);
    CHECK_STREQ(compare(CFG_A, CFG_B, &rc), "vmm.vtlb_size is 128K in the result, 1M now");
    CHECK_EQ(rc, 1);
    /* layout and comments alone are no difference */
    compare(CFG_A, "# a comment\nname: a\nvmm: {vtlb_size: 128K, ptce_count: [1, 1]}\n", &rc);
    CHECK_EQ(rc, 0);
    /* a list is one setting */
    CHECK_STREQ(compare(CFG_A, "name: a\nvmm:\n  vtlb_size: 128K\n  ptce_count: [2, 1]\n", &rc),
                "vmm.ptce_count is [1, 1] in the result, [2, 1] now");
    /* a key only one side has */
    const char *more = "name: a\nvmm:\n  vtlb_size: 128K\n  ptce_count: [1, 1]\n  vhpt_size: 64K\n";
    CHECK_STREQ(compare(CFG_A, more, &rc), "vmm.vhpt_size is not set in the result, 64K now");
    CHECK_STREQ(compare(more, CFG_A, &rc), "vmm.vhpt_size is 64K in the result, not set now");
    CHECK_EQ(rc, 1);
    /* the first difference in the current file's order */
    CHECK_STREQ(compare(CFG_A, "name: b\nvmm:\n  vtlb_size: 1M\n  ptce_count: [1, 1]\n", &rc),
                "name is a in the result, b now");
    /* a mapping where a value was */
    CHECK_STREQ(compare(CFG_A, "name: a\nvmm:\n  vtlb_size: {x: 1}\n  ptce_count: [1, 1]\n", &rc),
                "vmm.vtlb_size is 128K in the result, a mapping now");
    /* a fraction written by an earlier version in 17 digits is the same setting as its shortest
     * form (0.90000000000000002 and 0.9 read back as one double); a different one is not, nor
     * are integers or hex addresses that differ in text */
    compare("w: {zipf_alpha: 0.90000000000000002, hit: [0, 0.69999999999999996]}\n", "w: {zipf_alpha: 0.9, hit: [0, 0.7]}\n", &rc);
    CHECK_EQ(rc, 0);
    CHECK_STREQ(compare("w: {zipf_alpha: 0.9}\n", "w: {zipf_alpha: 0.90000000000000013}\n", &rc),
                "w.zipf_alpha is 0.9 in the result, 0.90000000000000013 now");
    compare("b: 0x1000000000000001\n", "b: 0x1000000000000000\n", &rc);
    CHECK_EQ(rc, 1);
    compare("s: 1\n", "s: 1.0\n", &rc);
    CHECK_EQ(rc, 1);
    /* not a configuration at all */
    compare("[1, 2", CFG_A, &rc);
    CHECK_EQ(rc, -1);
    compare("- 1\n", CFG_A, &rc);
    CHECK_EQ(rc, -1);
}

static void test_inspect(void)
{
    struct result_info info;
    CHECK_EQ(result_dir_inspect(at("none"), NULL, 0, &info), 0);
    CHECK_EQ(info.kind, RESULT_ABSENT);
    mkdir(at("empty"), 0777);
    CHECK_EQ(result_dir_inspect(at("empty"), NULL, 0, &info), 0);
    CHECK_EQ(info.kind, RESULT_EMPTY);
    put(at("file"), "x");
    CHECK_EQ(result_dir_inspect(at("file"), NULL, 0, &info), 0);
    CHECK_EQ(info.kind, RESULT_NOT_DIR);
    CHECK(symlink("empty", at("link")) == 0);
    CHECK_EQ(result_dir_inspect(at("link"), NULL, 0, &info), 0);
    CHECK_EQ(info.kind, RESULT_NOT_DIR);
    mkdir(at("home"), 0777);
    put(at("home/notes.txt"), "mine");
    CHECK_EQ(result_dir_inspect(at("home"), NULL, 0, &info), 0);
    CHECK_EQ(info.kind, RESULT_FOREIGN);

    CHECK_EQ(write_result(at("r"), CFG_A, "refs: 1\n", 0), 0);
    CHECK_EQ(result_dir_inspect(at("r"), CFG_A, strlen(CFG_A), &info), 0);
    CHECK_EQ(info.kind, RESULT_COMPLETE);
    CHECK_EQ(info.same_config, 1);
    CHECK_EQ(result_dir_inspect(at("r"), CFG_B, strlen(CFG_B), &info), 0);
    CHECK_EQ(info.kind, RESULT_COMPLETE);
    CHECK_EQ(info.same_config, 0);
    CHECK_STREQ(info.diff, "vmm.vtlb_size is 128K in the result, 1M now");
    /* a file of the run gone: incomplete (a study reruns it) */
    CHECK_EQ(write_result(at("r2"), CFG_A, "refs: 1\n", 0), 0);
    unlink(at("r2/stats.yaml"));
    CHECK_EQ(result_dir_inspect(at("r2"), CFG_A, strlen(CFG_A), &info), 0);
    CHECK_EQ(info.kind, RESULT_INCOMPLETE);
    /* one file the user put there: no longer vhptsim's alone */
    CHECK_EQ(write_result(at("r3"), CFG_A, "refs: 1\n", 0), 0);
    put(at("r3/notes.txt"), "mine");
    CHECK_EQ(result_dir_inspect(at("r3"), CFG_A, strlen(CFG_A), &info), 0);
    CHECK_EQ(info.kind, RESULT_FOREIGN);
    CHECK(strstr(info.why, "notes.txt") != NULL);
    /* a subdirectory is never one of a result's files */
    CHECK_EQ(write_result(at("r4"), CFG_A, "refs: 1\n", 0), 0);
    mkdir(at("r4/stats.csv"), 0777);
    CHECK_EQ(result_dir_inspect(at("r4"), CFG_A, strlen(CFG_A), &info), 0);
    CHECK_EQ(info.kind, RESULT_FOREIGN);
    /* a forged or damaged marker is not vhptsim's */
    mkdir(at("forged"), 0777);
    put(at("forged/.vhptsim-result"), "file config.yaml\ncomplete\n");
    put(at("forged/config.yaml"), CFG_A);
    CHECK_EQ(result_dir_inspect(at("forged"), NULL, 0, &info), 0);
    CHECK_EQ(info.kind, RESULT_FOREIGN);
}

static void test_begin(void)
{
    static struct result_dir d;
    char err[512];
    /* refused: foreign, whatever the flags; nothing touched */
    const unsigned all = RESULT_REPLACE_CHANGED | RESULT_REDO | RESULT_WAIT;
    CHECK_EQ(result_dir_begin(&d, at("home"), CFG_A, strlen(CFG_A), all, err, sizeof err), RESULT_REFUSED);
    CHECK(strstr(err, "home") != NULL && strstr(err, "not a vhptsim result") != NULL);
    CHECK_STREQ(slurp(at("home/notes.txt")), "mine");
    CHECK_EQ(result_dir_begin(&d, at("file"), CFG_A, strlen(CFG_A), all, err, sizeof err), RESULT_REFUSED);
    CHECK_EQ(result_dir_begin(&d, at("link"), CFG_A, strlen(CFG_A), all, err, sizeof err), RESULT_REFUSED);
    CHECK_EQ(result_dir_begin(&d, at("r3"), CFG_A, strlen(CFG_A), all, err, sizeof err), RESULT_REFUSED);
    CHECK_EQ(result_dir_begin(&d, "/", CFG_A, strlen(CFG_A), all, err, sizeof err), RESULT_REFUSED);
    CHECK_EQ(result_dir_begin(&d, at("."), CFG_A, strlen(CFG_A), all, err, sizeof err), RESULT_REFUSED);
    CHECK_EQ(count_prefixed("home."), 0); /* no lock or temporary directory left */

    /* the same configuration: up to date, unless redone */
    CHECK_EQ(result_dir_begin(&d, at("r"), CFG_A, strlen(CFG_A), 0, err, sizeof err), RESULT_UP_TO_DATE);
    CHECK_EQ(write_result(at("r"), CFG_A, "refs: 2\n", RESULT_REDO), 0);
    CHECK_STREQ(slurp(at("r/stats.yaml")), "refs: 2\n");
    /* another configuration: refused, naming the key, unless replacing is allowed */
    CHECK_EQ(result_dir_begin(&d, at("r"), CFG_B, strlen(CFG_B), RESULT_REDO, err, sizeof err), RESULT_REFUSED);
    CHECK(strstr(err, "vmm.vtlb_size") != NULL && strstr(err, at("r")) != NULL);
    CHECK_STREQ(slurp(at("r/stats.yaml")), "refs: 2\n");
    CHECK_EQ(write_result(at("r"), CFG_B, "refs: 3\n", RESULT_REPLACE_CHANGED), 0);
    CHECK_STREQ(slurp(at("r/stats.yaml")), "refs: 3\n");
    CHECK_STREQ(slurp(at("r/config.yaml")), CFG_B);
    CHECK_EQ(count_prefixed("r\\."), 0); /* no r.tmp-*, r.old-*, r.lock */
    /* an incomplete result of the same configuration is redone without asking */
    CHECK_EQ(write_result(at("r2"), CFG_A, "refs: 4\n", 0), 0);
    CHECK_STREQ(slurp(at("r2/stats.yaml")), "refs: 4\n");
    /* an empty directory is written into */
    CHECK_EQ(write_result(at("empty"), CFG_A, "refs: 5\n", 0), 0);
    CHECK_STREQ(slurp(at("empty/stats.yaml")), "refs: 5\n");

    /* abort: the earlier result stays as it was, nothing beside it */
    CHECK_EQ(result_dir_begin(&d, at("r"), CFG_A, strlen(CFG_A), RESULT_REPLACE_CHANGED, err, sizeof err), RESULT_OK);
    FILE *f = result_dir_open(&d, "stats.yaml");
    CHECK(f != NULL);
    CHECK(result_dir_open(&d, "stats.yaml") == NULL); /* taken */
    CHECK(result_dir_open(&d, "../escape") == NULL);
    CHECK(result_dir_open(&d, ".vhptsim-result") == NULL);
    CHECK(result_dir_open(&d, "a/b") == NULL);
    if (f)
        fclose(f);
    CHECK(exists(d.tmp));
    result_dir_abort(&d);
    CHECK_STREQ(slurp(at("r/stats.yaml")), "refs: 3\n");
    CHECK_EQ(count_prefixed("r\\."), 0);

    /* the signal path: everything begun is removed */
    CHECK_EQ(result_dir_begin(&d, at("sig"), CFG_A, strlen(CFG_A), 0, err, sizeof err), RESULT_OK);
    f = result_dir_open(&d, "stats.yaml");
    if (f)
        fclose(f);
    result_dir_abort_now(&d);
    CHECK(!exists(at("sig")));
    CHECK_EQ(count_prefixed("sig"), 0);
}

static void test_lock(void)
{
    static struct result_dir d;
    char err[512];
    /* another holder of the lock (flock is per open file: a second open in this process is as
     * good as another process) */
    const int fd = open(at("busy.lock"), O_RDWR | O_CREAT, 0666);
    CHECK(fd >= 0 && flock(fd, LOCK_EX) == 0);
    CHECK_EQ(result_dir_begin(&d, at("busy"), CFG_A, strlen(CFG_A), 0, err, sizeof err), RESULT_BUSY);
    CHECK(!exists(at("busy")));
    close(fd);
    unlink(at("busy.lock"));
    CHECK_EQ(write_result(at("busy"), CFG_A, "x\n", 0), 0);
    CHECK(!exists(at("busy.lock"))); /* the holder removes it when done */
}

/* a pid no process has: a child that has exited and been reaped */
static long dead_pid(void)
{
    const pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    waitpid(pid, NULL, 0);
    return (long)pid;
}

static void test_stale(void)
{
    char name[128], path[256];
    const long pid = dead_pid();
    /* a run killed with SIGKILL: its marker lists what it wrote -> removed */
    snprintf(name, sizeof name, "st.tmp-%ld", pid);
    mkdir(at(name), 0777);
    snprintf(path, sizeof path, "%s/.vhptsim-result", at(name));
    put(path, "# vhptsim result directory (docs/results.md)\nfile config.yaml\nfile stats.yaml\n");
    snprintf(path, sizeof path, "%s/config.yaml", at(name));
    put(path, CFG_A);
    /* the same name pattern, but not vhptsim's (no marker) -> kept */
    char other[128];
    snprintf(other, sizeof other, "st.tmp-%ld.prev", pid);
    mkdir(at(other), 0777);
    snprintf(path, sizeof path, "%s/mine.txt", at(other));
    put(path, "mine");
    /* a live process's (ours is alive: the parent's pid) -> kept */
    char live[128];
    snprintf(live, sizeof live, "st.tmp-%ld", (long)getppid());
    mkdir(at(live), 0777);
    snprintf(path, sizeof path, "%s/.vhptsim-result", at(live));
    put(path, "# vhptsim result directory (docs/results.md)\n");

    CHECK_EQ(write_result(at("st"), CFG_A, "x\n", 0), 0);
    CHECK(!exists(at(name)));
    CHECK(exists(at(other)));
    snprintf(path, sizeof path, "%s/mine.txt", at(other));
    CHECK_STREQ(slurp(path), "mine");
    CHECK(exists(at(live)));
}

static void test_adopt(void)
{
    struct result_info info;
    CHECK_EQ(write_result(at("ad"), CFG_A, "x\n", 0), 0);
    CHECK_EQ(result_dir_adopt(at("ad"), "index.md"), 0);
    put(at("ad/index.md"), "report");
    CHECK_EQ(result_dir_inspect(at("ad"), CFG_A, strlen(CFG_A), &info), 0);
    CHECK_EQ(info.kind, RESULT_COMPLETE);
    CHECK_EQ(result_dir_adopt(at("ad"), "plot.svg"), 0); /* adopted, never written: still whole */
    CHECK_EQ(result_dir_inspect(at("ad"), CFG_A, strlen(CFG_A), &info), 0);
    CHECK_EQ(info.kind, RESULT_COMPLETE);
    CHECK_EQ(result_dir_adopt(at("ad"), "../x"), -1);
    CHECK_EQ(result_dir_adopt(at("home"), "index.md"), -1); /* not a result */
    /* a replacing run removes the adopted files with the rest */
    CHECK_EQ(write_result(at("ad"), CFG_B, "y\n", RESULT_REPLACE_CHANGED), 0);
    CHECK(!exists(at("ad/index.md")));
    CHECK_EQ(count_prefixed("ad\\."), 0);
}

/* lines of path equal to line */
static int count_lines(const char *path, const char *line)
{
    int n = 0;
    char *text = slurp(path);
    for (char *l = strtok(text, "\n"); l; l = strtok(NULL, "\n"))
        n += strcmp(l, line) == 0;
    return n;
}

static enum result_kind kind_of(const char *dir, char *why, size_t len)
{
    struct result_info info;
    CHECK_EQ(result_dir_inspect(dir, NULL, 0, &info), 0);
    if (why)
        snprintf(why, len, "%s", info.why);
    return info.kind;
}

/* a report drawn into a complete result: a result of its own, listed as "dir report" */
static void test_nested(void)
{
    static struct result_dir d;
    struct result_lock l;
    struct result_info info;
    char err[512];
    CHECK_EQ(write_result(at("rr"), CFG_A, "x\n", 0), 0);
    CHECK_EQ(result_lock_take(&l, at("rr"), 0), 0);
    CHECK_EQ(result_dir_add_part(at("rr"), "report", RESULT_PART_RESULT, err, sizeof err), 0);
    CHECK_EQ(result_dir_begin(&d, at("rr/report"), NULL, 0, RESULT_REPLACE_CHANGED | RESULT_REDO, err, sizeof err),
             RESULT_OK);
    CHECK_EQ(result_dir_inspect(at("rr"), CFG_A, strlen(CFG_A), &info), 0); /* its temporaries are vhptsim's */
    CHECK_EQ(info.kind, RESULT_COMPLETE);
    CHECK_EQ(result_dir_add(&d, "fig.png"), 0);
    CHECK_EQ(result_dir_add(&d, "fig.png"), -1); /* taken */
    char path[sizeof d.tmp + 16];
    snprintf(path, sizeof path, "%s/fig.png", d.tmp);
    put(path, "png");
    CHECK_EQ(result_dir_commit(&d, err, sizeof err), 0);
    result_lock_release(&l);
    CHECK_EQ(kind_of(at("rr/report"), NULL, 0), RESULT_COMPLETE);
    CHECK_EQ(result_dir_inspect(at("rr"), CFG_A, strlen(CFG_A), &info), 0);
    CHECK_EQ(info.kind, RESULT_COMPLETE); /* still up to date */
    CHECK_EQ(info.same_config, 1);
    CHECK_EQ(count_lines(at("rr/.vhptsim-result"), "dir report"), 1);
    /* a file listed but never written: the commit fails and leaves nothing */
    CHECK_EQ(result_dir_begin(&d, at("rr/report"), NULL, 0, RESULT_REPLACE_CHANGED | RESULT_REDO, err, sizeof err),
             RESULT_OK);
    CHECK_EQ(result_dir_add(&d, "never.svg"), 0);
    CHECK_EQ(result_dir_commit(&d, err, sizeof err), -1);
    CHECK_STREQ(slurp(at("rr/report/fig.png")), "png");
    /* a user's file in the report: the result is foreign, named by its path */
    char why[400];
    put(at("rr/report/notes.txt"), "mine");
    CHECK_EQ(kind_of(at("rr"), why, sizeof why), RESULT_FOREIGN);
    CHECK(strstr(why, "report/notes.txt") != NULL);
    CHECK_EQ(write_result(at("rr"), CFG_B, "y\n", RESULT_REPLACE_CHANGED | RESULT_REDO), -1);
    CHECK_STREQ(slurp(at("rr/report/notes.txt")), "mine");
    unlink(at("rr/report/notes.txt"));
    /* replacing the result removes its report with it: nothing beside, nothing left */
    CHECK_EQ(write_result(at("rr"), CFG_B, "y\n", RESULT_REPLACE_CHANGED), 0);
    CHECK(!exists(at("rr/report")));
    CHECK_EQ(count_prefixed("rr\\."), 0);
}

/* a study's directory: written in place, its parts listed, protected like a result */
static void test_study_dir(void)
{
    struct result_lock l, l2;
    char err[512], why[400], path[128];
    CHECK_EQ(result_study_begin(&l, at("study"), 0, err, sizeof err), RESULT_OK);
    CHECK_EQ(kind_of(at("study"), NULL, 0), RESULT_STUDY);
    CHECK_EQ(result_study_begin(&l2, at("study"), 0, err, sizeof err), RESULT_BUSY);
    CHECK(strstr(err, "being written") != NULL);
    CHECK_EQ(result_dir_add_part(at("study"), "study.yaml", RESULT_PART_FILE, err, sizeof err), 0);
    put(at("study/study.yaml"), "name: s\n");
    CHECK_EQ(result_dir_add_part(at("study"), "inputs", RESULT_PART_DIR, err, sizeof err), 0);
    CHECK_EQ(kind_of(at("study/inputs"), NULL, 0), RESULT_STUDY);
    CHECK_EQ(result_dir_add_part(at("study/inputs"), "p.yaml", RESULT_PART_FILE, err, sizeof err), 0);
    put(at("study/inputs/p.yaml"), CFG_A);
    CHECK_EQ(result_dir_add_part(at("study"), "p", RESULT_PART_RESULT, err, sizeof err), 0);
    CHECK_EQ(write_result(at("study/p"), CFG_A, "x\n", RESULT_REPLACE_CHANGED), 0);
    /* listed once, whatever the calls; a name listed as one kind is not the other */
    CHECK_EQ(result_dir_add_part(at("study"), "p", RESULT_PART_RESULT, err, sizeof err), 0);
    CHECK_EQ(count_lines(at("study/.vhptsim-result"), "dir p"), 1);
    CHECK_EQ(result_dir_add_part(at("study"), "p", RESULT_PART_FILE, err, sizeof err), -1);
    CHECK_EQ(result_dir_add_part(at("study"), "../x", RESULT_PART_FILE, err, sizeof err), -1);
    CHECK_EQ(result_dir_add_part(at("home"), "x", RESULT_PART_FILE, err, sizeof err), -1); /* not vhptsim's */
    /* something already there under a name not listed: refused, untouched */
    put(at("study/summary.csv"), "mine");
    CHECK_EQ(result_dir_add_part(at("study"), "summary.csv", RESULT_PART_FILE, err, sizeof err), -1);
    CHECK(strstr(err, "summary.csv") != NULL);
    CHECK_STREQ(slurp(at("study/summary.csv")), "mine");
    CHECK_EQ(kind_of(at("study"), why, sizeof why), RESULT_FOREIGN);
    unlink(at("study/summary.csv"));
    /* the temporaries of listed names are vhptsim's; of others, not */
    CHECK_EQ(result_dir_add_part(at("study"), "summary.csv", RESULT_PART_FILE, err, sizeof err), 0);
    const long gone = dead_pid();
    snprintf(path, sizeof path, "study/summary.csv.tmp-%ld", gone);
    put(at(path), "partial");
    char live[128];
    snprintf(live, sizeof live, "study/summary.csv.tmp-%ld", (long)getppid());
    put(at(live), "a live writer's");
    mkdir(at("study/p.tmp-1"), 0777);
    put(at("study/p.lock"), "");
    CHECK_EQ(kind_of(at("study"), NULL, 0), RESULT_STUDY);
    put(at("study/q.lock"), "");
    CHECK_EQ(kind_of(at("study"), NULL, 0), RESULT_FOREIGN);
    unlink(at("study/q.lock"));
    rmdir(at("study/p.tmp-1"));
    unlink(at("study/p.lock"));
    result_lock_release(&l);
    /* reopened: a dead process's temporaries go, a live one's stay */
    CHECK_EQ(result_study_begin(&l, at("study"), 0, err, sizeof err), RESULT_OK);
    CHECK(!exists(at(path)));
    CHECK_STREQ(slurp(at(live)), "a live writer's");
    unlink(at(live));
    result_lock_release(&l);
    /* a user's file inside a point: the study is refused, whatever the flags, naming it */
    put(at("study/p/notes.txt"), "mine");
    CHECK_EQ(result_study_begin(&l, at("study"), RESULT_REPLACE_CHANGED, err, sizeof err), RESULT_REFUSED);
    CHECK(strstr(err, "p/notes.txt") != NULL);
    CHECK_EQ(write_result(at("study"), CFG_A, "x\n", RESULT_REPLACE_CHANGED | RESULT_REDO), -1);
    CHECK_STREQ(slurp(at("study/p/notes.txt")), "mine");
    unlink(at("study/p/notes.txt"));
    /* a run's result into a study's directory and back: only when replacing is allowed */
    CHECK_EQ(write_result(at("study"), CFG_A, "x\n", 0), -1);
    CHECK_EQ(kind_of(at("study"), NULL, 0), RESULT_STUDY);
    CHECK_EQ(write_result(at("study"), CFG_A, "x\n", RESULT_REPLACE_CHANGED), 0);
    CHECK_EQ(kind_of(at("study"), NULL, 0), RESULT_COMPLETE);
    CHECK(!exists(at("study/p")) && !exists(at("study/inputs")));
    CHECK_EQ(count_prefixed("study\\."), 0);
    CHECK_EQ(result_study_begin(&l, at("study"), 0, err, sizeof err), RESULT_REFUSED);
    CHECK(strstr(err, "--force") != NULL);
    CHECK_EQ(result_study_begin(&l, at("study"), RESULT_REPLACE_CHANGED, err, sizeof err), RESULT_OK);
    CHECK_EQ(kind_of(at("study"), NULL, 0), RESULT_STUDY);
    CHECK(!exists(at("study/stats.yaml")));
    result_lock_release(&l);
    /* never into anything else */
    CHECK_EQ(result_study_begin(&l, at("home"), RESULT_REPLACE_CHANGED, err, sizeof err), RESULT_REFUSED);
    CHECK_STREQ(slurp(at("home/notes.txt")), "mine");
    CHECK_EQ(result_study_begin(&l, at("file"), RESULT_REPLACE_CHANGED, err, sizeof err), RESULT_REFUSED);
    CHECK_EQ(count_prefixed("home\\."), 0);
}

/* Listing many names at once (a study's points) and removing listed files (inputs of points
 * gone from the sweep): the same rules as one at a time, and a marker of thousands of names
 * finds each (its index) — the rule, not the speed, is checked here. */
static void test_many_parts(void)
{
    struct result_lock l;
    char err[512], name[32];
    enum { N = 3000 };
    static char names[N][32];
    const char *list[N];
    CHECK_EQ(result_study_begin(&l, at("many"), 0, err, sizeof err), RESULT_OK);
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], "seed=%d", i);
        list[i] = names[i];
    }
    CHECK_EQ(result_dir_add_parts(at("many"), list, N, RESULT_PART_RESULT, err, sizeof err), 0);
    CHECK_EQ(count_lines(at("many/.vhptsim-result"), "dir seed=2999"), 1);
    /* again, and each alone: listed once; as the other kind: refused */
    CHECK_EQ(result_dir_add_parts(at("many"), list, N, RESULT_PART_RESULT, err, sizeof err), 0);
    CHECK_EQ(result_dir_add_part(at("many"), "seed=1500", RESULT_PART_RESULT, err, sizeof err), 0);
    CHECK_EQ(count_lines(at("many/.vhptsim-result"), "dir seed=1500"), 1);
    CHECK_EQ(result_dir_add_part(at("many"), "seed=1500", RESULT_PART_FILE, err, sizeof err), -1);
    CHECK_EQ(kind_of(at("many"), NULL, 0), RESULT_STUDY);
    /* a batch with a name already there unlisted: refused, naming it, the file untouched */
    put(at("many/mine.txt"), "mine");
    const char *two[2] = {"new.csv", "mine.txt"};
    CHECK_EQ(result_dir_add_parts(at("many"), two, 2, RESULT_PART_FILE, err, sizeof err), -1);
    CHECK(strstr(err, "mine.txt") != NULL);
    /* removing: listed files go, anything else stays (mine.txt is not listed; seed=1 is a dir) */
    CHECK_EQ(result_dir_add_part(at("many"), "old.yaml", RESULT_PART_FILE, err, sizeof err), 0);
    put(at("many/old.yaml"), "x");
    mkdir(at("many/seed=1"), 0777);
    const char *gone[3] = {"old.yaml", "mine.txt", "seed=1"};
    CHECK_EQ(result_dir_remove_files(at("many"), gone, 3, err, sizeof err), 0);
    CHECK(!exists(at("many/old.yaml")));
    CHECK_STREQ(slurp(at("many/mine.txt")), "mine");
    CHECK(exists(at("many/seed=1")));
    CHECK_EQ(result_dir_remove_files(at("home"), gone, 1, err, sizeof err), -1); /* not vhptsim's */
    unlink(at("many/mine.txt"));
    snprintf(name, sizeof name, "many/seed=1");
    rmdir(at(name));
    result_lock_release(&l);
}

int main(void)
{
    snprintf(root, sizeof root, "/tmp/test_result_dir.XXXXXX");
    if (!mkdtemp(root))
        return EXIT_FAILURE;
    test_compare();
    test_inspect();
    test_begin();
    test_lock();
    test_stale();
    test_adopt();
    test_nested();
    test_study_dir();
    test_many_parts();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    if (system(cmd) != 0)
        CHECK(0);
    return check_report("test_result_dir");
}
