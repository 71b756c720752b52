package com.orderexport.credentials;

import com.orderexport.store.StoreId;

/** A client of the token endpoint and the store its tokens act for. */
public record StoreClient(String clientId, StoreId store) {}
