package io.wharf.server.console;

import io.wharf.core.error.ParameterInvalidException;
import io.wharf.core.model.Digest;
import io.wharf.core.model.Tag;
import io.wharf.core.service.Batch;
import io.wharf.core.service.ImageDetail;
import io.wharf.core.service.ImageQuery;
import io.wharf.core.service.ListingService.Page;
import io.wharf.core.service.RepoKey;
import io.wharf.core.spi.ImageTagRef;
import io.wharf.core.spi.ScanIndex.ScanRecord;
import io.wharf.core.spi.StoredManifest;
import io.wharf.core.spi.TagStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A repository's images (keyset pages in digest order, filtered tagged/untagged), the delete confirmation and the
 * delete itself (a POST, after the handler checked its CSRF token). The image page is {@link ImageView}'s.
 */
final class ImagePages {
    private final ConsoleContext context;
    private final ImageView view;

    ImagePages(ConsoleContext context) {
        this.context = context;
        this.view = new ImageView(context);
    }

    Reply list(ConsoleCall call) {
        RepoKey key = call.repository();
        String filter = filter(call.query("filter"));
        String afterText = call.query("after");
        Digest after = afterText == null || afterText.isEmpty() ? null : Digest.parse(afterText);
        Page<ImageDetail> page = context.registry().images().describePage(key, status(filter), after, context.pageSize());
        List<ImagesPage.Row> rows = page.items().stream().map(d -> row(key, d)).toList();
        String next = page.more() ? ConsolePath.images(key.name().value()) + "?filter=" + filter + "&after="
                + page.items().getLast().image().manifest().digest() : null;
        String deleted = deletedDigest(call.query("deleted"));
        ImagesPage model = new ImagesPage(call.frame(key.name().value()), key.name().value(),
                call.registryHost() + "/" + key.name().value(), filter, rows, deleted, next);
        boolean partial = "image-table".equals(call.exchange().header("HX-Target"));
        return Reply.page(partial ? "imageRows.jte" : "images.jte", model);
    }

    Reply show(ConsoleCall call) {
        return Reply.page("image.jte", view.page(call));
    }

    Reply confirmDelete(ConsoleCall call) {
        RepoKey key = call.repository();
        Digest digest = call.digest();
        List<String> tags = tags(key, digest);
        return Reply.page("delete.jte", new DeletePage(call.frame("Delete image"), key.name().value(),
                digest.toString(), tags, ConsolePath.deleteImage(key.name().value(), digest.toString()),
                ConsolePath.image(key.name().value(), digest.toString())));
    }

    Reply delete(ConsoleCall call) {
        RepoKey key = call.repository();
        Digest digest = call.digest();
        Batch<ImageTagRef> result = context.registry().images().batchDelete(key, List.of(new ImageQuery(digest, null)));
        if (!result.failures().isEmpty()) {
            String reason = result.failures().getFirst().reason();
            return new Reply.Page(409, "error.jte", ErrorPage.of(call.frame("Not deleted"), 409,
                    "The image was not deleted: " + reason));
        }
        return Reply.redirect(ConsolePath.images(key.name().value()) + "?deleted=" + digest);
    }

    private List<String> tags(RepoKey key, Digest digest) {
        return context.registry().images().describe(key, List.of(new ImageQuery(digest, null)), TagStatus.ANY)
                .getFirst().image().tags().stream().map(Tag::value).toList();
    }

    private ImagesPage.Row row(RepoKey key, ImageDetail d) {
        StoredManifest m = d.image().manifest();
        String digest = m.digest().toString();
        Optional<ScanRecord> scan = scan(key, m.digest());
        return new ImagesPage.Row(digest, Format.shortDigest(digest), ConsolePath.image(key.name().value(), digest),
                d.image().tags().stream().map(Tag::value).toList(), m.mediaType(),
                m.artifactType() != null ? m.artifactType() : d.artifactMediaType(),
                ManifestJson.platforms(m.content()), Format.size(d.sizeInBytes()), Format.time(m.pushedAt()),
                Format.time(m.lastPulledAt()), scan.map(s -> s.status().name()).orElse("none"),
                scan.map(s -> counts(s.severityCounts())).orElse(List.of()));
    }

    Optional<ScanRecord> scan(RepoKey key, Digest digest) {
        return context.scans() == null ? Optional.empty() : context.scans().scanOf(key, digest);
    }

    /** Severity counts, most severe first (the scanner's names, upper case). */
    static List<ImagesPage.Count> counts(Map<String, Integer> counts) {
        List<String> order = List.of("CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNDEFINED");
        List<ImagesPage.Count> out = new ArrayList<>();
        counts.forEach((k, v) -> out.add(new ImagesPage.Count(k, v)));
        out.sort(Comparator.comparingInt(c -> {
            int i = order.indexOf(c.severity().toUpperCase(Locale.ROOT));
            return i < 0 ? order.size() : i;
        }));
        return out;
    }

    private static String filter(String query) {
        if (query == null || query.isEmpty()) {
            return "any";
        }
        return switch (query) {
            case "any", "tagged", "untagged" -> query;
            default -> throw new ParameterInvalidException("filter must be any, tagged or untagged", query);
        };
    }

    private static TagStatus status(String filter) {
        return switch (filter) {
            case "tagged" -> TagStatus.TAGGED;
            case "untagged" -> TagStatus.UNTAGGED;
            default -> TagStatus.ANY;
        };
    }

    /** The {@code deleted} notice only ever shows a digest. */
    private static String deletedDigest(String query) {
        return query != null && Digest.looksLikeDigest(query) ? Digest.parse(query).toString() : null;
    }
}
