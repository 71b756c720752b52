/**
 * The functions on Lambda's own Java runtime, without Docker: a stand-in for the Runtime API the runtime interface
 * client polls, one JVM per execution environment on the layout {@code sam build} produces, and the
 * {@code exec:java@invoke} command that runs one event as {@code sam local invoke} does. Test scope: never in the
 * artifact.
 */
package com.orderexport.local.runtime;
