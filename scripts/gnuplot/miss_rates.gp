# miss_rates.gp - miss rates over time of one run, a line per vCPU (data: one block per vCPU,
# columns refs, L1 DTLB, L2 DTLB, walker, vTLB, L1 ITLB miss rates of each interval).
# Variables: data, ncpu, title_.
set multiplot layout 2,2 title title_
set yrange [0:1.02]
set grid
set key outside top center horizontal samplen 2
set xlabel 'references of the vCPU'
set ylabel 'miss rate (misses / lookups)'
set format x '%.1s%c'
set title 'L1 DTLB'
plot for [i=0:ncpu-1] data index i using 1:2 with linespoints title sprintf('vCPU %d', i)
set title 'L2 DTLB'
plot for [i=0:ncpu-1] data index i using 1:3 with linespoints title sprintf('vCPU %d', i)
set title 'VHPT walker'
plot for [i=0:ncpu-1] data index i using 1:4 with linespoints title sprintf('vCPU %d', i)
set title 'vTLB (VMM)'
plot for [i=0:ncpu-1] data index i using 1:5 with linespoints title sprintf('vCPU %d', i)
unset multiplot
