/* stat_catalog.c - see stat_catalog.h. */
#include "stat_catalog.h"

#include <stdio.h>
#include <string.h>

#include "../model/guest/guest_os.h"

int stat_catalog_init(struct stat_catalog *cat, const struct run_config *c, char *err, size_t errlen)
{
    memset(cat, 0, sizeof *cat);
    static struct platform p; /* large: off the stack */
    struct platform_params pp = c->platform;
    pp.nr_vcpus = 1;
    pp.vmm.vtlb_shift = pp.vmm.vhpt_shift = VMM_MIN_TABLE_SHIFT;
    if (platform_init(&p, &pp, err, errlen) != 0)
        return -1;
    struct guest_os_params gp;
    guest_os_params_default(&gp);
    gp.nr_vcpus = 1;
    struct guest_os *os = guest_os_create(&gp, &p.mem, &p.vm.p2m);
    int rc = -1;
    if (os) {
        p.guest = os; /* listed, not booted: names only */
        p.counts_insns = 1;
        p.traced = 1;
        rc = stat_set_of_run(&cat->names, &p, NULL, NULL, 1);
        guest_os_destroy(os);
    }
    platform_free(&p);
    if (rc != 0)
        snprintf(err, errlen, "out of memory");
    return rc;
}

static int known(const struct stat_catalog *cat, const char *prefix, const char *name)
{
    char full[256];
    return (size_t)snprintf(full, sizeof full, "%s%s", prefix, name) < sizeof full && stat_set_find(&cat->names, full);
}

int stat_catalog_has(const struct stat_catalog *cat, const char *name)
{
    if (strncmp(name, "cpu.", 4) == 0)
        return known(cat, "cpu0.", name + 4);
    const size_t digits = strncmp(name, "cpu", 3) == 0 ? strspn(name + 3, "0123456789") : 0;
    if (digits && name[3 + digits] == '.')
        return known(cat, "cpu0.", name + 4 + digits);
    return known(cat, "", name) || known(cat, "vm.", name) || known(cat, "cpu0.", name);
}

void stat_catalog_free(struct stat_catalog *cat) { stat_set_free(&cat->names); }
