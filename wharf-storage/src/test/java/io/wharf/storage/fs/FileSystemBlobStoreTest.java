package io.wharf.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.model.Digest;
import io.wharf.core.spi.BlobStoreContract;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemBlobStoreTest extends BlobStoreContract {

    @TempDir
    Path dataDir;

    @Override
    protected Stores createStores() throws IOException {
        FileSystemBlobStore blobs = new FileSystemBlobStore(dataDir);
        return new Stores(blobs, new FileSystemUploadStore(blobs));
    }

    @Test
    void blobsAreShardedByTheFirstTwoHexDigits() throws IOException {
        Digest digest = upload(bytes("sharded"));
        Path expected = dataDir.resolve("blobs/sha256").resolve(digest.hex().substring(0, 2)).resolve(digest.hex());
        assertThat(expected).isRegularFile().hasBinaryContent(bytes("sharded"));
        upload(bytes("abc")); // FIPS 180-2's known answer, so that the layout is not only checked against itself
        assertThat(dataDir.resolve("blobs/sha256/ba/ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"))
                .isRegularFile().hasBinaryContent(bytes("abc"));
    }

    @Test
    void uploadsLiveInTheUploadsDirectoryUntilCommitted() throws IOException {
        String id = newId();
        uploads.create(id);
        append(id, 0, "abc");
        assertThat(dataDir.resolve("uploads").resolve(id)).hasBinaryContent(bytes("abc"));
        uploads.commit(id, 3, digestOf(bytes("abc")));
        assertThat(dataDir.resolve("uploads")).isEmptyDirectory();
    }

    @Test
    void listingSkipsFilesThatDoNotNameABlobAndOrdersAlgorithms() throws IOException {
        Digest blob = upload(bytes("listed"));
        byte[] content = bytes("sha512 listed");
        Digest d512 = Digest.of(Digest.Algorithm.SHA512, Digest.Algorithm.SHA512.newMessageDigest().digest(content));
        String id = newId();
        uploads.create(id);
        appendBytes(id, 0, content);
        uploads.commit(id, content.length, d512);
        Path shard = dataDir.resolve("blobs/sha256").resolve(blob.hex().substring(0, 2));
        Files.writeString(shard.resolve("not-a-digest"), "stray");
        Files.writeString(dataDir.resolve("blobs/sha256/stray-at-top"), "stray");
        assertThat(blobs.list(null, 10)).extracting(b -> b.digest()).containsExactly(blob, d512);
        assertThat(blobs.list(blob, 10)).extracting(b -> b.digest()).containsExactly(d512);
    }

    @Test
    void openReturnsAFileChannelForZeroCopySends() throws IOException {
        Digest digest = upload(bytes("zero copy"));
        try (SeekableByteChannel channel = blobs.open(digest)) {
            assertThat(channel).isInstanceOf(FileChannel.class);
        }
    }

    /** The tree holds exactly the 20 committed blobs, each named by its content: an empty tree does not pass. */
    @Test
    void commitNeverLeavesAnythingButCompleteBlobsInTheTree() throws IOException {
        for (int i = 0; i < 20; i++) {
            upload(bytes("blob " + i));
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dataDir.resolve("blobs"))) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).hasSize(20);
        files.forEach(this::assertNamesItsContent);
        assertThat(dataDir.resolve("uploads")).isEmptyDirectory();
    }

    @Test
    void aCorruptBlobAtTheTargetPathIsReplacedOnCommit() throws IOException {
        byte[] content = bytes("the real bytes");
        Digest digest = upload(content);
        Path path = ((FileSystemBlobStore) blobs).pathOf(digest);
        Files.write(path, bytes("torn"));
        upload(content);
        assertThat(path).hasBinaryContent(content);
    }

    @Test
    void aBlobWithAFlippedByteIsReplacedOnCommitThoughItsSizeIsRight() throws IOException {
        byte[] content = bytes("the real bytes");
        Digest digest = upload(content);
        Path path = ((FileSystemBlobStore) blobs).pathOf(digest);
        byte[] damaged = content.clone();
        damaged[3] ^= 0x01;
        Files.write(path, damaged);
        upload(content);
        assertThat(path).hasBinaryContent(content);
    }

    @Test
    void quarantineMovesTheFileAsideForInspection() throws IOException {
        Digest digest = upload(bytes("inspect me"));
        FileSystemBlobStore store = (FileSystemBlobStore) blobs;
        blobs.quarantine(digest);
        assertThat(store.pathOf(digest)).doesNotExist();
        try (Stream<Path> files = Files.list(dataDir.resolve("quarantine"))) {
            assertThat(files.toList()).singleElement().satisfies(p -> {
                assertThat(p.getFileName().toString()).startsWith("sha256-" + digest.hex() + ".");
                assertThat(p).hasBinaryContent(bytes("inspect me"));
            });
        }
    }

    @Test
    void filesThatAreNotUploadsAreNotListed() throws IOException {
        String id = newId();
        uploads.create(id);
        Files.writeString(dataDir.resolve("uploads/.nfs0001"), "x");
        assertThat(uploads.list()).containsExactly(id);
    }

    @Test
    void appendingToAMissingUploadDoesNotCreateIt() {
        String id = newId();
        assertThatThrownBy(() -> uploads.append(id, 0)).isInstanceOf(java.nio.file.NoSuchFileException.class);
        assertThat(dataDir.resolve("uploads").resolve(id)).doesNotExist();
    }

    private void assertNamesItsContent(Path file) {
        try {
            assertThat(Digest.sha256Of(Files.readAllBytes(file)).hex()).isEqualTo(file.getFileName().toString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
