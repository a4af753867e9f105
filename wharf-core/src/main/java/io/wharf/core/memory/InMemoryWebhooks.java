package io.wharf.core.memory;

import io.wharf.core.spi.WebhookIndex;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** {@link WebhookIndex} in memory, under the store's monitor. */
final class InMemoryWebhooks implements WebhookIndex {
    private final Object lock;
    private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    private final Map<Long, Delivery> deliveries = new TreeMap<>();
    private final Map<String, Long> delivered = new HashMap<>();
    private long nextId = 1;

    InMemoryWebhooks(Object lock) {
        this.lock = lock;
    }

    @Override
    public void createSubscription(Subscription subscription) {
        synchronized (lock) {
            if (subscriptions.putIfAbsent(subscription.id(), subscription) != null) {
                throw new IllegalStateException("subscription " + subscription.id() + " exists");
            }
        }
    }

    @Override
    public Optional<Subscription> subscription(String id) {
        synchronized (lock) {
            return Optional.ofNullable(subscriptions.get(id));
        }
    }

    @Override
    public List<Subscription> subscriptions(String account) {
        synchronized (lock) {
            return subscriptions.values().stream().filter(s -> account == null || s.account().equals(account)).toList();
        }
    }

    @Override
    public boolean updateSubscription(Subscription s) {
        synchronized (lock) {
            Subscription old = subscriptions.get(s.id());
            if (old == null) {
                return false;
            }
            subscriptions.put(s.id(), new Subscription(s.id(), old.account(), s.url(), s.repositoryFilter(), s.eventTypes(),
                    old.secret(), s.enabled(), old.createdAt(), old.last()));
            return true;
        }
    }

    @Override
    public boolean deleteSubscription(String id) {
        synchronized (lock) {
            deliveries.values().removeIf(d -> d.subscriptionId().equals(id));
            delivered.remove(id);
            return subscriptions.remove(id) != null;
        }
    }

    @Override
    public int enqueue(List<NewDelivery> queue, Instant now) {
        synchronized (lock) {
            int queued = 0;
            for (NewDelivery n : queue) {
                queued += queue(new Queued(n, State.PENDING, null, now), now);
            }
            return queued;
        }
    }

    /** Queues one delivery unless it is queued already or its subscription is gone; returns 1 if it did. */
    private int queue(Queued q, Instant now) {
        NewDelivery n = q.delivery();
        boolean seen = deliveries.values().stream()
                .anyMatch(d -> d.subscriptionId().equals(n.subscriptionId()) && d.eventId().equals(n.eventId()));
        if (seen || !subscriptions.containsKey(n.subscriptionId())) {
            return 0;
        }
        long id = nextId++;
        deliveries.put(id, new Delivery(id, n.subscriptionId(), n.eventId(), n.detailType(), n.repository(), n.body(),
                q.state(), q.attempt() == null ? 0 : 1, q.dueAt(), null, null, q.attempt(), now));
        return 1;
    }

    @Override
    public Set<String> waiting() {
        synchronized (lock) {
            Set<String> out = new HashSet<>();
            deliveries.values().stream().filter(d -> d.state() == State.PENDING).forEach(d -> out.add(d.subscriptionId()));
            return out;
        }
    }

    @Override
    public int recordSent(List<Sent> sent, List<Queued> queued, Instant now) {
        synchronized (lock) {
            for (Sent s : sent) {
                if (subscriptions.containsKey(s.subscriptionId())) {
                    delivered.merge(s.subscriptionId(), (long) s.delivered(), Long::sum);
                    record(s.subscriptionId(), s.last());
                }
            }
            int n = 0;
            for (Queued q : queued) {
                n += queue(q, now);
            }
            return n;
        }
    }

    /** The subscription's latest attempt becomes {@code a} unless it has a newer one. */
    private void record(String subscriptionId, Attempt a) {
        subscriptions.computeIfPresent(subscriptionId,
                (k, s) -> s.withLast(Attempt.newer(s.last(), a)));
    }

    @Override
    public List<Delivery> claimable(Instant now, Set<String> skip, int limit) {
        synchronized (lock) {
            return deliveries.values().stream().filter(d -> claimable(d, now) && !skip.contains(d.subscriptionId()))
                    .sorted(Comparator.comparing(Delivery::dueAt).thenComparing(Delivery::id)).limit(limit).toList();
        }
    }

    private boolean claimable(Delivery d, Instant now) {
        Subscription s = subscriptions.get(d.subscriptionId());
        return d.state() == State.PENDING && s != null && s.enabled()
                && (d.owner() == null ? !d.dueAt().isAfter(now) : d.leaseExpiresAt().isBefore(now));
    }

    @Override
    public List<Delivery> claim(List<Long> ids, String owner, Instant now, Instant leaseExpiresAt) {
        synchronized (lock) {
            List<Delivery> taken = new ArrayList<>();
            for (long id : ids) {
                Delivery d = deliveries.get(id);
                if (d != null && claimable(d, now)) {
                    Delivery claimed = with(d, d.state(), d.attempts() + 1, d.dueAt(), owner, leaseExpiresAt, d.last());
                    deliveries.put(id, claimed);
                    taken.add(claimed);
                }
            }
            return taken;
        }
    }

    @Override
    public Set<Long> finishAttempts(String owner, List<Finish> finishes) {
        synchronized (lock) {
            Set<Long> recorded = new HashSet<>();
            for (Finish f : finishes) {
                Delivery d = deliveries.get(f.id());
                if (d != null && d.state() == State.PENDING && owner.equals(d.owner())) {
                    Instant due = f.state() == State.PENDING ? f.retryAt() : d.dueAt();
                    deliveries.put(f.id(), with(d, f.state(), d.attempts(), due, null, null, f.attempt()));
                    record(d.subscriptionId(), f.attempt());
                    if (f.state() == State.DELIVERED) {
                        delivered.merge(d.subscriptionId(), 1L, Long::sum);
                    }
                    recorded.add(f.id());
                }
            }
            return recorded;
        }
    }

    @Override
    public Optional<Delivery> delivery(long id) {
        synchronized (lock) {
            return Optional.ofNullable(deliveries.get(id));
        }
    }

    @Override
    public List<Delivery> deliveries(String subscriptionId, State state, int limit) {
        synchronized (lock) {
            return deliveries.values().stream()
                    .filter(d -> d.subscriptionId().equals(subscriptionId) && (state == null || d.state() == state))
                    .sorted(Comparator.comparingLong(Delivery::id).reversed()).limit(limit).toList();
        }
    }

    @Override
    public Map<State, Long> counts(String subscriptionId) {
        synchronized (lock) {
            Map<State, Long> out = new EnumMap<>(State.class);
            deliveries.values().stream().filter(d -> d.subscriptionId().equals(subscriptionId) && d.state() != State.DELIVERED)
                    .forEach(d -> out.merge(d.state(), 1L, Long::sum));
            long made = delivered.getOrDefault(subscriptionId, 0L);
            if (made > 0) {
                out.put(State.DELIVERED, made);
            }
            return out;
        }
    }

    @Override
    public int replay(String subscriptionId, Long deliveryId, Instant now) {
        synchronized (lock) {
            int replayed = 0;
            for (Delivery d : List.copyOf(deliveries.values())) {
                boolean pick = d.subscriptionId().equals(subscriptionId) && (deliveryId == null
                        ? d.state() == State.DEAD : d.id() == deliveryId && d.owner() == null);
                if (pick) {
                    deliveries.put(d.id(), with(d, State.PENDING, 0, now, null, null, d.last()));
                    replayed++;
                }
            }
            return replayed;
        }
    }

    @Override
    public int deleteDelivered(Instant before, int limit) {
        synchronized (lock) {
            List<Long> old = deliveries.values().stream().filter(d -> d.state() == State.DELIVERED
                    && d.last() != null && d.last().at().isBefore(before)).map(Delivery::id).limit(limit).toList();
            old.forEach(deliveries::remove);
            return old.size();
        }
    }

    private static Delivery with(Delivery d, State state, int attempts, Instant due, String owner, Instant lease, Attempt last) {
        return new Delivery(d.id(), d.subscriptionId(), d.eventId(), d.detailType(), d.repository(), d.body(), state,
                attempts, due, owner, lease, last, d.createdAt());
    }

}
