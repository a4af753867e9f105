package io.wharf.server.ecr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.server.oci.Fixtures;
import io.wharf.server.oci.TestRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.EcrException;
import software.amazon.awssdk.services.ecr.model.ImageIdentifier;

/** Helpers of the ECR API tests: images in bulk, lists of a given size, constraint assertions. */
final class EcrFixtures {
    private EcrFixtures() {
    }

    /**
     * Pushes one config and one layer into {@code repo} over /v2/ (creating it), then puts {@code count}
     * distinct manifests over them through PutImage, tagged {@code t000}, {@code t001}, …; returns their digests.
     */
    static List<String> seedImages(TestRegistry r, EcrClient ecr, String repo, int count) throws Exception {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"repo\":\"" + repo + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] layer = Fixtures.randomBytes(64);
        Fixtures.pushBlob(r, repo, config);
        Fixtures.pushBlob(r, repo, layer);
        String base = new String(Fixtures.manifest(config, layer), StandardCharsets.UTF_8);
        List<String> digests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String manifest = variant(base, i);
            String tag = "t%03d".formatted(i);
            ecr.putImage(b -> b.repositoryName(repo).imageManifest(manifest).imageTag(tag));
            digests.add(Fixtures.digest(manifest.getBytes(StandardCharsets.UTF_8)));
        }
        return digests;
    }

    /** The manifest with an annotation that makes it (and its digest) unique. */
    static String variant(String manifest, int n) {
        return manifest.substring(0, manifest.length() - 1) + ",\"annotations\":{\"n\":\"" + n + "\"}}";
    }

    static <T> List<T> listOf(int size, IntFunction<T> element) {
        List<T> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(element.apply(i));
        }
        return out;
    }

    static List<ImageIdentifier> tagIds(int size) {
        return listOf(size, i -> ImageIdentifier.builder().imageTag("t%03d".formatted(i)).build());
    }

    /** InvalidParameterException whose message names {@code member}: the constraint that fired is the one meant. */
    static void assertConstraint(String member, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(EcrException.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterException");
            assertThat(e.awsErrorDetails().errorMessage()).contains("'" + member + "'");
        });
    }
}
