# scbnn plot: energy per inference by component class, one bar per point
# `gnuplot experiments/results/plots/energy_breakdown_sc8_lfsr.gp` draws experiments/results/plots/energy_breakdown_sc8_lfsr.png and experiments/results/plots/energy_breakdown_sc8_lfsr.svg again from experiments/results/plots/energy_breakdown_sc8_lfsr.dat (data, png and svg can be set with -e)
if (!exists("data")) data = "experiments/results/plots/energy_breakdown_sc8_lfsr.dat"
if (!exists("png")) png = "experiments/results/plots/energy_breakdown_sc8_lfsr.png"
if (!exists("svg")) svg = "experiments/results/plots/energy_breakdown_sc8_lfsr.svg"
set encoding utf8
set terminal pngcairo noenhanced size 1000,650 font 'sans,10'
set output png
set title "Energy per inference by component class\nfmnist_bnn_sc8, source=lfsr, sharing≠shared_rotate" font ',13'
set ylabel "energy per inference (nJ)" font ',11'
set style data histograms
set style histogram rowstacked
set style fill solid 1.0 border rgb '#404040'
set boxwidth 0.7
set key outside right top title 'component class' spacing 1.1
set grid ytics lc rgb '#d0d0d0'
set xrange [-0.6:6.6]
set yrange [0:570.8107202165997]
set xtics nomirror ("stream_length=1" 0, "stream_length=2" 1, "stream_length=3" 2, "stream_length=4" 3, "stream_length=6" 4, "stream_length=8" 5, "stream_length=16" 6)
set bmargin 3.7
set label 100 "bars labelled by accel.sc.stream_length; totals above the bars" at character 1, character 0.9 left font ',8' textcolor rgb '#505050'
plot data using 2 lc rgb '#f3c300' title "accumulator", \
     data using 3 lc rgb '#875692' title "activation_buffer", \
     data using 4 lc rgb '#f38400' title "adder_tree", \
     data using 5 lc rgb '#a1caf1' title "controller", \
     data using 6 lc rgb '#be0032' title "input_buffer", \
     data using 7 lc rgb '#c2b280' title "input_latch", \
     data using 8 lc rgb '#848482' title "lfsr", \
     data using 9 lc rgb '#008856' title "mram_2t2r_array", \
     data using 10 lc rgb '#e68fac' title "output_scorer", \
     data using 11 lc rgb '#0067a5' title "param_memory", \
     data using 12 lc rgb '#f99379' title "partial_sum_register", \
     data using 13 lc rgb '#604e97' title "pcsa", \
     data using 14 lc rgb '#f6a600' title "register_bank", \
     data using 15 lc rgb '#b3446c' title "sng_comparator", \
     data using 16 lc rgb '#dcd300' title "threshold_comparator", \
     data using 17 lc rgb '#882d17' title "xnor_popcount", \
     data using 0:18:(sprintf('%.4g', column(18))) with labels offset 0,0.7 font ',9' notitle
set terminal svg noenhanced size 1000,650 font 'sans,10' background rgb 'white'
set output svg
replot
unset output
