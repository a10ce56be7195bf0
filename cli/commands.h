/* commands.h - the vhptsim subcommands. */
#ifndef VHPTSIM_COMMANDS_H
#define VHPTSIM_COMMANDS_H

int cmd_replay(int argc, char **argv);

#endif
