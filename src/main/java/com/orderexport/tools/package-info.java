/**
 * Command-line entry points for operators: the JSONL order loader, the Elastic Path backfill, and the store admin
 * command (token clients and webhook secrets). They print to their console and exit with a status, as tools do;
 * nothing here runs inside a Lambda function.
 */
package com.orderexport.tools;
