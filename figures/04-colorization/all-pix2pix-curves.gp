# Rendered by the chapter run; re-plot with: cd figures/04-colorization && gnuplot all-pix2pix-curves.gp
set terminal pngcairo size 900,600 enhanced font 'DejaVu Sans,11'
set output 'all-pix2pix-curves.png'
set title "all-pix2pix: pix2pix losses (moving average, 9 iterations)"
set xlabel "iteration"
set ylabel "loss"
set grid
set key below horizontal height 1.5
set autoscale xfix
set offsets graph 0.02, graph 0.02, 0, 0
set logscale y
plot 'all-pix2pix-curves.0.dat' using 1:2 with lines lw 2 lc rgb '#0072B2' title "D: BCE", \
     'all-pix2pix-curves.1.dat' using 1:2 with lines lw 2 lc rgb '#D55E00' title "G: BCE", \
     'all-pix2pix-curves.2.dat' using 1:2 with lines lw 2 lc rgb '#009E73' title "G: L1 (scaled ab)"
