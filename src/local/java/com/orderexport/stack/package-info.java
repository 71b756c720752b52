/**
 * The emulated AWS stack shared by the local stack, the tests and the benchmark: the emulator process, template.yaml
 * read as data, and the tables and bucket it declares created from it.
 */
package com.orderexport.stack;
