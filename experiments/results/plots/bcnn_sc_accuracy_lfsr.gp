# scbnn plot: accuracy against stochastic samples per pixel N (accel.sc.stream_length, one curve per network.path)
# `gnuplot experiments/results/plots/bcnn_sc_accuracy_lfsr.gp` draws experiments/results/plots/bcnn_sc_accuracy_lfsr.png and experiments/results/plots/bcnn_sc_accuracy_lfsr.svg again from experiments/results/plots/bcnn_sc_accuracy_lfsr.dat (data, png and svg can be set with -e)
if (!exists("data")) data = "experiments/results/plots/bcnn_sc_accuracy_lfsr.dat"
if (!exists("png")) png = "experiments/results/plots/bcnn_sc_accuracy_lfsr.png"
if (!exists("svg")) svg = "experiments/results/plots/bcnn_sc_accuracy_lfsr.svg"
set encoding utf8
set terminal pngcairo noenhanced size 1000,660 font 'sans,10'
set output png
set title "Accuracy vs stochastic samples per pixel N\nsource=lfsr" font ',13'
set xlabel "stochastic samples per pixel N (samples)" font ',11'
set ylabel "accuracy (%)" font ',11'
set grid lc rgb '#d0d0d0'
set bars small
set logscale x 2
set xtics ("1" 1, "2" 2, "4" 4, "8" 8, "16" 16, "32" 32)
set xrange [0.8408964152537146:38.05462768008707]
set format y '%.10g'
set key bottom right opaque box lc rgb '#b0b0b0' spacing 1.2 title "network file"
set bmargin 4.7
set label 100 "x: accel.sc.stream_length; curves: network.path; error bars: 95 % Wilson score intervals of the accuracy, 10000 images per point" at character 1, character 0.9 left font ',8' textcolor rgb '#505050'
plot data index 0 using 1:2:3:4 with yerrorlines lc rgb '#1f77b4' pt 7 ps 1.1 lw 1.5 title "fmnist_bcnn_fixed", \
     data index 1 using 1:2:3:4 with yerrorlines lc rgb '#ff7f0e' pt 5 ps 1.1 lw 1.5 title "fmnist_bcnn_sc8", \
     data index 2 using 1:3:4 with filledcurves fc rgb '#1f77b4' fs transparent solid 0.15 noborder notitle, \
     data index 2 using 1:2 with lines dt 2 lw 2 lc rgb '#1f77b4' title "fmnist_bcnn_fixed: fixed-point input", \
     data index 3 using 1:3:4 with filledcurves fc rgb '#ff7f0e' fs transparent solid 0.15 noborder notitle, \
     data index 3 using 1:2 with lines dt 2 lw 2 lc rgb '#ff7f0e' title "fmnist_bcnn_sc8: fixed-point input"
set terminal svg noenhanced size 1000,660 font 'sans,10' background rgb 'white'
set output svg
replot
unset output
