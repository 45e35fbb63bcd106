# Rendered by the chapter run; re-plot with: cd figures/01-theory && gnuplot theorem3.gp
set terminal pngcairo size 900,600 enhanced font 'DejaVu Sans,11'
set output 'theorem3.png'
set title "Theorem 3: training e on L_Z only, with f aligning N(0, I) onto an annulus"
set xlabel "Adam steps on L_Z"
set ylabel "reconstruction error"
set grid
set key below horizontal height 1.5
set autoscale xfix
set offsets graph 0.02, graph 0.02, 0, 0
set logscale y
plot 'theorem3.0.dat' using 1:2 with lines lw 2 lc rgb '#0072B2' title "L_Z (trained)", \
     'theorem3.1.dat' using 1:2 with lines lw 2 lc rgb '#D55E00' title "L_X on the data's support", \
     'theorem3.2.dat' using 1:2 with lines lw 2 lc rgb '#009E73' title "L_X off the support"
