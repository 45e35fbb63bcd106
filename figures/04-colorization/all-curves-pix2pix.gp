# Rendered by the chapter run; re-plot with: cd figures/04-colorization && gnuplot all-curves-pix2pix.gp
set terminal pngcairo size 900,560 enhanced font 'DejaVu Sans,11'
set output 'all-curves-pix2pix.png'
set title "all: pix2pix losses (moving average over 5 iterations)"
set xlabel "iteration"
set ylabel "loss"
set grid
set key outside right top
set logscale y
plot 'all-curves-pix2pix.0.dat' using 1:2 with lines lw 2 title "D: BCE", \
     'all-curves-pix2pix.1.dat' using 1:2 with lines lw 2 title "G: BCE", \
     'all-curves-pix2pix.2.dat' using 1:2 with lines lw 2 title "G: L1 (scaled ab)"
