# scbnn plot: cycles per inference against SC PE: weight-stream bits each PE produces and counts per cycle (accel.mac.stream_bits_per_cycle, one curve per accel.mac.weight_bits)
# `gnuplot experiments/results/plots/sc_cnn_cycles.gp` draws experiments/results/plots/sc_cnn_cycles.png and experiments/results/plots/sc_cnn_cycles.svg again from experiments/results/plots/sc_cnn_cycles.dat (data, png and svg can be set with -e)
if (!exists("data")) data = "experiments/results/plots/sc_cnn_cycles.dat"
if (!exists("png")) png = "experiments/results/plots/sc_cnn_cycles.png"
if (!exists("svg")) svg = "experiments/results/plots/sc_cnn_cycles.svg"
set encoding utf8
set terminal pngcairo noenhanced size 1250,660 font 'sans,10'
set output png
set title "Cycles per inference vs SC PE: weight-stream bits each PE produces and counts per cycle\nearly_termination=true" font ',13'
set xlabel "SC PE: weight-stream bits each PE produces and counts per cycle (bits)" font ',11'
set ylabel "cycles per inference" font ',11'
set grid lc rgb '#d0d0d0'
set bars small
set logscale x 2
set xtics ("1" 1, "2" 2, "4" 4, "8" 8, "16" 16)
set xrange [0.8695652173913044:18.4]
set logscale y 10
set ytics ("2×10⁴" 20000, "5×10⁴" 50000, "10⁵" 1e+05, "2×10⁵" 2e+05, "5×10⁵" 5e+05, "10⁶" 1e+06, "" 20000 1, "" 30000 1, "" 40000 1, "" 50000 1, "" 60000 1, "" 70000 1, "" 80000 1, "" 90000 1, "" 2e+05 1, "" 3e+05 1, "" 4e+05 1, "" 5e+05 1, "" 6e+05 1, "" 7e+05 1, "" 8e+05 1, "" 9e+05 1)
set yrange [11017.997650538233:1633958.0478229227]
set key outside right top box lc rgb '#b0b0b0' spacing 1.2 title "largest weight precision B the PEs are built for"
set bmargin 4.7
set label 100 "x: accel.mac.stream_bits_per_cycle; curves: accel.mac.weight_bits" at character 1, character 0.9 left font ',8' textcolor rgb '#505050'
plot data index 0 using 1:2 with linespoints lc rgb '#1f77b4' pt 7 ps 1.1 lw 1.5 title "4 bits", \
     data index 1 using 1:2 with linespoints lc rgb '#ff7f0e' pt 5 ps 1.1 lw 1.5 title "5 bits", \
     data index 2 using 1:2 with linespoints lc rgb '#2ca02c' pt 9 ps 1.1 lw 1.5 title "6 bits", \
     data index 3 using 1:2 with linespoints lc rgb '#d62728' pt 11 ps 1.1 lw 1.5 title "7 bits", \
     data index 4 using 1:2 with linespoints lc rgb '#9467bd' pt 13 ps 1.1 lw 1.5 title "8 bits", \
     data index 5 using 1:2 with lines dt 2 lw 2 lc rgb '#1f77b4' title "4 bits: binary MAC PE", \
     data index 6 using 1:2 with lines dt 2 lw 2 lc rgb '#ff7f0e' title "5 bits: binary MAC PE", \
     data index 7 using 1:2 with lines dt 2 lw 2 lc rgb '#2ca02c' title "6 bits: binary MAC PE", \
     data index 8 using 1:2 with lines dt 2 lw 2 lc rgb '#d62728' title "7 bits: binary MAC PE", \
     data index 9 using 1:2 with lines dt 2 lw 2 lc rgb '#9467bd' title "8 bits: binary MAC PE"
set terminal svg noenhanced size 1250,660 font 'sans,10' background rgb 'white'
set output svg
replot
unset output
