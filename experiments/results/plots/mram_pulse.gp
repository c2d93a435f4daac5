# scbnn plot: accuracy against programming pulse duration (accel.mram.pulse_ns)
# `gnuplot experiments/results/plots/mram_pulse.gp` draws experiments/results/plots/mram_pulse.png and experiments/results/plots/mram_pulse.svg again from experiments/results/plots/mram_pulse.dat (data, png and svg can be set with -e)
if (!exists("data")) data = "experiments/results/plots/mram_pulse.dat"
if (!exists("png")) png = "experiments/results/plots/mram_pulse.png"
if (!exists("svg")) svg = "experiments/results/plots/mram_pulse.svg"
set encoding utf8
set terminal pngcairo noenhanced size 1000,660 font 'sans,10'
set output png
set title "Accuracy vs programming pulse duration" font ',13'
set xlabel "programming pulse duration (ns)" font ',11'
set ylabel "accuracy (%)" font ',11'
set grid lc rgb '#d0d0d0'
set bars small
set format x '%.10g'
set xrange [2.64:12.36]
set format y '%.10g'
set key off  # one curve: the y axis names it

set bmargin 4.7
set label 100 "x: accel.mram.pulse_ns; error bars: 95 % Wilson score intervals of the accuracy, 10000 images per point" at character 1, character 0.9 left font ',8' textcolor rgb '#505050'
plot data index 0 using 1:2:3:4 with yerrorlines lc rgb '#1f77b4' pt 7 ps 1.1 lw 1.5 title "accuracy"
set terminal svg noenhanced size 1000,660 font 'sans,10' background rgb 'white'
set output svg
replot
unset output
