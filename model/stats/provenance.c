/* provenance.c - see provenance.h. SHA-256 from OpenSSL's libcrypto (README: dependencies). */
#define _XOPEN_SOURCE 700 /* realpath */
#include "provenance.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "../util/input_file.h"
#include "build_info.h"

void provenance_start(struct provenance *pv)
{
    memset(pv, 0, sizeof *pv);
    clock_gettime(CLOCK_REALTIME, &pv->start_wall);
    clock_gettime(CLOCK_MONOTONIC, &pv->start_mono);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &pv->start_cpu);
}

void provenance_stop(struct provenance *pv, uint64_t refs)
{
    clock_gettime(CLOCK_REALTIME, &pv->end_wall);
    clock_gettime(CLOCK_MONOTONIC, &pv->end_mono);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &pv->end_cpu);
    pv->refs = refs;
}

int provenance_sha256_file(const char *path, char hex[65], uint64_t *size, char *err, size_t errlen)
{
    FILE *f = input_file_open(path, "rb", false, err, errlen);
    if (!f)
        return -1;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int ok = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1;
    unsigned char buf[1 << 16];
    uint64_t total = 0;
    size_t got;
    while (ok && (got = fread(buf, 1, sizeof buf, f)) > 0) {
        ok = EVP_DigestUpdate(md, buf, got) == 1;
        total += got;
    }
    const int read_error = ferror(f);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    ok = ok && !read_error && EVP_DigestFinal_ex(md, digest, &len) == 1 && len == 32;
    EVP_MD_CTX_free(md);
    fclose(f);
    if (!ok) {
        snprintf(err, errlen, "%s: cannot read it to record its SHA-256: %s", path,
                 strerror(read_error ? EIO : ENOMEM));
        return -1;
    }
    for (unsigned i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    *size = total;
    return 0;
}

int provenance_add_input(struct provenance *pv, const char *role, const char *path, char *err, size_t errlen)
{
    if (pv->ninputs >= PROVENANCE_MAX_INPUTS) {
        snprintf(err, errlen, "more than %d input files", PROVENANCE_MAX_INPUTS);
        return -1;
    }
    struct provenance_input *in = &pv->input[pv->ninputs];
    memset(in, 0, sizeof *in);
    snprintf(in->role, sizeof in->role, "%s", role);
    char *real = realpath(path, NULL);
    const char *use = real ? real : path;
    if (strlen(use) >= sizeof in->path) {
        free(real);
        snprintf(err, errlen, "%s: path too long", path);
        return -1;
    }
    memcpy(in->path, use, strlen(use) + 1);
    free(real);
    if (provenance_sha256_file(in->path, in->sha256, &in->size, err, errlen) != 0)
        return -1;
    pv->ninputs++;
    return 0;
}

static double seconds(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* ISO 8601 in UTC: the same instant reads the same on every host */
static void utc_time(const struct timespec *t, char *buf, size_t len)
{
    struct tm tm;
    const time_t s = t->tv_sec;
    if (!gmtime_r(&s, &tm) || strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(buf, len, "unknown");
}

/* a YAML double-quoted scalar: paths and host names may hold anything */
static void put_quoted(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7f)
            fprintf(out, "\\x%02x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

static void put_field(FILE *out, const char *indent, const char *key, const char *value)
{
    fprintf(out, "%s%s: ", indent, key);
    put_quoted(out, value);
    fputc('\n', out);
}

int provenance_write_run_yaml(const struct provenance *pv, FILE *out)
{
    char host[256] = "unknown", start[32], end[32];
    if (gethostname(host, sizeof host) != 0)
        snprintf(host, sizeof host, "unknown");
    host[sizeof host - 1] = '\0';
    struct utsname u;
    const int have_uname = uname(&u) == 0;
    utc_time(&pv->start_wall, start, sizeof start);
    utc_time(&pv->end_wall, end, sizeof end);
    const double wall = seconds(&pv->start_mono, &pv->end_mono), cpu = seconds(&pv->start_cpu, &pv->end_cpu);

    fputs("# vhptsim run provenance: what produced this result (docs/stats.md, \"Provenance\").\n"
          "# It differs between runs and hosts; stats.yaml, stats.csv and timeseries.csv do not.\n",
          out);
    put_field(out, "", "vhptsim_version", VHPTSIM_VERSION);
    put_field(out, "", "git_commit", VHPTSIM_GIT_COMMIT);
    fputs("build:\n", out);
    put_field(out, "  ", "type", VHPTSIM_BUILD_TYPE);
    put_field(out, "  ", "c_compiler", VHPTSIM_C_COMPILER);
    put_field(out, "  ", "cxx_compiler", VHPTSIM_CXX_COMPILER);
    fprintf(out, "  sanitizers: %s\n", VHPTSIM_SANITIZED ? "true" : "false");
    fputs("host:\n", out);
    put_field(out, "  ", "name", host);
    put_field(out, "  ", "os", have_uname ? u.sysname : "unknown");
    put_field(out, "  ", "os_release", have_uname ? u.release : "unknown");
    put_field(out, "  ", "machine", have_uname ? u.machine : "unknown");
    fputs("time:\n", out);
    put_field(out, "  ", "start", start);
    put_field(out, "  ", "end", end);
    fprintf(out, "  wall_seconds: %.3f\n", wall);
    fprintf(out, "  cpu_seconds: %.3f\n", cpu);
    fprintf(out, "simulated_references: %llu\n", (unsigned long long)pv->refs);
    if (wall > 0)
        fprintf(out, "references_per_second: %.0f\n", (double)pv->refs / wall);
    else
        fputs("references_per_second: null\n", out);
    fputs("inputs:\n", out);
    for (unsigned i = 0; i < pv->ninputs; i++) {
        const struct provenance_input *in = &pv->input[i];
        put_field(out, "  - ", "role", in->role);
        put_field(out, "    ", "path", in->path);
        fprintf(out, "    size: %llu\n", (unsigned long long)in->size);
        put_field(out, "    ", "sha256", in->sha256);
    }
    if (pv->ninputs == 0)
        fputs("  []\n", out);
    return ferror(out) ? -1 : 0;
}

const char *provenance_config_header(void)
{
    return "# Resolved by vhptsim " VHPTSIM_VERSION " (git commit " VHPTSIM_GIT_COMMIT "): every key, defaults included.\n"
           "# Running this file again gives the same statistics (docs/config.md).\n";
}
