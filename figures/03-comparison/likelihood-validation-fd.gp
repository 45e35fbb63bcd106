# Rendered by the chapter run; re-plot with: cd figures/03-comparison && gnuplot likelihood-validation-fd.gp
set terminal pngcairo size 900,600 enhanced font 'DejaVu Sans,11'
set output 'likelihood-validation-fd.png'
set title "Likelihood models: FD of 7x7-pooled samples"
set xlabel "epoch"
set ylabel "Frechet distance (pooled pixels)"
set grid
set key below horizontal height 1.5
set autoscale xfix
set offsets graph 0.02, graph 0.02, 0, 0
set logscale y
plot 'likelihood-validation-fd.0.dat' using 1:2 with linespoints lw 2 pt 7 ps 0.5 lc rgb '#D55E00' title "AGE", \
     'likelihood-validation-fd.1.dat' using 1:2 with linespoints lw 2 pt 7 ps 0.5 lc rgb '#0072B2' title "ALI", \
     'likelihood-validation-fd.2.dat' using 1:2 with linespoints lw 2 pt 7 ps 0.5 lc rgb '#000000' title "VAE", \
     'likelihood-validation-fd.3.dat' using 1:2 with linespoints lw 2 pt 7 ps 0.5 lc rgb '#0072B2' title "gan"
