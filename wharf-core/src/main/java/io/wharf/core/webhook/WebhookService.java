package io.wharf.core.webhook;

import io.wharf.core.event.RegistryEvent;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.spi.WebhookIndex;
import io.wharf.core.spi.WebhookIndex.Subscription;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.UUID;
import java.time.temporal.ChronoUnit;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Subscriptions: validated creation (a generated secret unless one is given), changes, and which events each one
 * receives. Event types are EventBridge {@code detail-type}s (those of {@code detailTypes}) or Wharf's event names
 * ({@code ImagePushed}, {@code ImagePulled}, …: the outbox's types), so "pushes only" and "pulls too" are expressible.
 */
public final class WebhookService {
    public static final int MAX_URL_LENGTH = 2048;
    public static final int MAX_EVENT_TYPES = 32;
    public static final int MIN_SECRET_LENGTH = 16;
    public static final int MAX_SECRET_LENGTH = 256;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a caller asks for; null fields of a change keep the current value. */
    public record Spec(String url, String repositoryFilter, List<String> eventTypes, Boolean enabled) {
    }

    /** The detail-type of the deliveries {@link #sendTest} queues (always sent, whatever the filters). */
    public static final String TEST_DETAIL_TYPE = "Wharf Webhook Test";

    private final WebhookIndex index;
    private final Set<String> knownTypes;
    private final String region;
    private final Clock clock;
    private final Runnable wake;

    /**
     * @param detailTypes the EventBridge detail-types the registry sends
     * @param wake        starts the sender job (after a test or a replay)
     */
    public WebhookService(WebhookIndex index, Set<String> detailTypes, String region, Clock clock, Runnable wake) {
        this.index = index;
        this.knownTypes = new LinkedHashSet<>(detailTypes);
        Arrays.stream(RegistryEvent.class.getPermittedSubclasses()).map(Class::getSimpleName).forEach(knownTypes::add);
        this.region = region;
        this.clock = clock;
        this.wake = wake;
    }

    public WebhookIndex index() {
        return index;
    }

    /** Queues a test event ({@value #TEST_DETAIL_TYPE}) for the subscription; returns its delivery. */
    public WebhookIndex.Delivery sendTest(Subscription s) {
        String id = UUID.randomUUID().toString();
        ObjectNode envelope = JSON.createObjectNode().put("version", "0").put("id", id).put("detail-type", TEST_DETAIL_TYPE)
                .put("source", "wharf.registry").put("account", s.account())
                .put("time", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString()).put("region", region);
        envelope.putArray("resources");
        envelope.putObject("detail").put("subscription-id", s.id());
        index.enqueue(List.of(new WebhookIndex.NewDelivery(s.id(), id, TEST_DETAIL_TYPE, "", envelope.toString())),
                clock.instant());
        wake.run();
        return index.deliveries(s.id(), null, 10).stream().filter(d -> d.eventId().equals(id)).findFirst().orElseThrow();
    }

    /** Queues again the subscription's dead deliveries, or only {@code deliveryId}; returns how many. */
    public int replay(Subscription s, Long deliveryId) {
        int replayed = index.replay(s.id(), deliveryId, clock.instant());
        if (replayed > 0) {
            wake.run();
        }
        return replayed;
    }

    public Set<String> knownTypes() {
        return Set.copyOf(knownTypes);
    }

    /** Creates a subscription of {@code account}; {@code secret} null: a random one. The result holds the secret. */
    public Subscription create(String account, Spec spec, String secret) {
        String url = url(spec.url());
        String filter = repositoryFilter(spec.repositoryFilter());
        List<String> types = eventTypes(spec.eventTypes() == null ? List.of() : spec.eventTypes());
        String key = secret == null ? newSecret() : secret(secret);
        Subscription s = new Subscription(newId(), account, url, filter, types, key,
                spec.enabled() == null || spec.enabled(), clock.instant(), null);
        index.createSubscription(s);
        return s;
    }

    /** Applies the non-null fields of {@code change} to the account's subscription; empty when it has none of that id. */
    public Optional<Subscription> update(String account, String id, Spec change) {
        Optional<Subscription> found = find(account, id);
        if (found.isEmpty()) {
            return found;
        }
        Subscription old = found.get();
        Subscription s = new Subscription(id, account, change.url() == null ? old.url() : url(change.url()),
                change.repositoryFilter() == null ? old.repositoryFilter() : repositoryFilter(change.repositoryFilter()),
                change.eventTypes() == null ? old.eventTypes() : eventTypes(change.eventTypes()), old.secret(),
                change.enabled() == null ? old.enabled() : change.enabled(), old.createdAt(), old.last());
        return index.updateSubscription(s) ? Optional.of(s) : Optional.empty();
    }

    /** The account's subscription of that id (null account: any). */
    public Optional<Subscription> find(String account, String id) {
        return index.subscription(id).filter(s -> account == null || s.account().equals(account));
    }

    /** Whether the subscription receives an event of {@code account} and {@code repository} of these types. */
    public static boolean matches(Subscription s, String account, String repository, String detailType, String eventName) {
        return s.enabled() && s.account().equals(account) && repositoryMatches(s.repositoryFilter(), repository)
                && (s.eventTypes().isEmpty() || s.eventTypes().contains(detailType) || s.eventTypes().contains(eventName));
    }

    static boolean repositoryMatches(String filter, String repository) {
        if (filter == null) {
            return true;
        }
        return filter.endsWith("/*") ? repository.startsWith(filter.substring(0, filter.length() - 1)) : filter.equals(repository);
    }

    static String url(String url) {
        if (url == null || url.isBlank() || url.length() > MAX_URL_LENGTH) {
            throw new InvalidWebhookException("url must be an http or https URL of at most " + MAX_URL_LENGTH + " characters");
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getUserInfo() != null) {
                throw new InvalidWebhookException("url must be http(s)://host[:port]/path without credentials: " + url);
            }
            return url;
        } catch (URISyntaxException e) {
            throw new InvalidWebhookException("url is malformed: " + e.getMessage());
        }
    }

    /** Null, empty or {@code *}: every repository; {@code team/*}: under {@code team/}; else one repository name. */
    static String repositoryFilter(String filter) {
        if (filter == null || filter.isEmpty() || filter.equals("*")) {
            return null;
        }
        String name = filter.endsWith("/*") ? filter.substring(0, filter.length() - 2) : filter;
        try {
            RepositoryName.parse(name);
        } catch (RuntimeException e) {
            throw new InvalidWebhookException("repository must be a repository name or a prefix such as team/*: " + filter);
        }
        return filter;
    }

    private List<String> eventTypes(List<String> types) {
        if (types.size() > MAX_EVENT_TYPES) {
            throw new InvalidWebhookException("at most " + MAX_EVENT_TYPES + " event types");
        }
        for (String t : types) {
            if (!knownTypes.contains(t)) {
                throw new InvalidWebhookException("unknown event type '" + t + "'; known: "
                        + knownTypes.stream().sorted().collect(Collectors.joining(", ")));
            }
        }
        return List.copyOf(new LinkedHashSet<>(types));
    }

    private static String secret(String secret) {
        if (secret.length() < MIN_SECRET_LENGTH || secret.length() > MAX_SECRET_LENGTH || secret.isBlank()) {
            throw new InvalidWebhookException("secret must have " + MIN_SECRET_LENGTH + " to " + MAX_SECRET_LENGTH + " characters");
        }
        return secret;
    }

    static String newId() {
        return "wh-" + HexFormat.of().formatHex(random(10));
    }

    static String newSecret() {
        return "whsec_" + HexFormat.of().formatHex(random(32));
    }

    private static byte[] random(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
