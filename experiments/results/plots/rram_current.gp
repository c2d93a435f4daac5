# scbnn plot: accuracy against programming pulse current (accel.mram.pulse_ua, one curve per accel.rram.cell)
# `gnuplot experiments/results/plots/rram_current.gp` draws experiments/results/plots/rram_current.png and experiments/results/plots/rram_current.svg again from experiments/results/plots/rram_current.dat (data, png and svg can be set with -e)
if (!exists("data")) data = "experiments/results/plots/rram_current.dat"
if (!exists("png")) png = "experiments/results/plots/rram_current.png"
if (!exists("svg")) svg = "experiments/results/plots/rram_current.svg"
set encoding utf8
set terminal pngcairo noenhanced size 1000,660 font 'sans,10'
set output png
set title "Accuracy vs programming pulse current" font ',13'
set xlabel "programming pulse current (µA)" font ',11'
set ylabel "accuracy (%)" font ',11'
set grid lc rgb '#d0d0d0'
set bars small
set logscale x 10
set xtics ("2" 2, "5" 5, "10" 10, "20" 20, "50" 50, "100" 100, "200" 200, "500" 500, "1000" 1000, "" 2 1, "" 3 1, "" 4 1, "" 5 1, "" 6 1, "" 7 1, "" 8 1, "" 9 1, "" 20 1, "" 30 1, "" 40 1, "" 50 1, "" 60 1, "" 70 1, "" 80 1, "" 90 1, "" 200 1, "" 300 1, "" 400 1, "" 500 1, "" 600 1, "" 700 1, "" 800 1, "" 900 1)
set xrange [1.4658228771085375:1364.4213303214185]
set format y '%.10g'
set key bottom right opaque box lc rgb '#b0b0b0' spacing 1.2 title "bit cell"
set bmargin 4.7
set label 100 "x: accel.mram.pulse_ua; curves: accel.rram.cell; error bars: 95 % Wilson score intervals of the accuracy, 2000 images per point" at character 1, character 0.9 left font ',8' textcolor rgb '#505050'
plot data index 0 using 1:2:3:4 with yerrorlines lc rgb '#1f77b4' pt 7 ps 1.1 lw 1.5 title "2T2R", \
     data index 1 using 1:2:3:4 with yerrorlines lc rgb '#ff7f0e' pt 5 ps 1.1 lw 1.5 title "1T1R"
set terminal svg noenhanced size 1000,660 font 'sans,10' background rgb 'white'
set output svg
replot
unset output
