# Rendered by the chapter run; re-plot with: cd figures/02-age && gnuplot fashion-mnist-curves-kl.gp
set terminal pngcairo size 900,600 enhanced font 'DejaVu Sans,11'
set output 'fashion-mnist-curves-kl.png'
set title "fashion-mnist-official-code-seed0: divergences of eq. (7) (encoder step; moving average over 18 iterations)"
set xlabel "iteration"
set ylabel "Delta(. || N(0, I))"
set grid
set key below horizontal height 1.5
set autoscale xfix
set offsets graph 0.02, graph 0.02, 0, 0
set y2tics
set y2label 'M x variance of e(x)'
set y2range [0:*]
set arrow from graph 0, first 1.5873 to graph 1, first 1.5873 nohead dt 2 lc rgb 'gray'
set label 'minimum on the sphere' at graph 0.02, first 1.555508960846239 tc rgb 'gray'
plot 'fashion-mnist-curves-kl.0.dat' using 1:2 with lines lw 2 lc rgb '#0072B2' title "KL real: Delta(e(X))", \
     'fashion-mnist-curves-kl.1.dat' using 1:2 with lines lw 2 lc rgb '#D55E00' title "KL fake: Delta(e(g(Z)))", \
     'fashion-mnist-curves-kl.2.dat' using 1:2 axes x1y2 with lines lw 1 dt 3 lc rgb '#009E73' title "M x variance of e(x) (right axis; uniform: 1)"
