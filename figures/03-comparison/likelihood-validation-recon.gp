# Rendered by the chapter run; re-plot with: cd figures/03-comparison && gnuplot likelihood-validation-recon.gp
set terminal pngcairo size 900,600 enhanced font 'DejaVu Sans,11'
set output 'likelihood-validation-recon.png'
set title "Likelihood models: validation reconstruction error"
set xlabel "epoch"
set ylabel "|x - g(e(x))|^2 per digit on [0, 1]"
set grid
set key below horizontal height 1.5
set autoscale xfix
set offsets graph 0.02, graph 0.02, 0, 0
set logscale y
plot 'likelihood-validation-recon.0.dat' using 1:2 with linespoints lw 2 pt 7 ps 0.5 lc rgb '#D55E00' title "AGE", \
     'likelihood-validation-recon.1.dat' using 1:2 with linespoints lw 2 pt 7 ps 0.5 lc rgb '#0072B2' title "ALI", \
     'likelihood-validation-recon.2.dat' using 1:2 with linespoints lw 2 pt 7 ps 0.5 lc rgb '#000000' title "VAE"
