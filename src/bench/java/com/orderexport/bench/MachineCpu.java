package com.orderexport.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy the whole machine's CPUs were over an interval, from Linux's {@code /proc/stat}: on a shared
 * machine, other processes' load is contention too, and the process's own CPU time does not show it.
 */
final class MachineCpu {

    /** Jiffies spent busy and in all, summed over the machine's CPUs; negative when unknown. */
    record Snapshot(long busy, long total) {}

    private MachineCpu() {}

    static Snapshot now() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < fields.length; i++) {
                total += Long.parseLong(fields[i]);
            }
            long idle = Long.parseLong(fields[4]) + (fields.length > 5 ? Long.parseLong(fields[5]) : 0); // idle, iowait
            return new Snapshot(total - idle, total);
        } catch (IOException | RuntimeException notLinux) {
            return new Snapshot(-1, -1);
        }
    }

    /** The busy fraction (0 to 1) of all CPUs since {@code start}; NaN when unknown. */
    static double busySince(Snapshot start) {
        Snapshot end = now();
        if (start.total() < 0 || end.total() <= start.total()) {
            return Double.NaN;
        }
        return (double) (end.busy() - start.busy()) / (end.total() - start.total());
    }
}
