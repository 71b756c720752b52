/**
 * Writing one file into S3: the multipart output stream, slices assembled into one object, CRC-64/NVME. Knows no
 * job, store or order.
 */
package com.orderexport.files;
