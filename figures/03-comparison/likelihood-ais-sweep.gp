# Rendered by the chapter run; re-plot with: cd figures/03-comparison && gnuplot likelihood-ais-sweep.gp
set terminal pngcairo size 900,600 enhanced font 'DejaVu Sans,11'
set output 'likelihood-ais-sweep.png'
set title "AIS estimate against the number of distributions T"
set xlabel "T (intermediate distributions)"
set ylabel "mean log p(x), nats"
set grid
set key below horizontal height 1.5
set autoscale xfix
set offsets graph 0.02, graph 0.02, 0, 0
set logscale x
plot 'likelihood-ais-sweep.0.dat' using 1:2 with linespoints lw 2 pt 7 lc rgb '#000000' title "VAE"
