package com.orderexport.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of the benchmark's result: a ratio of two things measured side by side in the same run, both
 * absolute values beside it, and whether the ratio meets its target ({@code ">=x"} or {@code "<=x"}).
 *
 * @param extra further facts for the JSON line (e.g. class counts); a false {@code extraMet} fails the figure
 * @param note one line for the table saying what exactly was compared
 */
record Figure(String id, String measured, Double ratio, Double ours, Double baseline, String unit, String target,
              Boolean met, Map<String, Object> extra, String note) {

    static Figure of(String id, String measured, double ratio, double ours, double baseline, String unit,
                     String target, boolean extraMet, Map<String, Object> extra, String note) {
        return new Figure(id, measured, ratio, ours, baseline, unit, target, meets(ratio, target) && extraMet,
                extra, note);
    }

    static Figure skipped(String id, String measured, String target, String reason) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("skipped", reason);
        return new Figure(id, measured, null, null, null, null, target, null, extra, "skipped: " + reason);
    }

    static Figure failed(String id, String measured, String target, Throwable error) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("error", String.valueOf(error));
        return new Figure(id, measured, null, null, null, null, target, false, extra, "error: " + error);
    }

    private static boolean meets(double ratio, String target) {
        if (target.equals("report")) {
            return true; // a figure to publish, with no bound to hold it to
        }
        double bound = Double.parseDouble(target.substring(2));
        return target.startsWith(">=") ? ratio >= bound : ratio <= bound;
    }

    /** The figure as one entry of the JSON line. */
    Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("ratio", round(ratio));
        json.put("ours", round(ours));
        json.put("baseline", round(baseline));
        json.put("unit", unit);
        json.put("target", target);
        json.put("met", met);
        json.putAll(extra);
        return json;
    }

    static Double round(Double value) {
        if (value == null) {
            return null;
        }
        double magnitude = Math.abs(value);
        double scale = magnitude >= 1000 ? 1 : magnitude >= 10 ? 100 : 1000;
        return Math.round(value * scale) / scale;
    }
}
