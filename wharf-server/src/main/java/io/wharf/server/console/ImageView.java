package io.wharf.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.core.model.Descriptor;
import io.wharf.core.model.Digest;
import io.wharf.core.model.Manifest;
import io.wharf.core.model.ManifestParser;
import io.wharf.core.model.Reference;
import io.wharf.core.model.Tag;
import io.wharf.core.service.ImageQuery;
import io.wharf.core.service.RepoKey;
import io.wharf.core.spi.ScanIndex.ScanRecord;
import io.wharf.core.spi.StoredManifest;
import io.wharf.core.spi.TagStatus;
import io.wharf.scan.service.ScanCodec.PlatformFinding;
import io.wharf.scan.vuln.Finding;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Builds the image page from the manifest, its config blob, its referrers and its scan. */
final class ImageView {
    /** Findings listed on one page at most; the counts above them are complete. */
    private static final int MAX_FINDINGS = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConsoleContext context;
    private final io.wharf.core.signature.SignatureService signatures;

    ImageView(ConsoleContext context) {
        this.context = context;
        this.signatures = io.wharf.server.signing.Signatures.service(context.registry());
    }

    ImagePage page(ConsoleCall call) {
        RepoKey key = call.repository();
        Digest digest = call.digest();
        StoredManifest stored = context.registry().manifests().get(key, new Reference.ByDigest(digest));
        Manifest manifest = ManifestParser.parseStored(stored.mediaType(), stored.content());
        String name = key.name().value();
        List<String> tags = context.registry().images().describe(key, List.of(new ImageQuery(digest, null)),
                TagStatus.ANY).getFirst().image().tags().stream().map(Tag::value).toList();
        List<String> pulls = new ArrayList<>();
        pulls.add("docker pull " + call.registryHost() + "/" + name + "@" + digest);
        tags.forEach(t -> pulls.add("docker pull " + call.registryHost() + "/" + name + ":" + t));
        Optional<ScanRecord> scan = context.scans() == null ? Optional.empty() : context.scans().scanOf(key, digest);
        return new ImagePage(call.frame(name + "@" + Format.shortDigest(digest.toString())), name, digest.toString(),
                stored.mediaType(), tags, pulls, ManifestJson.pretty(stored.content()), config(key, manifest),
                layers(manifest), children(name, stored), referrers(key, digest), scan.map(s -> s.status().name())
                .orElse("none"), findings(scan), ConsolePath.images(name), ConsolePath.deleteImage(name, digest.toString()),
                signatures(key, digest), verdict(key, digest));
    }

    /** Each signature artifact: its kind, its digest (linked), and how many signatures it carries. */
    private List<ImagePage.Part> signatures(RepoKey key, Digest digest) {
        return signatures.signatures(key, digest).stream()
                .map(s -> new ImagePage.Part(s.tag() == null ? s.kind().name() : s.kind() + " (" + s.tag().value() + ")",
                        s.artifact().toString(), s.layers().size() + (s.layers().size() == 1 ? " layer" : " layers"),
                        ConsolePath.image(key.name().value(), s.artifact().toString())))
                .toList();
    }

    private String verdict(RepoKey key, Digest digest) {
        return signatures.verdict(key, digest).map(v -> v.trustedIdentity() != null
                ? "pulls allowed: signed keyless by trusted identity " + v.trustedIdentity()
                : v.allowed() ? "pulls allowed: signed with trusted entry " + v.trustedKey() : "pulls refused: " + v.reason())
                .orElse(null);
    }

    /** The config blob, when there is one no larger than a manifest may be. */
    private String config(RepoKey key, Manifest manifest) {
        Descriptor config = manifest.config();
        if (config == null || config.size() > context.registry().limits().maxManifestBytes()) {
            return null;
        }
        try (SeekableByteChannel channel = context.registry().blobs().open(key, config.digest());
             InputStream in = Channels.newInputStream(channel)) {
            return ManifestJson.pretty(in.readNBytes((int) config.size()));
        } catch (IOException | RuntimeException e) {
            return null; // the page still shows everything else; the blob's absence is the scrub's to report
        }
    }

    private static List<ImagePage.Part> layers(Manifest manifest) {
        return manifest.blobs().stream().filter(d -> manifest.config() == null || !d.equals(manifest.config()))
                .map(d -> new ImagePage.Part(d.mediaType(), d.digest().toString(), Format.size(d.size()), null))
                .toList();
    }

    /** An index's children, each with its platform, linked to its own page. */
    private static List<ImagePage.Part> children(String name, StoredManifest stored) {
        List<ImagePage.Part> out = new ArrayList<>();
        try {
            for (JsonNode child : JSON.readTree(stored.content()).path("manifests")) {
                String digest = child.path("digest").asText();
                String platform = ManifestJson.platform(child.path("platform"));
                out.add(new ImagePage.Part(platform == null ? child.path("mediaType").asText() : platform, digest,
                        Format.size(child.path("size").asLong()), ConsolePath.image(name, digest)));
            }
        } catch (IOException e) {
            return List.of();
        }
        return out;
    }

    private List<ImagePage.Part> referrers(RepoKey key, Digest digest) {
        return context.registry().manifests().referrers(key, digest, null).stream()
                .map(d -> new ImagePage.Part(d.artifactType() == null ? d.mediaType() : d.artifactType(),
                        d.digest().toString(), Format.size(d.size()),
                        ConsolePath.image(key.name().value(), d.digest().toString())))
                .toList();
    }

    private List<ImagePage.FindingRow> findings(Optional<ScanRecord> scan) {
        if (scan.isEmpty()) {
            return List.of();
        }
        return context.scans().findings(scan.get()).stream().limit(MAX_FINDINGS).map(ImageView::finding).toList();
    }

    private static ImagePage.FindingRow finding(PlatformFinding pf) {
        Finding f = pf.finding();
        String link = f.sourceUrl() != null ? f.sourceUrl()
                : f.referenceUrls().isEmpty() ? null : f.referenceUrls().getFirst();
        return new ImagePage.FindingRow(f.vulnerabilityId(), f.severity().name(), f.pkg().pkg().name(),
                f.pkg().pkg().version(), f.fixedInVersion(), safeLink(link));
    }

    /** Only http(s) links become hrefs: advisory data is not trusted to carry {@code javascript:} URLs. */
    private static String safeLink(String link) {
        return link != null && (link.startsWith("https://") || link.startsWith("http://")) ? link : null;
    }
}
