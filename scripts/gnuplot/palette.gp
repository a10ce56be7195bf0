# palette.gp - the styles every report figure shares (vhptsim report prepends it). Colours are
# the Okabe-Ito set (told apart by colour-blind readers), all dark enough on white; each line
# also has its own dash pattern and point shape, so a figure still reads in black-and-white print.
set linetype 1 lc rgb '#0072B2' lw 2 pt 7 ps 0.8 dt 1
set linetype 2 lc rgb '#D55E00' lw 2 pt 5 ps 0.8 dt 2
set linetype 3 lc rgb '#009E73' lw 2 pt 9 ps 0.9 dt 3
set linetype 4 lc rgb '#CC79A7' lw 2 pt 11 ps 0.9 dt 4
set linetype 5 lc rgb '#000000' lw 2 pt 13 ps 0.9 dt 5
set linetype 6 lc rgb '#E69F00' lw 2 pt 4 ps 0.8 dt 1
set linetype 7 lc rgb '#56B4E9' lw 2 pt 6 ps 0.8 dt 2
set linetype 8 lc rgb '#777777' lw 2 pt 8 ps 0.8 dt 3
set linetype cycle 8
set datafile missing '?'
set border 3
set tics nomirror
