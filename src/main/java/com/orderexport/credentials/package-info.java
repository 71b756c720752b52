/**
 * Per-store client credentials for the built-in token issuer: a table of clients, each naming its store, whose
 * secrets are kept only as salted hashes and compared in constant time; and the generation of new secrets.
 */
package com.orderexport.credentials;
