/*
 * result_config.h - is an earlier result's config.yaml the configuration we are about to run?
 *
 * Both texts are resolved configurations (run_config_write: every key, defaults included), so
 * equal runs have equal bytes; the comparison still goes key by key (libyaml) so that it can
 * name the first key that differs, in the dotted form `--set` and docs/config.md use
 * (vmm.vtlb_size, guest.region_page_size.3), and so that comments or layout alone differ in
 * nothing.
 */
#ifndef VHPTSIM_RESULT_CONFIG_H
#define VHPTSIM_RESULT_CONFIG_H

#include <stddef.h>

/*
 * Compares `old` (the result's config.yaml) with `cur` (the configuration now).
 * 0: the same settings. 1: they differ; `diff` gets the first differing key and both values,
 * e.g. "vmm.vtlb_size is 128K in the result, 1M now". -1: `old` is not a YAML mapping that can
 * be compared (diff says so); treat it as different.
 */
int result_config_compare(const char *old, size_t old_len, const char *cur, size_t cur_len, char *diff,
                          size_t diff_len);

#endif
