/**
 * The emulated AWS stack shared by the local stack, the tests and the benchmark: the emulator process, template.yaml
 * read as data, the tables, bucket and queue it declares created from it, and the guard that keeps moto's
 * cancelled transactions from undoing other writes.
 */
package com.orderexport.stack;
