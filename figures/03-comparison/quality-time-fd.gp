# Rendered by the chapter run; re-plot with: cd figures/03-comparison && gnuplot quality-time-fd.gp
set terminal pngcairo size 900,600 enhanced font 'DejaVu Sans,11'
set output 'quality-time-fd.png'
set title "Frechet distance of samples against training time"
set xlabel "training seconds"
set ylabel "Frechet distance (classifier features)"
set grid
set key below horizontal height 1.5
set autoscale xfix
set offsets graph 0.02, graph 0.02, 0, 0
set logscale y
plot 'quality-time-fd.0.dat' using 1:2 with linespoints lw 2 pt 7 lc rgb '#D55E00' title "AGE", \
     'quality-time-fd.1.dat' using 1:2 with linespoints lw 2 pt 7 lc rgb '#0072B2' title "ALI", \
     'quality-time-fd.2.dat' using 1:2 with linespoints lw 2 pt 7 lc rgb '#009E73' title "BiGAN", \
     'quality-time-fd.3.dat' using 1:2 with linespoints lw 2 pt 7 lc rgb '#E69F00' title "AAE", \
     'quality-time-fd.4.dat' using 1:2 with linespoints lw 2 pt 7 lc rgb '#CC79A7' title "alpha-GAN", \
     'quality-time-fd.5.dat' using 1:2 with linespoints lw 2 pt 7 lc rgb '#000000' title "VAE", \
     'quality-time-fd.6.dat' using 1:2 with linespoints lw 2 pt 7 lc rgb '#777777' title "DCGAN"
