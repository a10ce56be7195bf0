# cycles.gp - where the cycles went (cycles.dat: "row cycles" lines, the non-zero rows of a run).
# gnuplot -e "in='cycles.dat'; out='DIR/cycles.svg'" scripts/gnuplot/cycles.gp
set terminal svg size 900,500 dynamic noenhanced font 'sans,11'
set output out
set style data histograms
set style fill solid 0.8 border -1
set boxwidth 0.8
set xtics rotate by -45 left
set ylabel 'cycles (all vCPUs)'
set logscale y
set grid ytics
set key off
set title 'Cycles per path'
plot in using 2:xtic(1)
