/**
 * The export's CSV: the column list, the row writer, formula neutralisation and timestamp text. Knows orders,
 * nothing of AWS or jobs.
 */
package com.orderexport.csv;
