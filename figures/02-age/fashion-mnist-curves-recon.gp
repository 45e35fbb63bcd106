# Rendered by the chapter run; re-plot with: cd figures/02-age && gnuplot fashion-mnist-curves-recon.gp
set terminal pngcairo size 900,600 enhanced font 'DejaVu Sans,11'
set output 'fashion-mnist-curves-recon.png'
set title "fashion-mnist-official-code-seed0: reconstruction losses (moving average over 18 iterations)"
set xlabel "iteration"
set ylabel "loss"
set grid
set key below horizontal height 1.5
set autoscale xfix
set offsets graph 0.02, graph 0.02, 0, 0
set logscale y
plot 'fashion-mnist-curves-recon.0.dat' using 1:2 with lines lw 2 lc rgb '#0072B2' title "L_X = |x - g(e(x))|_1 (per pixel)", \
     'fashion-mnist-curves-recon.1.dat' using 1:2 with lines lw 2 lc rgb '#D55E00' title "L_Z (per dimension)"
