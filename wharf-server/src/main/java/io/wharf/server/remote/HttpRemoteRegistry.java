package io.wharf.server.remote;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.core.model.Digest;
import io.wharf.core.model.MediaTypes;
import io.wharf.core.remote.RemoteBlob;
import io.wharf.core.remote.RemoteException;
import io.wharf.core.remote.RemoteException.Kind;
import io.wharf.core.remote.RemoteManifest;
import io.wharf.core.remote.RemoteRegistry;
import io.wharf.server.config.WharfConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** One remote registry over the OCI Distribution API; see {@link HttpRemoteRegistries}. */
final class HttpRemoteRegistry implements RemoteRegistry {
    static final String ACCEPT = String.join(", ", MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST,
            MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.DOCKER_MANIFEST);
    private static final Pattern REPOSITORY = Pattern.compile(
            "[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final Map<String, String> headers;
    private final Transport transport;
    private final Authenticator auth;

    HttpRemoteRegistry(URI endpoint, Map<String, String> headers, Transport transport, Authenticator auth) {
        this.endpoint = endpoint;
        this.headers = Map.copyOf(headers);
        this.transport = transport;
        this.auth = auth;
    }

    @Override
    public Optional<RemoteManifest> manifest(String repository, String reference) throws RemoteException {
        Transport.Response r = send("GET", manifestUri(repository, reference), pull(repository), Map.of("Accept", ACCEPT));
        if (r.status() == 404) {
            r.close();
            return Optional.empty();
        }
        expect(r, 200);
        byte[] body = Transport.readBounded(r, transport.settings().maxManifestBytes());
        Digest digest = checkedDigest(r, reference, body);
        String mediaType = mediaType(r.header("Content-Type"), body);
        if (mediaType == null) {
            throw new RemoteException(Kind.INVALID, r.request().what() + ": a manifest without a media type");
        }
        return Optional.of(new RemoteManifest(digest, mediaType, body));
    }

    @Override
    public Optional<Digest> resolve(String repository, String reference) throws RemoteException {
        Transport.Response r = send("HEAD", manifestUri(repository, reference), pull(repository), Map.of("Accept", ACCEPT));
        r.close();
        if (r.status() == 404) {
            return Optional.empty();
        }
        expect(r, 200);
        String header = r.header("Docker-Content-Digest");
        if (header == null) { // the header is optional: hash the manifest itself
            return manifest(repository, reference).map(RemoteManifest::digest);
        }
        Digest digest = digestHeader(r, header);
        if (Digest.looksLikeDigest(reference) && !digest.toString().equals(reference)) {
            throw new RemoteException(Kind.INVALID, r.request().what() + " resolved to another digest, " + digest);
        }
        return Optional.of(digest);
    }

    @Override
    public Optional<RemoteBlob> blob(String repository, Digest digest) throws RemoteException {
        return download(repository, digest).map(b -> new RemoteBlob(b.size(), new VerifiedBlobStream(b.content(), digest, b.size())));
    }

    @Override
    public Optional<RemoteBlob> unverifiedBlob(String repository, Digest digest) throws RemoteException {
        return download(repository, digest);
    }

    private Optional<RemoteBlob> download(String repository, Digest digest) throws RemoteException {
        URI uri = blobUri(repository, digest);
        if ("http".equals(uri.getScheme())) {
            PlainGet.Answer plain = plainGet(uri, pull(repository));
            if (plain.body() != null) {
                return Optional.of(new RemoteBlob(plain.body().length(), plain.body()));
            }
            if (plain.status() == 404) {
                return Optional.empty();
            }
            if (plain.status() == 429 || plain.status() >= 500) { // asking again at once would not help
                throw new RemoteException(RemoteFailures.kind(plain.status()),
                        "GET " + uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath() + " answered " + plain.status());
            }
        }
        Transport.Response r = send("GET", uri, pull(repository), Map.of());
        if (r.status() == 404) {
            r.close();
            return Optional.empty();
        }
        expect(r, 200);
        long size = Transport.parseLong(Optional.ofNullable(r.header("Content-Length")).orElse("-1"));
        return Optional.of(new RemoteBlob(size, r.body()));
    }

    /**
     * A plain-HTTP remote's blob read without the JDK client ({@link PlainGet}) when it answers 200 at once. A 404,
     * 429 or 5xx is answered from here; any other answer is asked again through {@link #send}, which handles it
     * (redirects, 401, 403): a 401's challenge is learned here first, so that the second ask carries what it wants.
     */
    private PlainGet.Answer plainGet(URI uri, String scope) throws RemoteException {
        Map<String, String> h = new LinkedHashMap<>(headers);
        String authorization = auth.header(scope);
        if (authorization != null) {
            h.put("Authorization", authorization);
        }
        WharfConfig.Remote settings = transport.settings();
        PlainGet.Answer answer;
        try {
            answer = PlainGet.get(uri, h, settings.connectTimeout(), settings.timeout());
        } catch (IOException e) {
            throw Transport.unreachable(new Transport.Outgoing("GET", uri, Map.of()), e);
        }
        if (answer.status() == 401) {
            auth.challenged(answer.wwwAuthenticate(), scope, authorization);
        }
        return answer;
    }

    @Override
    public boolean hasBlob(String repository, Digest digest) throws RemoteException {
        return blobExists(repository, digest, pull(repository));
    }

    private boolean blobExists(String repository, Digest digest, String scope) throws RemoteException {
        Transport.Response r = send("HEAD", blobUri(repository, digest), scope, Map.of());
        r.close();
        if (r.status() == 404) {
            return false;
        }
        if (r.status() == 307 || r.status() == 302) { // served from storage elsewhere: it exists
            return true;
        }
        expect(r, 200);
        return true;
    }

    @Override
    public void pushBlob(String repository, Digest digest, long size, InputStream content) throws RemoteException {
        String scope = push(repository);
        if (blobExists(repository, digest, scope)) {
            return;
        }
        Transport.Response started = send("POST", uri("/v2/" + repository(repository) + "/blobs/uploads/"), scope, Map.of());
        started.close();
        expect(started, 202);
        String location = started.header("Location");
        if (location == null) {
            throw new RemoteException(Kind.INVALID, started.request().what() + " answered no upload location");
        }
        URI target = endpoint.resolve(location.strip());
        target = URI.create(target + (target.getRawQuery() == null ? "?" : "&") + "digest=" + digest);
        Transport.Progress progress = new Transport.Progress();
        HttpRequest.BodyPublisher body = size == 0 ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ProgressInputStream(content, progress)), size);
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put("Content-Type", "application/octet-stream");
        String authorization = Transport.sameOrigin(endpoint, target) ? auth.header(scope) : null;
        if (authorization != null) {
            h.put("Authorization", authorization);
        }
        Transport.Response done = transport.send(new Transport.Outgoing("PUT", target, h, body, progress), false);
        done.close();
        expect(done, 201);
    }

    @Override
    public void pushManifest(String repository, String reference, String mediaType, byte[] body) throws RemoteException {
        Transport.Response r = send("PUT", manifestUri(repository, reference), push(repository),
                Map.of("Content-Type", mediaType), body);
        r.close();
        expect(r, 201);
    }

    @Override
    public void ping() throws RemoteException {
        Transport.Response r = send("GET", uri("/v2/"), null, Map.of());
        r.close();
        expect(r, 200);
    }

    private Transport.Response send(String method, URI uri, String scope, Map<String, String> extra) throws RemoteException {
        return send(method, uri, scope, extra, null);
    }

    /**
     * Sends with what the registry asked for last time; on a 401 learns its challenge and tries once more.
     * Only bodies held in memory are sent here, so the retry can resend them.
     */
    private Transport.Response send(String method, URI uri, String scope, Map<String, String> extra, byte[] body)
            throws RemoteException {
        for (int attempt = 0; ; attempt++) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.putAll(extra);
            String authorization = auth.header(scope);
            if (authorization != null) {
                h.put("Authorization", authorization);
            }
            HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body);
            Transport.Response r = transport.send(new Transport.Outgoing(method, uri, h, publisher, new Transport.Progress()),
                    method.equals("GET"));
            if (r.status() != 401 || attempt > 0 || !auth.challenged(r.header("WWW-Authenticate"), scope, authorization)) {
                return r;
            }
            r.close();
        }
    }

    private void expect(Transport.Response r, int status) throws RemoteException {
        if (r.status() != status) {
            throw RemoteFailures.of(r, transport.settings().maxResponseBytes());
        }
    }

    /** The digest of {@code body}, which must match a digest reference and the registry's own header. */
    private static Digest checkedDigest(Transport.Response r, String reference, byte[] body) throws RemoteException {
        Digest computed = Digest.sha256Of(body);
        if (Digest.looksLikeDigest(reference)) {
            Digest wanted = Digest.parse(reference);
            Digest actual = Digest.of(wanted.algorithm(), wanted.newMessageDigest().digest(body));
            if (!actual.equals(wanted)) {
                throw new RemoteException(Kind.INVALID, r.request().what() + ": the manifest hashes to " + actual);
            }
            computed = actual;
        }
        String header = r.header("Docker-Content-Digest");
        if (header != null) {
            Digest claimed = digestHeader(r, header);
            Digest actual = Digest.of(claimed.algorithm(), claimed.newMessageDigest().digest(body));
            if (!actual.equals(claimed)) {
                throw new RemoteException(Kind.INVALID, r.request().what() + ": Docker-Content-Digest " + claimed
                        + " does not match the manifest, which hashes to " + actual);
            }
        }
        return computed;
    }

    private static Digest digestHeader(Transport.Response r, String header) throws RemoteException {
        try {
            return Digest.parse(header.strip());
        } catch (RuntimeException e) {
            throw new RemoteException(Kind.INVALID, r.request().what() + ": malformed Docker-Content-Digest");
        }
    }

    /** The Content-Type's media type, else the body's own {@code mediaType} field, else the raw Content-Type. */
    private static String mediaType(String contentType, byte[] body) {
        String type = MediaTypes.essence(contentType);
        if (type != null && MediaTypes.MANIFESTS.contains(type)) {
            return type;
        }
        try {
            String field = JSON.readTree(body).path("mediaType").asText(null);
            return field != null && MediaTypes.MANIFESTS.contains(field) ? field : type;
        } catch (IOException e) {
            return type;
        }
    }

    private static String pull(String repository) {
        return "repository:" + repository + ":pull";
    }

    private static String push(String repository) {
        return "repository:" + repository + ":pull,push";
    }

    private URI manifestUri(String repository, String reference) throws RemoteException {
        boolean valid = Digest.looksLikeDigest(reference) ? parses(reference) : TAG.matcher(reference).matches();
        if (!valid) {
            throw new RemoteException(Kind.INVALID, "not a tag or digest: " + reference);
        }
        return uri("/v2/" + repository(repository) + "/manifests/" + reference);
    }

    private URI blobUri(String repository, Digest digest) throws RemoteException {
        return uri("/v2/" + repository(repository) + "/blobs/" + digest);
    }

    private static boolean parses(String digest) {
        try {
            Digest.parse(digest);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String repository(String name) throws RemoteException {
        if (name == null || name.length() > 255 || !REPOSITORY.matcher(name).matches()) {
            throw new RemoteException(Kind.INVALID, "not a repository name: " + name);
        }
        return name;
    }

    private URI uri(String path) {
        return endpoint.resolve(path);
    }

    /** Touches the exchange's progress as the upload's bytes are read. */
    private static final class ProgressInputStream extends java.io.FilterInputStream {
        private final Transport.Progress progress;

        ProgressInputStream(InputStream in, Transport.Progress progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            progress.touch();
            return n;
        }

        @Override
        public void close() {
            // the caller owns the content stream
        }
    }
}
