# Rendered by the chapter run; re-plot with: cd figures/01-theory && gnuplot kl_consistency.gp
set terminal pngcairo size 900,600 enhanced font 'DejaVu Sans,11'
set output 'kl_consistency.png'
set title "Eq. (7) on N(0, I) codes: bias against batch size (mean ± sd over 40 draws)"
set xlabel "batch size B"
set ylabel "estimate of KL (per dimension)"
set grid
set key below horizontal height 1.5
set autoscale xfix
set offsets graph 0.02, graph 0.02, 0, 0
set logscale x
set logscale y
plot 'kl_consistency.0.dat' using 1:2:3 with yerrorlines lw 2 lc rgb '#0072B2' title "M = 3", \
     'kl_consistency.1.dat' using 1:2:3 with yerrorlines lw 2 lc rgb '#D55E00' title "M = 64", \
     'kl_consistency.2.dat' using 1:2:3 with yerrorlines lw 2 lc rgb '#009E73' title "M = 128"
