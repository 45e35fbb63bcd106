# Rendered by the chapter run; re-plot with: cd figures/02-age && gnuplot fashion-mnist-codes.gp
set terminal pngcairo size 900,600 enhanced font 'DejaVu Sans,11'
set output 'fashion-mnist-codes.png'
set title "fashion-mnist: per-dimension statistics of e(x) over test images"
set xlabel "latent dimension j"
set ylabel "value"
set grid
set key below horizontal height 1.5
set autoscale xfix
set offsets graph 0.02, graph 0.02, 0, 0
set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2 lc rgb 'gray'
set arrow from graph 0, first 0 to graph 1, first 0 nohead dt 2 lc rgb 'gray'
plot 'fashion-mnist-codes.0.dat' using 1:2 with points pt 7 ps 0.6 lc rgb '#0072B2' title "mean m_j (prior: 0)", \
     'fashion-mnist-codes.1.dat' using 1:3 with points pt 5 ps 0.6 lc rgb '#D55E00' title "M * variance (prior: 1)"
