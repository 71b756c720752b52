package com.orderexport.schedules;

import com.orderexport.jobs.ExportOptions;
import com.orderexport.jobs.Transactions;
import com.orderexport.store.StoreId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The schedules table: each store's schedules under its partition, beside one count item that a create and a delete
 * move in the same transaction as the schedule (so the per-store limit holds under concurrent creates), and the
 * {@code DueIndex} of every schedule by the time it next needs looking at ({@code check_at}, epoch ms), which the
 * runner reads with one Query a minute.
 */
public final class ScheduleStore {

    /** The index of schedules by when they next need looking at, as template.yaml names it. */
    public static final String DUE_INDEX = "DueIndex";
    static final String STORE_ID = "store_id";
    static final String SCHEDULE_ID = "schedule_id";
    /** The store's count item: no schedule id begins with '#'. */
    static final String COUNT_ID = "#count";
    static final String COUNT = "schedules";
    static final String DUE_GROUP = "due_group";
    static final String DUE = "due";
    static final String CHECK_AT = "check_at";

    private final DynamoDbClient dynamo;
    private final String table;

    public ScheduleStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /**
     * Stores a new schedule unless the store already has {@code maxPerStore}; the runner first looks at it at
     * {@code checkAt}.
     *
     * @return false, writing nothing, when the store is at its limit
     */
    public boolean create(Schedule schedule, int maxPerStore, Instant checkAt) {
        Map<String, AttributeValue> item = toItem(schedule);
        item.put(DUE_GROUP, text(DUE));
        item.put(CHECK_AT, number(checkAt.toEpochMilli()));
        List<TransactWriteItem> writes = List.of(
                TransactWriteItem.builder().update(u -> u.tableName(table).key(countKey(schedule.storeId()))
                        .updateExpression("ADD #n :one")
                        .conditionExpression("attribute_not_exists(#n) OR #n < :max")
                        .expressionAttributeNames(Map.of("#n", COUNT))
                        .expressionAttributeValues(Map.of(":one", number(1), ":max", number(maxPerStore)))).build(),
                TransactWriteItem.builder().put(p -> p.tableName(table).item(item)
                        .conditionExpression("attribute_not_exists(" + SCHEDULE_ID + ")")).build());
        try {
            Transactions.write(dynamo, writes);
            return true;
        } catch (TransactionCanceledException e) {
            if (Transactions.conditionFailed(e, 0)) {
                return false;
            }
            throw e;
        }
    }

    /** Deletes a schedule and gives its place back; false when there was none. Its runs' jobs stay as they are. */
    public boolean delete(StoreId store, String id) {
        List<TransactWriteItem> writes = List.of(
                TransactWriteItem.builder().delete(d -> d.tableName(table).key(key(store, id))
                        .conditionExpression("attribute_exists(" + SCHEDULE_ID + ")")).build(),
                TransactWriteItem.builder().update(u -> u.tableName(table).key(countKey(store))
                        .updateExpression("ADD #n :minus").expressionAttributeNames(Map.of("#n", COUNT))
                        .expressionAttributeValues(Map.of(":minus", number(-1)))).build());
        try {
            Transactions.write(dynamo, writes);
            return true;
        } catch (TransactionCanceledException e) {
            if (Transactions.conditionFailed(e, 0)) {
                return false;
            }
            throw e;
        }
    }

    public Optional<Schedule> find(StoreId store, String id) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key(store, id))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    /** The store's schedules, oldest first (ids sort by creation time). */
    public List<Schedule> list(StoreId store) {
        List<Schedule> schedules = new ArrayList<>();
        QueryRequest request = QueryRequest.builder().tableName(table).keyConditionExpression("#s = :s")
                .expressionAttributeNames(Map.of("#s", STORE_ID))
                .expressionAttributeValues(Map.of(":s", text(store.value()))).consistentRead(true).build();
        for (QueryResponse page : dynamo.queryPaginator(request)) {
            page.items().stream().filter(item -> !COUNT_ID.equals(item.get(SCHEDULE_ID).s()))
                    .map(ScheduleStore::fromItem).forEach(schedules::add);
        }
        return schedules;
    }

    /** The keys of every schedule to look at by {@code now}, read from the index (which may lag a little). */
    public List<Map.Entry<StoreId, String>> due(Instant now) {
        List<Map.Entry<StoreId, String>> due = new ArrayList<>();
        QueryRequest request = QueryRequest.builder().tableName(table).indexName(DUE_INDEX)
                .keyConditionExpression("#g = :g AND #c <= :now")
                .expressionAttributeNames(Map.of("#g", DUE_GROUP, "#c", CHECK_AT))
                .expressionAttributeValues(Map.of(":g", text(DUE), ":now", number(now.toEpochMilli()))).build();
        for (QueryResponse page : dynamo.queryPaginator(request)) {
            page.items().forEach(item -> due.add(Map.entry(new StoreId(item.get(STORE_ID).s()),
                    item.get(SCHEDULE_ID).s())));
        }
        return due;
    }

    /**
     * Moves a series on: writes {@code next} and when to look at the schedule again, if its version is still the one
     * {@code schedule} was read with.
     *
     * @return false, writing nothing, when another runner moved it first (or it was deleted)
     */
    public boolean advance(Schedule schedule, Schedule.Progress next, Instant checkAt) {
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> set = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        values.put(":v", number(schedule.progress().version()));
        setOrRemove(set, remove, values, NEXT_DUE, millis(next.nextDue()));
        setOrRemove(set, remove, values, WATERMARK, millis(next.watermark()));
        setOrRemove(set, remove, values, OPEN_JOB_ID, next.open() == null || next.open().jobId() == null ? null
                : text(next.open().jobId()));
        setOrRemove(set, remove, values, OPEN_DUE, next.open() == null ? null : millis(next.open().dueAt()));
        setOrRemove(set, remove, values, OPEN_FROM, next.open() == null ? null : millis(next.open().windowFrom()));
        setOrRemove(set, remove, values, OPEN_TO, next.open() == null ? null : millis(next.open().windowTo()));
        setOrRemove(set, remove, values, LAST_DUE, millis(next.lastDue()));
        setOrRemove(set, remove, values, LAST_JOB_ID, next.lastJobId() == null ? null : text(next.lastJobId()));
        setOrRemove(set, remove, values, CHECK_AT, number(checkAt.toEpochMilli()));
        set.add(VERSION + " = :" + VERSION);
        values.put(":" + VERSION, number(schedule.progress().version() + 1));
        String expression = "SET " + String.join(", ", set) + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(schedule.storeId(), schedule.id()))
                    .updateExpression(expression).conditionExpression(VERSION + " = :v")
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static void setOrRemove(List<String> set, List<String> remove, Map<String, AttributeValue> values,
                                    String name, AttributeValue value) {
        if (value == null) {
            remove.add(name);
        } else {
            set.add(name + " = :" + name);
            values.put(":" + name, value);
        }
    }

    // ------------------------------------------------------------------ the item layout

    static final String JOB_TYPE = "job_type";
    static final String FILTER = "filter";
    static final String FORMAT = "format";
    static final String COMPRESSION = "compression";
    static final String COLUMNS = "columns";
    static final String TIMEZONE = "timezone";
    static final String ROWS = "rows";
    static final String EVERY = "every";
    static final String AT = "at";
    static final String AT_TIMEZONE = "at_timezone";
    static final String INCREMENTAL = "incremental";
    static final String NOTIFY_URL = "notify_url";
    static final String CREATED_AT = "created_at";
    static final String NEXT_DUE = "next_due";
    static final String WATERMARK = "watermark";
    static final String OPEN_JOB_ID = "open_job_id";
    static final String OPEN_DUE = "open_due";
    static final String OPEN_FROM = "open_from";
    static final String OPEN_TO = "open_to";
    static final String LAST_DUE = "last_due";
    static final String LAST_JOB_ID = "last_job_id";
    static final String VERSION = "version";

    static Map<String, AttributeValue> toItem(Schedule s) {
        Map<String, AttributeValue> item = new HashMap<>(key(s.storeId(), s.id()));
        item.put(JOB_TYPE, text(s.jobType()));
        if (!s.filter().isEmpty()) {
            item.put(FILTER, text(s.filter()));
        }
        item.put(FORMAT, text(s.options().format()));
        item.put(COMPRESSION, text(s.options().compression()));
        if (!s.options().columns().isEmpty()) {
            item.put(COLUMNS, AttributeValue.fromL(s.options().columns().stream().map(ScheduleStore::text).toList()));
        }
        item.put(TIMEZONE, text(s.options().timezone()));
        item.put(ROWS, text(s.options().rows()));
        item.put(EVERY, text(s.every()));
        if (s.at() != null && !s.at().isEmpty()) {
            item.put(AT, text(s.at()));
        }
        item.put(AT_TIMEZONE, text(s.atTimezone()));
        item.put(INCREMENTAL, AttributeValue.fromBool(s.incremental()));
        if (s.notifyUrl() != null) {
            item.put(NOTIFY_URL, text(s.notifyUrl()));
        }
        item.put(CREATED_AT, text(s.createdAt().toString()));
        Schedule.Progress p = s.progress();
        item.put(NEXT_DUE, millis(p.nextDue()));
        item.put(VERSION, number(p.version()));
        return item;
    }

    static Schedule fromItem(Map<String, AttributeValue> item) {
        Schedule.OpenRun open = item.containsKey(OPEN_DUE) ? new Schedule.OpenRun(
                item.containsKey(OPEN_JOB_ID) ? item.get(OPEN_JOB_ID).s() : null,
                instant(item.get(OPEN_DUE)), instant(item.get(OPEN_FROM)), instant(item.get(OPEN_TO))) : null;
        Schedule.Progress progress = new Schedule.Progress(instant(item.get(NEXT_DUE)), instant(item.get(WATERMARK)),
                open, instant(item.get(LAST_DUE)), item.containsKey(LAST_JOB_ID) ? item.get(LAST_JOB_ID).s() : null,
                Long.parseLong(item.get(VERSION).n()));
        List<String> columns = item.containsKey(COLUMNS)
                ? item.get(COLUMNS).l().stream().map(AttributeValue::s).toList() : List.of();
        return new Schedule(new StoreId(item.get(STORE_ID).s()), item.get(SCHEDULE_ID).s(), item.get(JOB_TYPE).s(),
                item.containsKey(FILTER) ? item.get(FILTER).s() : "",
                new ExportOptions(item.get(FORMAT).s(), item.get(COMPRESSION).s(), columns, item.get(TIMEZONE).s(),
                        item.get(ROWS).s()),
                item.get(EVERY).s(), item.containsKey(AT) ? item.get(AT).s() : "", item.get(AT_TIMEZONE).s(),
                item.get(INCREMENTAL).bool(), item.containsKey(NOTIFY_URL) ? item.get(NOTIFY_URL).s() : null,
                Instant.parse(item.get(CREATED_AT).s()), progress);
    }

    private static Map<String, AttributeValue> key(StoreId store, String id) {
        return Map.of(STORE_ID, text(store.value()), SCHEDULE_ID, text(id));
    }

    private static Map<String, AttributeValue> countKey(StoreId store) {
        return key(store, COUNT_ID);
    }

    private static AttributeValue text(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static AttributeValue millis(Instant instant) {
        return instant == null ? null : number(instant.toEpochMilli());
    }

    private static Instant instant(AttributeValue value) {
        return value == null ? null : Instant.ofEpochMilli(Long.parseLong(value.n()));
    }
}
