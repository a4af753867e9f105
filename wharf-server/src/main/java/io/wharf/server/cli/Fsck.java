package io.wharf.server.cli;

import io.wharf.core.error.RegistryException;
import io.wharf.core.model.Descriptor;
import io.wharf.core.model.Digest;
import io.wharf.core.model.Manifest;
import io.wharf.core.model.ManifestParser;
import io.wharf.core.service.BlobIntegrity;
import io.wharf.core.service.BlobScrub;
import io.wharf.core.service.Damage;
import io.wharf.core.spi.ImageRecord;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.Repository;
import io.wharf.core.spi.StoredManifest;
import io.wharf.core.spi.TagStatus;
import io.wharf.storage.fs.FileSystemBlobStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The checks of {@code wharf fsck} over one data directory: every recorded blob (present, its size, its
 * hash), every manifest of the account (its bytes hash to its digest, what it references is in its
 * repository), and the files of the blob tree that no metadata records. Reads only, except that with
 * {@code repair} damaged blobs are set aside ({@link io.wharf.core.spi.BlobStore#quarantine}), exactly as
 * the server's scrub does, so the next push of each stores it again.
 */
final class Fsck {
    private static final int PAGE = 500;

    /** What the check found; {@code damaged} holds blobs and manifests, orphans and strays are not damage. */
    record Result(BlobScrub.Report blobs, long manifests, List<Damage> damaged, long orphans, List<Path> strays,
                  long quarantined) {
    }

    private final MetadataStore meta;
    private final FileSystemBlobStore store;
    private final io.wharf.core.spi.BlobStore copies;
    private final String account;
    private final long rate;
    private final boolean repair;

    /** @param copies where blobs are read for checking: the plain tree, or every encryption domain's copies */
    Fsck(MetadataStore meta, FileSystemBlobStore store, io.wharf.core.spi.BlobStore copies, String account, long rate,
         boolean repair) {
        this.meta = meta;
        this.store = store;
        this.copies = copies;
        this.account = account;
        this.rate = rate;
        this.repair = repair;
    }

    Result run(BlobScrub.Progress progress) throws IOException {
        BlobIntegrity integrity = new BlobIntegrity(copies, d -> { }); // findings are reported by the scrub
        BlobScrub.Report blobs = new BlobScrub(meta, integrity, rate, repair).runOnce(progress);
        List<Damage> damaged = new ArrayList<>(blobs.damaged());
        long manifests = checkManifests(damaged);
        List<Path> strays = new ArrayList<>();
        long orphans = unrecordedFiles(strays);
        return new Result(blobs, manifests, List.copyOf(damaged), orphans, List.copyOf(strays), quarantined());
    }

    private long checkManifests(List<Damage> damaged) {
        long count = 0;
        List<Repository> page = meta.describeRepositories(account, null, PAGE);
        while (!page.isEmpty()) {
            for (Repository repo : page) {
                count += checkRepository(repo, damaged);
            }
            page = meta.describeRepositories(account, page.getLast().name(), PAGE);
        }
        return count;
    }

    private long checkRepository(Repository repo, List<Damage> damaged) {
        long count = 0;
        List<ImageRecord> page = meta.listImages(repo.id(), TagStatus.ANY, null, PAGE);
        while (!page.isEmpty()) {
            for (ImageRecord image : page) {
                String problem = problem(repo, image.manifest());
                if (problem != null) {
                    damaged.add(new Damage("manifest", image.manifest().digest(), repo.name().value(), problem));
                }
                count++;
            }
            page = meta.listImages(repo.id(), TagStatus.ANY, page.getLast().manifest().digest(), PAGE);
        }
        return count;
    }

    /** What is wrong with a stored manifest, or null. */
    private String problem(Repository repo, StoredManifest m) {
        if (!m.intact()) {
            return "stored bytes do not hash to the digest; not served until it is pushed again";
        }
        Manifest parsed;
        try {
            parsed = ManifestParser.parse(m.mediaType(), m.content());
        } catch (RegistryException e) {
            return "stored bytes do not parse: " + e.getMessage();
        }
        List<Digest> blobs = parsed.blobs().stream().filter(d -> !d.isExternal()).map(Descriptor::digest).toList();
        Set<Digest> missing = meta.missingBlobs(repo.id(), blobs);
        if (!missing.isEmpty()) {
            return "references blobs the repository does not hold: " + missing;
        }
        missing = meta.missingManifests(repo.id(), parsed.manifests().stream().map(Descriptor::digest).toList());
        return missing.isEmpty() ? null : "references manifests the repository does not hold: " + missing;
    }

    /** Counts blob files no metadata records (left by a crash between rename and commit; garbage, not damage). */
    private long unrecordedFiles(List<Path> strays) throws IOException {
        long orphans = 0;
        try (Stream<Path> files = store.files()) {
            for (Path file : (Iterable<Path>) files::iterator) {
                var digest = store.digestAt(file);
                if (digest.isEmpty()) {
                    strays.add(file);
                } else if (meta.blobSize(digest.get()).isEmpty()) {
                    orphans++;
                }
            }
        }
        return orphans;
    }

    private long quarantined() throws IOException {
        if (!Files.isDirectory(store.quarantineDir())) {
            return 0;
        }
        try (Stream<Path> files = Files.list(store.quarantineDir())) {
            return files.count();
        }
    }
}
