package com.orderexport.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Measures two sides of a comparison in the same run, alternating which side goes first each round, so that
 * a noisy neighbour on a shared machine slows both sides alike; figures are medians over the rounds.
 */
final class SideBySide {

    /** One measured run of one side; returns the measured quantity (seconds, unless said otherwise). */
    @FunctionalInterface
    interface Trial {
        double run() throws Exception;
    }

    /** The per-round samples of both sides. */
    record Samples(List<Double> ours, List<Double> baseline) {
        double oursMedian() {
            return median(ours);
        }

        double baselineMedian() {
            return median(baseline);
        }

        /**
         * The median over rounds of baseline / ours, each round's two runs taken back to back: steadier than the
         * ratio of the medians when the machine's load changes between rounds. For times, this is ours' speed
         * relative to the baseline's.
         */
        double baselineOverOursMedian() {
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < ours.size(); i++) {
                ratios.add(baseline.get(i) / ours.get(i));
            }
            return median(ratios);
        }
    }

    private SideBySide() {}

    static Samples run(int warmups, int rounds, Trial ours, Trial baseline) throws Exception {
        for (int i = 0; i < warmups; i++) {
            ours.run();
            baseline.run();
        }
        List<Double> o = new ArrayList<>();
        List<Double> b = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            if (round % 2 == 0) {
                o.add(ours.run());
                b.add(baseline.run());
            } else {
                b.add(baseline.run());
                o.add(ours.run());
            }
        }
        return new Samples(o, b);
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static double secondsSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
