package io.wharf.server.usage;

import io.wharf.core.model.Digest;
import io.wharf.core.usage.PullCounter;
import io.wharf.server.observe.RequestFacts;
import io.wharf.server.observe.RequestObserver;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * Counts pulls for the usage counters: a manifest GET answered 200 is one pull (of the digest its
 * {@code Docker-Content-Digest} names) and its bytes; a blob GET answered 200 or 206 adds the bytes it sent (a blob
 * redirected to its store, 307, sent none through Wharf and adds none). In memory only: {@link PullCounter}.
 */
public final class UsageObserver implements RequestObserver {
    private static final String DIGEST_HEADER = "Docker-Content-Digest";

    private final PullCounter counter;

    public UsageObserver(PullCounter counter) {
        this.counter = counter;
    }

    @Override
    public void completed(Request request, Response response, RequestFacts facts) {
        if (facts == null || facts.api() != RequestFacts.Api.OCI || facts.account() == null || facts.repository() == null
                || facts.operation() == null) {
            return;
        }
        int status = response.getStatus();
        switch (facts.operation()) {
            case "GetManifest" -> {
                if (status == 200) {
                    counter.pull(facts.account(), facts.repository(), counter.wantsDigests() ? digest(response) : null,
                            Response.getContentBytesWritten(response));
                }
            }
            case "GetBlob" -> {
                if (status == 200 || status == 206) {
                    counter.bytes(facts.account(), facts.repository(), Response.getContentBytesWritten(response));
                }
            }
            default -> { }
        }
    }

    private static Digest digest(Response response) {
        String value = response.getHeaders().get(DIGEST_HEADER);
        if (value == null) {
            return null;
        }
        try {
            return Digest.parse(value);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
