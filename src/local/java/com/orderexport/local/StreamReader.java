package com.orderexport.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Follows a table's stream as Lambda's poller does: every shard, shards that appear later too, a child only
 * after its parent is read to its end; each record handed out once, in the JSON shape Lambda delivers.
 *
 * <p>It survives its stream being swapped under it. moto cancels a transaction (an Idempotency-Key conflict,
 * say) by putting back a copy of the whole table taken before it, stream included: iterators on the old copy
 * go quiet for good, the copy may number new records with sequence numbers already handed out, and a record
 * of the cancelled write can be read in the moment before the copy goes back. So every read starts from a
 * fresh iterator at its checkpoint (the last record read) and checks that the record there is still the one
 * it read. If it is, the records read since the previous check are handed out; if not, they are dropped and
 * the shard is read again from its start. Records are told apart by event id, which a copy keeps, so
 * nothing is lost and nothing is handed out twice; the price is that a record is handed out one read after
 * it is first seen. A new stream ARN (the table re-created) is read from its start under the same rule.
 */
final class StreamReader implements AutoCloseable {

    /** A record as Lambda delivers it, with the shard it came from (the on-failure destination names it). */
    record StreamRecord(String streamArn, String shardId, ObjectNode json) {

        String sequenceNumber() {
            return json.path("dynamodb").path("SequenceNumber").asText();
        }

        String eventId() {
            return json.path("eventID").asText();
        }
    }

    private final DynamoDbClient dynamo;
    private final DynamoDbStreamsClient streams;
    private final String tableName;
    private boolean skipExisting;
    private String streamArn;
    private final Map<String, ShardState> shards = new LinkedHashMap<>();
    private final Set<String> handedOut = new HashSet<>();

    private static final class ShardState {
        final String id;
        final String parentId;
        String checkpointSequence;
        String checkpointEventId;
        final Map<String, StreamRecord> unconfirmed = new LinkedHashMap<>();
        boolean ended;

        ShardState(String id, String parentId) {
            this.id = id;
            this.parentId = parentId;
        }
    }

    /**
     * @param fromLatest {@code StartingPosition: LATEST}: records already in the stream when it is first read
     *                   are passed over; otherwise (TRIM_HORIZON) they are read too
     */
    StreamReader(DynamoDbClient dynamo, String tableName, boolean fromLatest) {
        this.dynamo = dynamo;
        this.streams = DynamoDbStreamsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        this.tableName = tableName;
        this.skipExisting = fromLatest;
    }

    /** Pins the starting position now (for LATEST: everything written before this call is passed over). */
    synchronized void start() {
        read();
        read();
        skipExisting = false;
    }

    /**
     * The records confirmed since the last read, each shard's in stream order, parents' before their
     * children's: those read by the previous call whose checkpoint still holds.
     */
    synchronized List<StreamRecord> read() {
        String latest = dynamo.describeTable(r -> r.tableName(tableName)).table().latestStreamArn();
        if (latest == null) {
            throw new IllegalStateException("table " + tableName + " has no stream");
        }
        if (!latest.equals(streamArn)) {
            if (streamArn != null) {
                System.err.println("stream: " + tableName + " has a new stream; reading it from its start");
            }
            streamArn = latest;
            shards.clear();
        }
        for (Shard shard : describeShards()) {
            shards.computeIfAbsent(shard.shardId(), id -> new ShardState(id, shard.parentShardId()));
        }
        List<StreamRecord> out = new ArrayList<>();
        for (ShardState shard : shards.values()) {
            ShardState parent = shard.parentId == null ? null : shards.get(shard.parentId);
            if (!shard.ended && (parent == null || parent.ended)) {
                readShard(shard, out);
            }
        }
        return out;
    }

    /** Reads until the records read so far are confirmed: what a caller polling by hand wants. */
    synchronized List<StreamRecord> readAll() {
        List<StreamRecord> out = new ArrayList<>(read());
        out.addAll(read());
        return out;
    }

    private List<Shard> describeShards() {
        List<Shard> all = new ArrayList<>();
        String from = null;
        do {
            String start = from;
            StreamDescription description = streams.describeStream(r -> r.streamArn(streamArn).exclusiveStartShardId(start))
                    .streamDescription();
            all.addAll(description.shards());
            from = description.lastEvaluatedShardId();
        } while (from != null);
        return all;
    }

    private void readShard(ShardState shard, List<StreamRecord> out) {
        String iterator = null;
        boolean fromStart = shard.checkpointSequence == null;
        if (!fromStart) {
            try {
                String at = iterator(shard, ShardIteratorType.AT_SEQUENCE_NUMBER, shard.checkpointSequence);
                GetRecordsResponse response = streams.getRecords(r -> r.shardIterator(at).limit(1));
                fromStart = response.records().isEmpty()
                        || !Objects.equals(response.records().get(0).eventID(), shard.checkpointEventId);
                iterator = response.nextShardIterator();
            } catch (SdkException gone) {
                fromStart = true;
            }
        }
        if (fromStart) {
            if (!shard.unconfirmed.isEmpty() || shard.checkpointSequence != null) {
                System.err.println("stream: shard " + shard.id + " of " + tableName + " no longer holds the last record read;"
                        + " reading it again from its start, passing over records already handed out");
            }
            shard.unconfirmed.clear();
            iterator = iterator(shard, ShardIteratorType.TRIM_HORIZON, null);
        } else {
            confirm(shard, out);
            shard.ended = iterator == null;
        }
        while (iterator != null) {
            GetRecordsResponse response;
            try {
                String current = iterator;
                response = streams.getRecords(r -> r.shardIterator(current));
            } catch (SdkException stale) {
                return; // an expired or orphaned iterator: the next read starts again at the checkpoint
            }
            for (Record record : response.records()) {
                shard.checkpointSequence = record.dynamodb().sequenceNumber();
                shard.checkpointEventId = record.eventID();
                if (!handedOut.contains(record.eventID())) {
                    shard.unconfirmed.putIfAbsent(record.eventID(),
                            new StreamRecord(streamArn, shard.id, LambdaRecords.of(record, streamArn)));
                }
            }
            if (response.nextShardIterator() == null) {
                shard.ended = true;
                confirm(shard, out); // a closed shard cannot change any more
            }
            iterator = response.records().isEmpty() ? null : response.nextShardIterator();
        }
    }

    private void confirm(ShardState shard, List<StreamRecord> out) {
        for (StreamRecord record : shard.unconfirmed.values()) {
            if (handedOut.add(record.eventId()) && !skipExisting) {
                out.add(record);
            }
        }
        shard.unconfirmed.clear();
    }

    private String iterator(ShardState shard, ShardIteratorType type, String sequence) {
        return streams.getShardIterator(r -> r.streamArn(streamArn).shardId(shard.id).shardIteratorType(type)
                .sequenceNumber(sequence)).shardIterator();
    }

    @Override
    public void close() {
        streams.close();
    }
}
