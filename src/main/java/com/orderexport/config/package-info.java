/**
 * Settings read from the environment (each variable named once) and the AWS clients built from them.
 */
package com.orderexport.config;
