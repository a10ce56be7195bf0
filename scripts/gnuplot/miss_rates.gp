# miss_rates.gp - miss rates per interval of one run (timeseries.csv), vCPU 0.
# gnuplot -e "in='DIR/timeseries.csv'; out='DIR/miss_rates.svg'" scripts/gnuplot/miss_rates.gp
set terminal svg size 900,500 dynamic noenhanced font 'sans,11'
set output out
set datafile separator ','
set key outside right top
set xlabel 'references (vCPU 0)'
set ylabel 'miss rate in the interval'
set yrange [0:1.05]
set grid
set title 'Miss rates over time'
plot in using ($1 == 0 ? $2 : 1/0):6 with linespoints title 'L1 DTLB', \
     in using ($1 == 0 ? $2 : 1/0):7 with linespoints title 'L2 DTLB', \
     in using ($1 == 0 ? $2 : 1/0):8 with linespoints title 'VHPT walker', \
     in using ($1 == 0 ? $2 : 1/0):9 with linespoints title 'vTLB (VMM)', \
     in using ($1 == 0 ? $2 : 1/0):4 with lines dashtype 2 title 'L1 ITLB'
