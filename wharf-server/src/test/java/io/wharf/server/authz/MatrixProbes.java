package io.wharf.server.authz;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.server.authz.MatrixExpectations.Api;
import io.wharf.server.authz.MatrixExpectations.Row;
import io.wharf.server.authz.MatrixServer.Creds;
import io.wharf.server.oci.Fixtures;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Sends one row's request as one principal, and reads the answer at the protocol's level: the status and the error
 * code in the protocol's own shape (ECR's {@code __type}, OCI's {@code errors[0].code}, Wharf's {@code code}, STS's
 * {@code <Code>}). Requests carry inputs that pass validation up to authorization, and are harmless when allowed:
 * reads of the real image, writes of what is already there, deletes of what does not exist.
 */
final class MatrixProbes {
    static final String ECR_PREFIX = "AmazonEC2ContainerRegistry_V20150921.";
    static final String ECR_PUBLIC_PREFIX = "SpencerFrontendService.";
    /** A digest no repository holds: deletes and upload completions name it. */
    static final String ABSENT_DIGEST = Fixtures.digest("absent".getBytes(UTF_8));
    private static final String UPLOAD_ID = "00000000-0000-0000-0000-000000000000";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern STS_CODE = Pattern.compile("<Code>([^<]+)</Code>");

    /** An answer: status, error code (null when none), and whether it carried the Basic/Bearer challenge. */
    record Outcome(int status, String code, boolean challenge, String location, String body) {
        @Override
        public String toString() {
            return status + " " + code + (challenge ? " (challenge)" : "") + (location == null ? "" : " -> " + location)
                    + " " + body.substring(0, Math.min(200, body.length()));
        }
    }

    private final MatrixServer server;
    private final MatrixConsole console;

    MatrixProbes(MatrixServer server) {
        this.server = server;
        this.console = new MatrixConsole(server);
    }

    Outcome probe(Row row, MatrixPrincipal who, String repo) throws Exception {
        Creds c = server.creds.get(who);
        HttpResponse<String> r = switch (row.api()) {
            case ECR -> aws("ecr", ECR_PREFIX + row.operation(), ecrBody(repo, false), c);
            case ECR_PUBLIC -> aws("ecr-public", ECR_PUBLIC_PREFIX + row.operation(), ecrBody(repo, true), c);
            case OCI -> oci(row.operation(), repo, c);
            case OCI_PUBLIC_REPO -> oci(row.operation(), MatrixServer.PUBLIC_REPO, c);
            case WHARF -> wharf(row.operation(), repo, c);
            case STS -> sts(row.operation(), c);
            // a name and no value: an allowed call is refused for its input, and no secret is made or deleted
            case SECRETS_MANAGER -> aws("secretsmanager", "secretsmanager." + row.operation(),
                    "{\"Name\":\"matrix-secret\"}".getBytes(UTF_8), c);
            case CONSOLE -> console.probe(row.operation(), who);
            case CLOUDTRAIL -> aws("cloudtrail", "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101."
                    + row.operation(), "{}".getBytes(UTF_8), c);
        };
        return new Outcome(r.statusCode(), code(row.api(), r.body()), r.headers().firstValue("WWW-Authenticate").isPresent(),
                r.headers().firstValue("Location").orElse(null), r.body());
    }

    /** Members every ECR request record may have; records ignore those they lack (as newer SDKs' members). */
    private static byte[] ecrBody(String repo, boolean isPublic) {
        String arn = isPublic ? "arn:aws:ecr-public::" + MatrixServer.ACCOUNT + ":repository/" + repo
                : "arn:aws:ecr:us-east-1:" + MatrixServer.ACCOUNT + ":repository/" + repo;
        return JSON.createObjectNode().put("registryId", MatrixServer.ACCOUNT).put("repositoryName", repo)
                .put("resourceArn", arn).put("ecrRepositoryPrefix", "matrix-cache")
                .<com.fasterxml.jackson.databind.node.ObjectNode>set("repositoryNames", JSON.createArrayNode().add(repo))
                .toString().getBytes(UTF_8);
    }

    private HttpResponse<String> oci(String route, String repo, Creds c) throws Exception {
        String v2 = "/v2/" + repo;
        String[] req = switch (route) {
            case "GetBase" -> new String[] {"GET", "/v2/"};
            case "HeadBase" -> new String[] {"HEAD", "/v2/"};
            case "ListCatalog" -> new String[] {"GET", "/v2/_catalog"};
            case "ListTags" -> new String[] {"GET", v2 + "/tags/list"};
            case "GetManifest" -> new String[] {"GET", v2 + "/manifests/v1"};
            case "HeadManifest" -> new String[] {"HEAD", v2 + "/manifests/v1"};
            case "PutManifest" -> new String[] {"PUT", v2 + "/manifests/v1"};
            case "DeleteManifest" -> new String[] {"DELETE", v2 + "/manifests/" + ABSENT_DIGEST};
            case "ListReferrers" -> new String[] {"GET", v2 + "/referrers/" + server.manifestDigest};
            case "GetBlob" -> new String[] {"GET", v2 + "/blobs/" + server.layerDigest};
            case "HeadBlob" -> new String[] {"HEAD", v2 + "/blobs/" + server.layerDigest};
            case "DeleteBlob" -> new String[] {"DELETE", v2 + "/blobs/" + ABSENT_DIGEST};
            case "StartUpload" -> new String[] {"POST", v2 + "/blobs/uploads/"};
            case "GetUploadStatus" -> new String[] {"GET", v2 + "/blobs/uploads/" + UPLOAD_ID};
            case "PatchUpload" -> new String[] {"PATCH", v2 + "/blobs/uploads/" + UPLOAD_ID};
            case "CompleteUpload" -> new String[] {"PUT", v2 + "/blobs/uploads/" + UPLOAD_ID + "?digest=" + ABSENT_DIGEST};
            case "CancelUpload" -> new String[] {"DELETE", v2 + "/blobs/uploads/" + UPLOAD_ID};
            default -> throw new IllegalArgumentException("no request for OCI route " + route);
        };
        boolean manifest = route.equals("PutManifest");
        byte[] body = manifest ? server.manifest : route.equals("PatchUpload") ? new byte[] {1, 2, 3} : null;
        return server.send(req[0], req[1], c.registryAuthorization(), body,
                manifest ? Fixtures.OCI_MANIFEST : body == null ? null : "application/octet-stream");
    }

    /** {@code METHOD path} of {@code WharfApiHandler.ROUTES} with its placeholders filled. */
    private HttpResponse<String> wharf(String route, String repo, Creds c) throws Exception {
        String method = route.substring(0, route.indexOf(' '));
        // making a repository public is tried on the one already public, so that an allowed call changes nothing
        String name = route.equals("PUT repositories/{name}/public") && repo.equals(MatrixServer.REPO)
                ? MatrixServer.PUBLIC_REPO : repo;
        String path = route.substring(route.indexOf(' ') + 1).replace("{job}", "no-such-job").replace("{name}", name)
                .replace("{digest}", server.manifestDigest).replace("{layer}", server.layerDigest)
                .replace("{id}", "no-such-id");
        byte[] body = method.equals("POST") || method.equals("PATCH") ? "{}".getBytes(UTF_8) : null;
        return server.send(method, "/wharf/v1/" + path, c.registryAuthorization(), body,
                body == null ? null : "application/json");
    }

    private HttpResponse<String> sts(String action, Creds c) throws Exception {
        String form = "Action=" + action + "&Version=2011-06-15" + switch (action) {
            case "AssumeRole" -> "&RoleSessionName=matrix&RoleArn=" + enc(MatrixServer.roleArn());
            case "AssumeRoleWithWebIdentity" -> "&RoleSessionName=matrix&WebIdentityToken=not-a-token&RoleArn="
                    + enc(MatrixServer.roleArn());
            default -> "";
        };
        return aws("sts", null, form.getBytes(UTF_8), c);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, UTF_8);
    }

    /** POST / signed by the AWS SDK's SigV4 signer for {@code service} (unsigned for the anonymous caller). */
    private HttpResponse<String> aws(String service, String target, byte[] body, Creds c) throws Exception {
        URI uri = server.endpoint().resolve("/");
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri);
        if (target != null) {
            unsigned.putHeader("Content-Type", "application/x-amz-json-1.1").putHeader("X-Amz-Target", target);
        } else {
            unsigned.putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        }
        SdkHttpRequest request = unsigned.build();
        if (c.keyId() != null) {
            AwsCredentialsIdentity id = c.sessionToken() == null ? AwsCredentialsIdentity.create(c.keyId(), c.secret())
                    : AwsSessionCredentialsIdentity.create(c.keyId(), c.secret(), c.sessionToken());
            request = AwsV4HttpSigner.create().sign(SignRequest.builder(id).request(request)
                    .payload(ContentStreamProvider.fromByteArray(body))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1").build()).request();
        }
        HttpRequest.Builder r = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        request.headers().forEach((k, vs) -> {
            if (!k.equalsIgnoreCase("Host") && !k.equalsIgnoreCase("Content-Length")) {
                vs.forEach(v -> r.header(k, v));
            }
        });
        return server.send(r.build());
    }

    private static String code(Api api, String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        if (api == Api.CONSOLE) {
            return null; // HTML pages: the status says it
        }
        if (api == Api.STS) {
            Matcher m = STS_CODE.matcher(body);
            return m.find() ? m.group(1) : null;
        }
        try {
            JsonNode n = JSON.readTree(body);
            JsonNode code = switch (api) {
                case ECR, ECR_PUBLIC, SECRETS_MANAGER, CLOUDTRAIL -> n.path("__type");
                case OCI, OCI_PUBLIC_REPO -> n.path("errors").path(0).path("code");
                default -> n.path("code");
            };
            return code.isTextual() ? code.asText() : null;
        } catch (Exception e) {
            return null; // a blob, a manifest, an HTML page: not an error body
        }
    }
}
