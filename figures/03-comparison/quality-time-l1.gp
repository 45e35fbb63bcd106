# Rendered by the chapter run; re-plot with: cd figures/03-comparison && gnuplot quality-time-l1.gp
set terminal pngcairo size 900,600 enhanced font 'DejaVu Sans,11'
set output 'quality-time-l1.png'
set title "Test reconstruction error against training time"
set xlabel "training seconds"
set ylabel "L1 per pixel on [-1, 1]"
set grid
set key below horizontal height 1.5
set autoscale xfix
set offsets graph 0.02, graph 0.02, 0, 0
plot 'quality-time-l1.0.dat' using 1:2 with linespoints lw 2 pt 7 lc rgb '#D55E00' title "AGE", \
     'quality-time-l1.1.dat' using 1:2 with linespoints lw 2 pt 7 lc rgb '#0072B2' title "ALI", \
     'quality-time-l1.2.dat' using 1:2 with linespoints lw 2 pt 7 lc rgb '#009E73' title "BiGAN", \
     'quality-time-l1.3.dat' using 1:2 with linespoints lw 2 pt 7 lc rgb '#E69F00' title "AAE", \
     'quality-time-l1.4.dat' using 1:2 with linespoints lw 2 pt 7 lc rgb '#CC79A7' title "alpha-GAN", \
     'quality-time-l1.5.dat' using 1:2 with linespoints lw 2 pt 7 lc rgb '#000000' title "VAE"
