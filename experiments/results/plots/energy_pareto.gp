# scbnn plot: accuracy against energy per inference, Pareto front marked and labelled
# `gnuplot experiments/results/plots/energy_pareto.gp` draws experiments/results/plots/energy_pareto.png and experiments/results/plots/energy_pareto.svg again from experiments/results/plots/energy_pareto.dat (data, png and svg can be set with -e)
if (!exists("data")) data = "experiments/results/plots/energy_pareto.dat"
if (!exists("png")) png = "experiments/results/plots/energy_pareto.png"
if (!exists("svg")) svg = "experiments/results/plots/energy_pareto.svg"
set encoding utf8
set terminal pngcairo noenhanced size 1000,687 font 'sans,10'
set output png
set title "Accuracy vs energy per inference\nerror_mode=ideal" font ',13'
set xlabel "energy per inference (nJ)" font ',11'
set ylabel "accuracy (%)" font ',11'
set grid lc rgb '#d0d0d0'
set bars small
set xrange [47.10074415795997:572.5522517650012]
set key bottom right opaque box lc rgb '#b0b0b0'
set bmargin 6.5
set label 100 "error bars: 95 % Wilson score intervals of the accuracy, 10000 images per point\nfront points labelled by the keys that differ among the points: network.path, accel.input_mode, accel.fixed.organisation, accel.array.count, accel.sng.source,\naccel.sc.stream_length, accel.sng.sharing, accel.sng.shared_sources" at character 1, character 2.7 left font ',8' textcolor rgb '#505050'
plot data index 0 using 1:2:3:4 with yerrorbars pt 6 ps 1.1 lc rgb '#8c8c8c' title 'other design points', \
     data index 1 using 1:2 with lines lw 2 lc rgb '#1f77b4' title 'Pareto front', \
     data index 1 using 1:2:3:4 with yerrorbars pt 7 ps 1.3 lc rgb '#1f77b4' notitle, \
     data index 2 using 1:2:3 with labels left offset 1.2,0.7 font ',9' textcolor rgb '#0b3c6e' notitle
set terminal svg noenhanced size 1000,687 font 'sans,10' background rgb 'white'
set output svg
replot
unset output
