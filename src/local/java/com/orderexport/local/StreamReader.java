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
 * <p>It survives its stream being swapped under it. moto answers a cancelled transaction (an Idempotency-Key
 * conflict, say) by putting back a copy of the whole table, stream included: iterators on the old copy then
 * go quiet for good, and the copy may number new records with sequence numbers already handed out. So every
 * read starts from a fresh iterator at its checkpoint and checks that the checkpoint record is still the one
 * it read; if not, it re-reads the shard from its start. Records are told apart by event id, which a copy
 * keeps, so nothing is lost and nothing is handed out twice. A new stream ARN (the table re-created, the
 * stream re-enabled) is read from its start under the same rule.
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

    /** Not an iterator: the answer "read this shard again from its start". */
    private static final String RESCAN = "";

    private final DynamoDbClient dynamo;
    private final DynamoDbStreamsClient streams;
    private final String tableName;
    private boolean skipExisting;
    private String streamArn;
    private final Map<String, ShardState> shards = new LinkedHashMap<>();
    private final Set<String> seen = new HashSet<>();

    private static final class ShardState {
        final String id;
        final String parentId;
        String checkpointSequence;
        String checkpointEventId;
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
    }

    /** The records written since the last read, each shard's in order, parents' before their children's. */
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
        skipExisting = false;
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
        String iterator = shard.checkpointSequence == null ? RESCAN : anchoredIterator(shard);
        if (RESCAN.equals(iterator)) {
            iterator = iterator(shard, ShardIteratorType.TRIM_HORIZON, null);
        }
        while (iterator != null) {
            GetRecordsResponse response;
            try {
                String current = iterator;
                response = streams.getRecords(r -> r.shardIterator(current));
            } catch (SdkException stale) {
                // An expired or orphaned iterator: the next read re-anchors at the checkpoint.
                return;
            }
            for (Record record : response.records()) {
                accept(shard, record, out);
            }
            if (response.nextShardIterator() == null) {
                shard.ended = true;
            }
            iterator = response.records().isEmpty() ? null : response.nextShardIterator();
        }
    }

    /**
     * An iterator just past the checkpoint (null when the shard has ended there), or {@link #RESCAN} when the
     * record at the checkpoint is no longer the one read there (the stream was swapped).
     */
    private String anchoredIterator(ShardState shard) {
        try {
            String at = iterator(shard, ShardIteratorType.AT_SEQUENCE_NUMBER, shard.checkpointSequence);
            GetRecordsResponse response = streams.getRecords(r -> r.shardIterator(at).limit(1));
            if (response.records().isEmpty() || !Objects.equals(response.records().get(0).eventID(), shard.checkpointEventId)) {
                System.err.println("stream: shard " + shard.id + " of " + tableName
                        + " no longer holds the last record read; re-reading it from its start, skipping records already read");
                return RESCAN;
            }
            if (response.nextShardIterator() == null) {
                shard.ended = true;
            }
            return response.nextShardIterator();
        } catch (SdkException gone) {
            return RESCAN;
        }
    }

    private String iterator(ShardState shard, ShardIteratorType type, String sequence) {
        return streams.getShardIterator(r -> r.streamArn(streamArn).shardId(shard.id).shardIteratorType(type)
                .sequenceNumber(sequence)).shardIterator();
    }

    private void accept(ShardState shard, Record record, List<StreamRecord> out) {
        shard.checkpointSequence = record.dynamodb().sequenceNumber();
        shard.checkpointEventId = record.eventID();
        if (seen.add(record.eventID()) && !skipExisting) {
            out.add(new StreamRecord(streamArn, shard.id, LambdaRecords.of(record, streamArn)));
        }
    }

    @Override
    public void close() {
        streams.close();
    }
}
