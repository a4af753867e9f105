package io.wharf.server.auth;

import io.wharf.core.iam.Principal;
import io.wharf.core.identity.AccessKey;
import io.wharf.server.auth.AuthException.Kind;
import io.wharf.server.auth.SigV4Canonical.Param;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Verifies AWS Signature Version 4 over a request exactly as received, in the Authorization-header
 * form and in the presigned query form, and answers failures with the errors AWS gives.
 */
public final class SigV4Verifier {
    /** How far X-Amz-Date may be from the server's clock, either way. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(15);
    /** The longest a presigned request may stay valid: one week, as in AWS. */
    public static final long MAX_EXPIRES_SECONDS = 604_800;
    static final String INVALID_TOKEN = "The security token included in the request is invalid.";
    static final String MISMATCH = "The request signature we calculated does not match the signature you provided."
            + " Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'", Locale.ROOT);
    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern REGION = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    /** AWS region names are at most 25 characters; the bound also keeps the regex's recursion shallow. */
    private static final int MAX_REGION_LENGTH = 64;
    private static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

    /** The signature's claims, from either form. {@code expires} is null for the header form. */
    private record Claim(String credential, String amzDate, String signedHeaders, String signature, Long expires) {
    }

    /** The parsed credential scope: {@code <key id>/<date>/<region>/<service>/aws4_request}. */
    private record Scope(String keyId, String date, String region, String service) {
        String text() {
            return date + '/' + region + '/' + service + '/' + SigV4Canonical.TERMINATOR;
        }
    }

    /** What signed a request: the key id, the secret the signature is recomputed with, and the caller it stands for. */
    public record SigningKey(String id, String secret, Principal principal) {
        /** Never prints the secret. */
        @Override
        public String toString() {
            return "SigningKey[" + id + ", " + principal.arn() + "]";
        }
    }

    /** Finds the key a request names: a long-term key by its id, temporary credentials by id and session token. */
    @FunctionalInterface
    public interface Keys {
        /**
         * @param securityToken the request's {@code X-Amz-Security-Token}, null without one
         * @return empty when unknown or inactive
         * @throws AuthException to refuse with another answer (an expired session token)
         */
        Optional<SigningKey> find(String keyId, String securityToken);
    }

    private final String service;
    private final Keys keys;
    private final Clock clock;

    /**
     * @param service the signing name the credential scope must carry ({@code ecr})
     * @param keys    finds the signing key (secret included)
     */
    public SigV4Verifier(String service, Keys keys, Clock clock) {
        this.service = service;
        this.keys = keys;
        this.clock = clock;
    }

    /** Long-term access keys only: a request with a session token is refused as unrecognized. */
    public SigV4Verifier(String service, Function<String, Optional<AccessKey>> accessKeys, Clock clock) {
        this(service, (id, token) -> token != null ? Optional.empty() : accessKeys.apply(id)
                .filter(k -> k.status() == AccessKey.Status.ACTIVE).map(SigV4Verifier::signingKey), clock);
    }

    /** The key and caller of an access key. */
    public static SigningKey signingKey(AccessKey key) {
        return new SigningKey(key.id(), key.secret(),
                key.isRoot() ? Principal.root(key.account()) : Principal.user(key.account(), key.user()));
    }

    /** The key that signed the request. */
    public SigningKey verify(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {
        return begin(method, rawPath, rawQuery, headers).verifyBody(body);
    }

    /**
     * Everything the request line and headers decide, before any body is read: the signature's form,
     * its scope and time, and an active key. When {@code X-Amz-Content-SHA256} declares the payload's
     * hash, the signature itself is checked here too; otherwise it needs the body's hash.
     */
    public Pending begin(String method, String rawPath, String rawQuery, Map<String, List<String>> headers) {
        Map<String, List<String>> lower = lowerCase(headers);
        List<Param> params = SigV4Canonical.parseQuery(rawQuery);
        Claim claim = claim(lower, params);
        Scope scope = scope(claim);
        // header form: the header; presigned: the query (signed with the rest of it). The key before the time, so that
        // expired temporary credentials are told so (ExpiredToken), not that their last request came late.
        String token = claim.expires() == null ? first(lower, "x-amz-security-token") : param(params, "X-Amz-Security-Token");
        SigningKey key = keys.find(scope.keyId(), token)
                .orElseThrow(() -> new AuthException(Kind.UNRECOGNIZED_CLIENT, INVALID_TOKEN));
        checkTime(claim);
        List<String> signed = signedHeaders(claim, lower);
        Pending pending = new Pending(key, claim, scope, method, rawPath, params, signed, lower);
        String declared = first(lower, "x-amz-content-sha256");
        if (declared != null) {
            pending.checkSignature(declaredHash(declared));
        }
        return pending;
    }

    /** A request whose headers passed {@link #begin}; its body's hash is still to be checked. */
    public final class Pending {
        private final SigningKey key;
        private final Claim claim;
        private final Scope scope;
        private final String method;
        private final String rawPath;
        private final List<Param> params;
        private final List<String> signed;
        private final Map<String, List<String>> headers;

        private Pending(SigningKey key, Claim claim, Scope scope, String method, String rawPath, List<Param> params,
                        List<String> signed, Map<String, List<String>> headers) {
            this.key = key;
            this.claim = claim;
            this.scope = scope;
            this.method = method;
            this.rawPath = rawPath;
            this.params = params;
            this.signed = signed;
            this.headers = headers;
        }

        /** The key that signed the request, once the body matches what was signed. */
        public SigningKey verifyBody(byte[] body) {
            String actual = SigV4Canonical.sha256Hex(body == null ? new byte[0] : body);
            String declared = first(headers, "x-amz-content-sha256");
            if (declared == null) {
                checkSignature(actual);
            } else if (!declared.equals(UNSIGNED_PAYLOAD) && !declared.equals(actual)) {
                throw new AuthException(Kind.INVALID_SIGNATURE,
                        "The provided 'x-amz-content-sha256' header does not match what was computed.");
            }
            return key;
        }

        private void checkSignature(String payloadHash) {
            String canonical = SigV4Canonical.canonicalRequest(method, SigV4Canonical.uri(rawPath),
                    SigV4Canonical.query(params), SigV4Canonical.headers(signed, headers), claim.signedHeaders(),
                    payloadHash);
            String expected = SigV4Canonical.signature(key.secret(), scope.date(), scope.region(), scope.service(),
                    SigV4Canonical.stringToSign(claim.amzDate(), scope.text(), canonical));
            if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                    claim.signature().getBytes(StandardCharsets.US_ASCII))) {
                throw new AuthException(Kind.INVALID_SIGNATURE, MISMATCH);
            }
        }
    }

    private static Map<String, List<String>> lowerCase(Map<String, List<String>> headers) {
        Map<String, List<String>> lower = new TreeMap<>();
        headers.forEach((name, values) -> lower.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>())
                .addAll(values));
        return lower;
    }

    private static String param(List<Param> params, String name) {
        for (Param p : params) {
            if (p.name().equals(name)) {
                return p.value();
            }
        }
        return null;
    }

    private Claim claim(Map<String, List<String>> headers, List<Param> params) {
        String authorization = first(headers, "authorization");
        boolean presigned = param(params, "X-Amz-Algorithm") != null;
        if (authorization != null && presigned) {
            throw new AuthException(Kind.INCOMPLETE_SIGNATURE, "Only one auth mechanism allowed; only the X-Amz-Algorithm"
                    + " query parameter or the Authorization header should be specified");
        }
        if (authorization != null) {
            return headerClaim(authorization, first(headers, "x-amz-date"));
        }
        if (presigned) {
            return queryClaim(params);
        }
        if (param(params, "X-Amz-Signature") != null || param(params, "X-Amz-Credential") != null) {
            throw new AuthException(Kind.INCOMPLETE_SIGNATURE, "AWS query-string parameters must include"
                    + " 'X-Amz-Algorithm'. Re-examine the query-string parameters.");
        }
        throw new AuthException(Kind.MISSING, "Missing Authentication Token");
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    /** {@code AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...} */
    private static Claim headerClaim(String authorization, String amzDate) {
        String value = authorization.strip();
        if (!value.startsWith(SigV4Canonical.ALGORITHM + " ")) {
            throw new AuthException(Kind.INCOMPLETE_SIGNATURE, "Authorization header requires the "
                    + SigV4Canonical.ALGORITHM + " algorithm with 'Credential', 'SignedHeaders' and 'Signature' parameters.");
        }
        Map<String, String> parts = new TreeMap<>();
        for (String part : value.substring(SigV4Canonical.ALGORITHM.length()).split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                parts.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
            }
        }
        List<String> problems = new ArrayList<>();
        for (String required : List.of("Credential", "Signature", "SignedHeaders")) {
            if (!parts.containsKey(required)) {
                problems.add("Authorization header requires '" + required + "' parameter.");
            }
        }
        if (amzDate == null) {
            problems.add("Authorization header requires existence of a 'X-Amz-Date' header.");
        }
        if (!problems.isEmpty()) {
            throw new AuthException(Kind.INCOMPLETE_SIGNATURE, String.join(" ", problems));
        }
        return new Claim(parts.get("Credential"), amzDate, parts.get("SignedHeaders"), parts.get("Signature"), null);
    }

    private static Claim queryClaim(List<Param> params) {
        List<String> missing = new ArrayList<>();
        for (String name : List.of("X-Amz-Credential", "X-Amz-Signature", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Expires")) {
            if (param(params, name) == null) {
                missing.add("'" + name + "'");
            }
        }
        if (!missing.isEmpty()) {
            throw new AuthException(Kind.INCOMPLETE_SIGNATURE, "AWS query-string parameters must include "
                    + String.join(", ", missing) + ". Re-examine the query-string parameters.");
        }
        if (!SigV4Canonical.ALGORITHM.equals(param(params, "X-Amz-Algorithm"))) {
            throw new AuthException(Kind.INCOMPLETE_SIGNATURE, "X-Amz-Algorithm only supports \"" + SigV4Canonical.ALGORITHM + "\"");
        }
        String expires = param(params, "X-Amz-Expires");
        if (!expires.matches("[0-9]{1,7}") || Long.parseLong(expires) < 1 || Long.parseLong(expires) > MAX_EXPIRES_SECONDS) {
            throw new AuthException(Kind.INCOMPLETE_SIGNATURE, "X-Amz-Expires must be between 1 and "
                    + MAX_EXPIRES_SECONDS + " seconds (one week)");
        }
        return new Claim(param(params, "X-Amz-Credential"), param(params, "X-Amz-Date"),
                param(params, "X-Amz-SignedHeaders"), param(params, "X-Amz-Signature"), Long.parseLong(expires));
    }

    private Scope scope(Claim claim) {
        String[] p = claim.credential().split("/", -1);
        if (p.length != 5 || p[0].isEmpty()) {
            throw new AuthException(Kind.INCOMPLETE_SIGNATURE, "Credential must have exactly 5 slash-delimited elements,"
                    + " e.g. keyid/date/region/service/term, got '" + claim.credential() + "'");
        }
        if (p[2].length() > MAX_REGION_LENGTH || !REGION.matcher(p[2]).matches()) {
            throw new AuthException(Kind.INVALID_SIGNATURE, "Credential should be scoped to a valid region. ");
        }
        if (!p[3].equals(service)) {
            throw new AuthException(Kind.INVALID_SIGNATURE, "Credential should be scoped to correct service: '" + service + "'. ");
        }
        if (!p[4].equals(SigV4Canonical.TERMINATOR)) {
            throw new AuthException(Kind.INVALID_SIGNATURE, "Credential should be scoped with a valid terminator: '"
                    + SigV4Canonical.TERMINATOR + "', not '" + p[4] + "'. ");
        }
        String amzDay = claim.amzDate().length() >= 8 ? claim.amzDate().substring(0, 8) : claim.amzDate();
        if (!p[1].equals(amzDay)) {
            throw new AuthException(Kind.INVALID_SIGNATURE, "Date in Credential scope does not match YYYYMMDD from"
                    + " ISO-8601 version of date from HTTP: '" + p[1] + "' != '" + amzDay + "', from '" + claim.amzDate() + "'.");
        }
        return new Scope(p[0], p[1], p[2], p[3]);
    }

    /** Within the skew window (header form) or the presigned validity; AWS's wording either way. */
    private void checkTime(Claim claim) {
        Instant signedAt;
        try {
            signedAt = LocalDateTime.parse(claim.amzDate(), AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new AuthException(Kind.INCOMPLETE_SIGNATURE, "Date must be in ISO-8601 'basic format'. Got '"
                    + claim.amzDate() + "'. See http://en.wikipedia.org/wiki/ISO_8601");
        }
        Instant now = clock.instant();
        if (signedAt.isAfter(now.plus(MAX_SKEW))) {
            throw new AuthException(Kind.INVALID_SIGNATURE, "Signature not yet current: " + claim.amzDate()
                    + " is still later than " + format(now.plus(MAX_SKEW)) + " (" + format(now) + " + 15 min.)");
        }
        Duration validity = claim.expires() == null ? MAX_SKEW : Duration.ofSeconds(claim.expires());
        if (signedAt.isBefore(now.minus(validity))) {
            String window = claim.expires() == null ? "15 min." : claim.expires() + " sec.";
            throw new AuthException(Kind.INVALID_SIGNATURE, "Signature expired: " + claim.amzDate()
                    + " is now earlier than " + format(now.minus(validity)) + " (" + format(now) + " - " + window + ")");
        }
    }

    private static String format(Instant instant) {
        return AMZ_DATE.format(instant.atOffset(ZoneOffset.UTC));
    }

    /**
     * The client's list, used exactly as sent. Host must be in it, and so must X-Amz-Target when
     * present: it selects the operation, so leaving it unsigned would let a replay pick another one.
     */
    private static List<String> signedHeaders(Claim claim, Map<String, List<String>> headers) {
        List<String> names = Arrays.asList(claim.signedHeaders().split(";", -1));
        for (String name : names) {
            if (name.isEmpty() || !name.equals(name.toLowerCase(Locale.ROOT))) {
                throw new AuthException(Kind.INCOMPLETE_SIGNATURE, "SignedHeaders must be lower-case header names"
                        + " separated by ';', got '" + claim.signedHeaders() + "'");
            }
        }
        if (!names.contains("host")) {
            throw new AuthException(Kind.INVALID_SIGNATURE, "'Host' must be a 'SignedHeader' in the AWS Authorization.");
        }
        if (claim.expires() == null && headers.containsKey("x-amz-target") && !names.contains("x-amz-target")) {
            throw new AuthException(Kind.INVALID_SIGNATURE, "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.");
        }
        return names;
    }

    /** A declared X-Amz-Content-SHA256 must be a hex SHA-256 or UNSIGNED-PAYLOAD; the body is compared later. */
    private static String declaredHash(String declared) {
        if (!declared.equals(UNSIGNED_PAYLOAD) && !HEX_SHA256.matcher(declared).matches()) {
            throw new AuthException(Kind.INVALID_SIGNATURE,
                    "The provided 'x-amz-content-sha256' header does not match what was computed.");
        }
        return declared;
    }
}
