package io.wharf.core.signature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.core.error.RegistryException;
import io.wharf.core.model.Digest;
import io.wharf.core.spi.DocumentIndex;
import io.wharf.core.spi.DocumentKind;
import io.wharf.core.spi.StoredDocument;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Why signing an image on push failed, per repository ({@link DocumentKind#SIGNING_FAILURES}: image digest to the
 * profiles, a code and a reason), so that DescribeImageSigningStatus answers FAILED instead of IN_PROGRESS for ever.
 * Written only by the outbox's signing subscriber (one at a time in a cluster: the dispatcher's lease), so the
 * document's read-and-replace has no concurrent writer. At most {@value #MAX_IMAGES} images per repository: the
 * oldest failures are dropped first (those images then read IN_PROGRESS again).
 */
final class SigningFailures {
    static final int MAX_IMAGES = 1000;
    private static final int MAX_REASON = 500;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The last failure of signing an image with {@code profiles}. */
    record Failure(List<String> profiles, String code, String reason) {
    }

    private final DocumentIndex documents;
    private final Clock clock;

    SigningFailures(DocumentIndex documents, Clock clock) {
        this.documents = documents;
        this.clock = clock;
    }

    /** The failure's code: the domain exception's name (ImageTagImmutable, StorageUnavailable…), else SigningFailed. */
    static Failure of(List<String> profiles, RuntimeException e) {
        String code = e instanceof RegistryException
                ? e.getClass().getSimpleName().replaceFirst("Exception$", "") : "SigningFailed";
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new Failure(List.copyOf(profiles), code,
                reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason);
    }

    void record(long repositoryId, Digest image, Failure failure) {
        ObjectNode all = read(repositoryId).orElseGet(JSON::createObjectNode);
        ObjectNode entry = JSON.createObjectNode().put("code", failure.code()).put("reason", failure.reason())
                .put("at", clock.millis());
        failure.profiles().forEach(entry.putArray("profiles")::add);
        all.set(image.toString(), entry);
        dropOldest(all);
        documents.putRepositoryDocument(repositoryId, DocumentKind.SIGNING_FAILURES, all.toString(), clock.instant());
    }

    /** Forgets the image's failure (it was signed since); a read only when the repository has none. */
    void clear(long repositoryId, Digest image) {
        Optional<ObjectNode> all = read(repositoryId);
        if (all.isPresent() && all.get().remove(image.toString()) != null) {
            documents.putRepositoryDocument(repositoryId, DocumentKind.SIGNING_FAILURES, all.get().toString(), clock.instant());
        }
    }

    Optional<Failure> find(long repositoryId, Digest image) {
        return read(repositoryId).map(all -> all.get(image.toString())).filter(JsonNode::isObject).map(e -> {
            List<String> profiles = new ArrayList<>();
            e.path("profiles").forEach(p -> profiles.add(p.asText()));
            return new Failure(profiles, e.path("code").asText(), e.path("reason").asText());
        });
    }

    private Optional<ObjectNode> read(long repositoryId) {
        return documents.repositoryDocument(repositoryId, DocumentKind.SIGNING_FAILURES).map(StoredDocument::text)
                .flatMap(SigningFailures::parse);
    }

    private static Optional<ObjectNode> parse(String text) {
        try {
            return JSON.readTree(text) instanceof ObjectNode o ? Optional.of(o) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // only this class writes it; unreadable reads as no failures
        }
    }

    private static void dropOldest(ObjectNode all) {
        if (all.size() <= MAX_IMAGES) {
            return;
        }
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(all.properties());
        entries.sort(Comparator.comparingLong(e -> e.getValue().path("at").asLong()));
        entries.subList(0, entries.size() - MAX_IMAGES).forEach(e -> all.remove(e.getKey()));
    }
}
