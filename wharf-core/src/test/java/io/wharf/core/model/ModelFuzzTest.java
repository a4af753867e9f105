package io.wharf.core.model;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wharf.core.error.RegistryException;
import java.util.Arrays;

/**
 * Fuzz targets of the value types parsed from requests (docs/security.md#fuzzing). Each parser either returns a
 * value or throws its domain failure ({@link RegistryException}); any other exception, or a hang, is a bug.
 * Inputs are raw bytes, so that the seeds under {@code ModelFuzzTestInputs/<target>/} are readable files.
 */
class ModelFuzzTest {
    private static final String[] CONTENT_TYPES = {MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX,
            MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_MANIFEST_LIST, "", "application/json"};

    /**
     * A manifest as pushed (strict) or as stored (lenient). The first byte picks the declared media type (its
     * value modulo 6, in the order of {@link #CONTENT_TYPES}: '0' is OCI's manifest) and, from '6' on, the stored
     * form; the rest is the body.
     */
    @FuzzTest
    void manifests(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int selector = input[0] & 0xff;
        String contentType = CONTENT_TYPES[(selector - '0' + 60) % CONTENT_TYPES.length];
        boolean stored = (selector - '0' + 60) % 12 >= CONTENT_TYPES.length;
        byte[] content = Arrays.copyOfRange(input, 1, input.length);
        try {
            Manifest m = stored ? ManifestParser.parseStored(contentType, content) : ManifestParser.parse(contentType, content);
            assertThat(m.digest()).isEqualTo(Digest.sha256Of(content));
        } catch (RegistryException refused) {
            // the parser's own answer
        }
    }

    /** A repository name as a path or an ECR request carries it; one that parses parses again to itself. */
    @FuzzTest
    void repositoryNames(byte[] input) {
        try {
            RepositoryName name = RepositoryName.parse(new String(input, UTF_8), 255);
            assertThat(RepositoryName.parse(name.value(), 255)).isEqualTo(name);
        } catch (RegistryException refused) {
            // NAME_INVALID
        }
    }

    /** A manifest reference: a tag, or a digest when it has a ':'. */
    @FuzzTest
    void references(byte[] input) {
        try {
            Reference ref = Reference.parse(new String(input, UTF_8));
            assertThat(Reference.parse(ref.toString())).isEqualTo(ref);
        } catch (RegistryException refused) {
            // TAG_INVALID, DIGEST_INVALID
        }
    }

    /**
     * A tag filter from a request, matched against a tag (the bytes before the first NUL, and after it): matching
     * must stay linear however many stars the filter has.
     */
    @FuzzTest
    void tagFilters(byte[] input) {
        String text = new String(input, UTF_8);
        int nul = text.indexOf('\0');
        String filter = nul < 0 ? text : text.substring(0, nul);
        String tag = nul < 0 ? "latest" : text.substring(nul + 1);
        try {
            TagFilter.parse(filter).matches(tag);
        } catch (RegistryException refused) {
            // InvalidParameter
        }
    }
}
