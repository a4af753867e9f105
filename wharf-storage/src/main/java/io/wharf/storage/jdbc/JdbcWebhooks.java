package io.wharf.storage.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.core.spi.WebhookIndex;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link WebhookIndex} over {@code webhook_subscription} and {@code webhook_delivery} (V21). Every change of a
 * delivery's ownership is one conditional UPDATE on its state, owner and lease, so it is atomic across processes;
 * deliveries go with their subscription by the foreign key's cascade. No read cache holds these tables.
 */
final class JdbcWebhooks implements WebhookIndex {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUBSCRIPTION = "SELECT id, account, url, repository, event_types, secret, enabled, created_at,"
            + " last_attempt_at, last_status, last_error FROM webhook_subscription";
    private static final String DELIVERY = "SELECT d.id, d.subscription_id, d.event_id, d.detail_type, d.repository, d.body,"
            + " d.state, d.attempts, d.due_at, d.owner, d.lease_expires_at, d.last_attempt_at, d.last_status, d.last_error,"
            + " d.created_at FROM webhook_delivery d";
    private static final String CLAIMABLE_WHERE = " state = 'PENDING' AND ((owner IS NULL AND due_at <= ?)"
            + " OR (owner IS NOT NULL AND lease_expires_at < ?))"
            + " AND subscription_id IN (SELECT id FROM webhook_subscription WHERE enabled = 1)";
    private static final String CLAIMABLE = DELIVERY + " WHERE d.state = 'PENDING' AND ((d.owner IS NULL AND d.due_at <= ?)"
            + " OR (d.owner IS NOT NULL AND d.lease_expires_at < ?))"
            + " AND d.subscription_id IN (SELECT id FROM webhook_subscription WHERE enabled = 1)";
    private static final String CLAIM = "UPDATE webhook_delivery SET owner = ?, lease_expires_at = ?, attempts = attempts + 1"
            + " WHERE id = ? AND" + CLAIMABLE_WHERE;
    private static final String FINISH = "UPDATE webhook_delivery SET state = ?, due_at = ?, owner = NULL, lease_expires_at = NULL,"
            + " last_attempt_at = ?, last_status = ?, last_error = ? WHERE id = ? AND state = 'PENDING' AND owner = ?";
    private static final String SUBSCRIPTION_ATTEMPT = "UPDATE webhook_subscription SET last_attempt_at = ?, last_status = ?,"
            + " last_error = ? WHERE id = ? AND (last_attempt_at IS NULL OR last_attempt_at <= ?)";
    private static final String REPLAY = "UPDATE webhook_delivery SET state = 'PENDING', attempts = 0, due_at = ?, owner = NULL,"
            + " lease_expires_at = NULL WHERE subscription_id = ? AND ";

    private static final String DELIVERED_COUNT = "UPDATE webhook_subscription SET delivered_count = delivered_count + ? WHERE id = ?";

    private final Jdbc jdbc;
    private final String enqueue;
    private final String queueTried;

    JdbcWebhooks(Jdbc jdbc, SqlDialect dialect) {
        this.jdbc = jdbc;
        this.enqueue = dialect.insertIgnoreSelect("webhook_delivery", List.of("subscription_id", "event_id", "detail_type",
                "repository", "body", "state", "attempts", "due_at", "created_at"), List.of("subscription_id", "event_id"),
                "SELECT id, ?, ?, ?, ?, 'PENDING', 0, ?, ? FROM webhook_subscription WHERE id = ?");
        this.queueTried = dialect.insertIgnoreSelect("webhook_delivery", List.of("subscription_id", "event_id", "detail_type",
                "repository", "body", "state", "attempts", "due_at", "last_attempt_at", "last_status", "last_error",
                "created_at"), List.of("subscription_id", "event_id"),
                // the casts type a null attempt for PostgreSQL
                "SELECT id, ?, ?, ?, ?, ?, ?, ?, CAST(? AS BIGINT), CAST(? AS INTEGER), ?, ? FROM webhook_subscription"
                        + " WHERE id = ?");
    }

    @Override
    public void createSubscription(Subscription s) {
        jdbc.writeUncached("create webhook", c -> Jdbc.update(c, "INSERT INTO webhook_subscription (id, account, url,"
                + " repository, event_types, secret, enabled, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", s.id(), s.account(),
                s.url(), s.repositoryFilter(), json(s.eventTypes()), s.secret(), s.enabled() ? 1 : 0, s.createdAt()));
    }

    @Override
    public Optional<Subscription> subscription(String id) {
        return jdbc.read("read webhook", c -> Jdbc.queryOne(c, SUBSCRIPTION + " WHERE id = ?", JdbcWebhooks::subscription, id));
    }

    @Override
    public List<Subscription> subscriptions(String account) {
        return jdbc.read("list webhooks", c -> account == null
                ? Jdbc.query(c, SUBSCRIPTION + " ORDER BY created_at, id", JdbcWebhooks::subscription)
                : Jdbc.query(c, SUBSCRIPTION + " WHERE account = ? ORDER BY created_at, id", JdbcWebhooks::subscription, account));
    }

    @Override
    public boolean updateSubscription(Subscription s) {
        return jdbc.writeUncached("update webhook", c -> Jdbc.update(c, "UPDATE webhook_subscription SET url = ?, repository = ?,"
                + " event_types = ?, enabled = ? WHERE id = ?", s.url(), s.repositoryFilter(), json(s.eventTypes()),
                s.enabled() ? 1 : 0, s.id())) == 1;
    }

    @Override
    public boolean deleteSubscription(String id) {
        return jdbc.writeUncached("delete webhook", c -> {
            Jdbc.update(c, "DELETE FROM webhook_delivery WHERE subscription_id = ?", id);
            return Jdbc.update(c, "DELETE FROM webhook_subscription WHERE id = ?", id);
        }) == 1;
    }

    @Override
    public int enqueue(List<NewDelivery> deliveries, Instant now) {
        if (deliveries.isEmpty()) {
            return 0;
        }
        List<Object[]> rows = deliveries.stream().map(d -> new Object[] {d.eventId(), d.detailType(), d.repository(),
                d.body(), now, now, d.subscriptionId()}).toList();
        return jdbc.writeRelaxed("queue webhook deliveries", c -> Arrays.stream(Jdbc.batch(c, enqueue, rows)).sum());
    }

    @Override
    public Set<String> waiting() {
        return jdbc.read("webhooks waiting", c -> new HashSet<>(Jdbc.query(c,
                "SELECT DISTINCT subscription_id FROM webhook_delivery WHERE state = 'PENDING'", rs -> rs.getString(1))));
    }

    /** One transaction: two batched updates of the subscriptions and one batched insert of what is left to the sender. */
    @Override
    public int recordSent(List<Sent> sent, List<Queued> queued, Instant now) {
        if (sent.isEmpty() && queued.isEmpty()) {
            return 0;
        }
        List<Object[]> rows = queued.stream().map(q -> queuedRow(q, now)).toList();
        return jdbc.writeRelaxed("record webhook deliveries", c -> {
            Jdbc.batch(c, DELIVERED_COUNT, sent.stream().filter(s -> s.delivered() > 0)
                    .map(s -> new Object[] {s.delivered(), s.subscriptionId()}).toList());
            recordLatest(c, sent.stream().collect(java.util.stream.Collectors.toMap(Sent::subscriptionId, Sent::last, Attempt::newer)));
            return rows.isEmpty() ? 0 : Arrays.stream(Jdbc.batch(c, queueTried, rows)).sum();
        });
    }

    private static Object[] queuedRow(Queued q, Instant now) {
        NewDelivery d = q.delivery();
        Attempt a = q.attempt();
        return new Object[] {d.eventId(), d.detailType(), d.repository(), d.body(), q.state().name(), a == null ? 0 : 1,
                q.dueAt(), a == null ? null : a.at(), a == null ? null : a.status(), a == null ? null : a.error(), now,
                d.subscriptionId()};
    }

    /** Sets each subscription's latest attempt unless it has a newer one: one update per subscription. */
    private static void recordLatest(Connection c, Map<String, Attempt> latest) throws SQLException {
        Jdbc.batch(c, SUBSCRIPTION_ATTEMPT, latest.entrySet().stream().map(e -> new Object[] {e.getValue().at(),
                e.getValue().status(), e.getValue().error(), e.getKey(), e.getValue().at()}).toList());
    }

    @Override
    public List<Delivery> claimable(Instant now, Set<String> skip, int limit) {
        List<Object> args = new ArrayList<>(List.of(now, now));
        String notIn = "";
        if (!skip.isEmpty()) {
            List<String> ids = skip.stream().limit(Jdbc.MAX_IN_LIST).toList();
            notIn = " AND d.subscription_id NOT IN (" + Jdbc.placeholders(ids.size()) + ")";
            args.addAll(ids);
        }
        args.add(limit);
        String sql = CLAIMABLE + notIn + " ORDER BY d.due_at, d.id LIMIT ?";
        return jdbc.read("claimable webhook deliveries", c -> Jdbc.query(c, sql, JdbcWebhooks::delivery, args.toArray()));
    }

    /** One statement prepared for the batch, and one read of the rows taken: a push load claims a few per round. */
    @Override
    public List<Delivery> claim(List<Long> ids, String owner, Instant now, Instant leaseExpiresAt) {
        if (ids.isEmpty()) {
            return List.of();
        }
        List<Object[]> rows = ids.stream().map(id -> new Object[] {owner, leaseExpiresAt, id, now, now}).toList();
        return jdbc.writeRelaxed("claim webhook deliveries", c -> {
            int[] counts = Jdbc.batch(c, CLAIM, rows);
            List<Long> taken = new ArrayList<>();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] == 1) {
                    taken.add(ids.get(i));
                }
            }
            Map<Long, Delivery> read = new HashMap<>();
            for (Delivery d : byId(c, DELIVERY + " WHERE d.id IN (%s)", taken, JdbcWebhooks::delivery)) {
                read.put(d.id(), d);
            }
            return taken.stream().map(read::get).toList();
        });
    }

    /**
     * Finishes in one batched statement, then records on each subscription its latest attempt of the batch: one
     * update per subscription, not per delivery.
     */
    @Override
    public Set<Long> finishAttempts(String owner, List<Finish> finishes) {
        if (finishes.isEmpty()) {
            return Set.of();
        }
        return jdbc.writeRelaxed("record webhook attempts", c -> {
            Map<Long, String> subscriptions = new HashMap<>();
            for (Object[] row : byId(c, "SELECT id, subscription_id FROM webhook_delivery WHERE id IN (%s)",
                    finishes.stream().map(Finish::id).toList(), rs -> new Object[] {rs.getLong(1), rs.getString(2)})) {
                subscriptions.put((Long) row[0], (String) row[1]);
            }
            List<Finish> known = finishes.stream().filter(f -> subscriptions.containsKey(f.id())).toList();
            int[] counts = Jdbc.batch(c, FINISH, known.stream().map(f -> finishRow(owner, f)).toList());
            Set<Long> recorded = new HashSet<>();
            Map<String, Attempt> latest = new HashMap<>();
            Map<String, Integer> delivered = new HashMap<>();
            for (int i = 0; i < counts.length; i++) {
                Finish f = known.get(i);
                if (counts[i] == 1) {
                    recorded.add(f.id());
                    latest.merge(subscriptions.get(f.id()), f.attempt(), Attempt::newer);
                    delivered.merge(subscriptions.get(f.id()), f.state() == State.DELIVERED ? 1 : 0, Integer::sum);
                }
            }
            recordLatest(c, latest);
            Jdbc.batch(c, DELIVERED_COUNT, delivered.entrySet().stream().filter(e -> e.getValue() > 0)
                    .map(e -> new Object[] {e.getValue(), e.getKey()}).toList());
            return recorded;
        });
    }

    private static Object[] finishRow(String owner, Finish f) {
        Attempt a = f.attempt();
        Instant due = f.state() == State.PENDING ? f.retryAt() : a.at();
        return new Object[] {f.state().name(), due, a.at(), a.status(), a.error(), f.id(), owner};
    }

    /** {@code sql} with its {@code %s} filled by placeholders for {@code ids}, run in chunks the IN list allows. */
    private static <T> List<T> byId(Connection c, String sql, List<Long> ids, Jdbc.Row<T> row) throws SQLException {
        List<T> out = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += Jdbc.MAX_IN_LIST) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + Jdbc.MAX_IN_LIST));
            out.addAll(Jdbc.query(c, sql.formatted(Jdbc.placeholders(chunk.size())), row, chunk.toArray()));
        }
        return out;
    }

    @Override
    public Optional<Delivery> delivery(long id) {
        return jdbc.read("read webhook delivery", c -> Jdbc.queryOne(c, DELIVERY + " WHERE d.id = ?", JdbcWebhooks::delivery, id));
    }

    @Override
    public List<Delivery> deliveries(String subscriptionId, State state, int limit) {
        return jdbc.read("list webhook deliveries", c -> state == null
                ? Jdbc.query(c, DELIVERY + " WHERE d.subscription_id = ? ORDER BY d.id DESC LIMIT ?", JdbcWebhooks::delivery,
                        subscriptionId, limit)
                : Jdbc.query(c, DELIVERY + " WHERE d.subscription_id = ? AND d.state = ? ORDER BY d.id DESC LIMIT ?",
                        JdbcWebhooks::delivery, subscriptionId, state.name(), limit));
    }

    @Override
    public Map<State, Long> counts(String subscriptionId) {
        return jdbc.read("count webhook deliveries", c -> {
            Map<State, Long> out = new EnumMap<>(State.class);
            for (Object[] row : Jdbc.query(c, "SELECT state, COUNT(*) FROM webhook_delivery WHERE subscription_id = ?"
                    + " AND state <> 'DELIVERED' GROUP BY state", rs -> new Object[] {rs.getString(1), rs.getLong(2)}, subscriptionId)) {
                out.put(State.valueOf((String) row[0]), (Long) row[1]);
            }
            long delivered = Jdbc.queryOne(c, "SELECT delivered_count FROM webhook_subscription WHERE id = ?",
                    rs -> rs.getLong(1), subscriptionId).orElse(0L);
            if (delivered > 0) {
                out.put(State.DELIVERED, delivered);
            }
            return out;
        });
    }

    @Override
    public int replay(String subscriptionId, Long deliveryId, Instant now) {
        return jdbc.writeUncached("replay webhook deliveries", c -> deliveryId == null
                ? Jdbc.update(c, REPLAY + "state = 'DEAD'", now, subscriptionId)
                : Jdbc.update(c, REPLAY + "id = ? AND owner IS NULL", now, subscriptionId, deliveryId));
    }

    @Override
    public int deleteDelivered(Instant before, int limit) {
        return jdbc.writeRelaxed("delete delivered webhooks", c -> Jdbc.update(c, "DELETE FROM webhook_delivery WHERE id IN"
                + " (SELECT id FROM webhook_delivery WHERE state = 'DELIVERED' AND last_attempt_at < ? LIMIT ?)", before, limit));
    }

    private static Subscription subscription(ResultSet rs) throws SQLException {
        return new Subscription(rs.getString("id"), rs.getString("account"), rs.getString("url"), rs.getString("repository"),
                list(rs.getString("event_types")), rs.getString("secret"), rs.getInt("enabled") == 1,
                Jdbc.instant(rs, "created_at"), attempt(rs));
    }

    private static Delivery delivery(ResultSet rs) throws SQLException {
        return new Delivery(rs.getLong("id"), rs.getString("subscription_id"), rs.getString("event_id"),
                rs.getString("detail_type"), rs.getString("repository"), rs.getString("body"), State.valueOf(rs.getString("state")),
                rs.getInt("attempts"), Jdbc.instant(rs, "due_at"), rs.getString("owner"), instantOrNull(rs, "lease_expires_at"),
                attempt(rs), Jdbc.instant(rs, "created_at"));
    }

    private static Attempt attempt(ResultSet rs) throws SQLException {
        Instant at = instantOrNull(rs, "last_attempt_at");
        return at == null ? null : new Attempt(at, rs.getInt("last_status"), rs.getString("last_error"));
    }

    private static Instant instantOrNull(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    private static String json(List<String> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> list(String json) {
        try {
            return JSON.readValue(json, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable event types " + json, e);
        }
    }
}
