package com.orderexport.bench;

/** How big and how many: the full run's sizes, or the quick smoke run's. */
record Scale(
        boolean quick,
        int csvOrders, int csvWarmups, int csvRounds,
        int exportOrders, int exportWarmups, int exportRounds,
        int latencyOrders, int latencyRounds,
        int heapOrders, int heapFactor, int heapRounds,
        int coldRounds,
        int warmIterations,
        int scanYears, int scanOrdersPerDay) {

    static Scale fullRun() {
        return new Scale(false, 20_000, 20, 61, 100_000, 3, 9, 40_000, 3, 100_000, 10, 1, 5, 3_000, 3, 3);
    }

    static Scale quickRun() {
        return new Scale(true, 5_000, 3, 9, 20_000, 2, 3, 10_000, 1, 10_000, 10, 1, 2, 500, 3, 1);
    }
}
