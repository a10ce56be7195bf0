/* commands.h - the vhptsim subcommands. */
#ifndef VHPTSIM_COMMANDS_H
#define VHPTSIM_COMMANDS_H

int cmd_replay(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_workload(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_report(int argc, char **argv);

#endif
