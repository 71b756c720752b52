package com.orderexport.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Which of a mapping's concurrent lanes (ParallelizationFactor of them) a record goes to: a hash of its
 * ordering key, so a key always takes the same lane and its records stay in order, while unrelated keys may
 * share a lane and then wait behind each other, as with Lambda.
 */
final class Lanes {

    private Lanes() {
    }

    /** The lane of a key among {@code lanes}; stable across runs and JVMs (MD5, as Kinesis hashes keys). */
    static int laneOf(String key, int lanes) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(key.getBytes(StandardCharsets.UTF_8));
            int hash = ((digest[0] & 0xff) << 24) | ((digest[1] & 0xff) << 16) | ((digest[2] & 0xff) << 8) | (digest[3] & 0xff);
            return Math.floorMod(hash, lanes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has MD5", e);
        }
    }

    /**
     * A record's ordering key: the values of the named key attributes in its {@code dynamodb.Keys}, joined
     * (the partition key alone orders by store; partition and sort key, by item).
     */
    static String orderingKey(JsonNode record, List<String> attributes) {
        StringBuilder key = new StringBuilder();
        for (String attribute : attributes) {
            JsonNode value = record.path("dynamodb").path("Keys").path(attribute);
            if (key.length() > 0) {
                key.append('\u0000');
            }
            key.append(value.isObject() && value.size() == 1 ? value.elements().next().asText() : value.toString());
        }
        return key.toString();
    }
}
