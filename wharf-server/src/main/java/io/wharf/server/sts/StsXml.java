package io.wharf.server.sts;

import io.wharf.core.iam.Principal;
import io.wharf.server.auth.SecurityTokenService;
import io.wharf.server.auth.SessionTokens;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The XML bodies STS answers with (namespace {@value #NS}). */
final class StsXml {
    static final String NS = "https://sts.amazonaws.com/doc/2011-06-15/";
    static final String CONTENT_TYPE = "text/xml";
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private StsXml() {
    }

    static byte[] callerIdentity(Principal caller, String requestId) {
        return ("<GetCallerIdentityResponse xmlns=\"" + NS + "\">\n"
                + "  <GetCallerIdentityResult>\n"
                + "    <Arn>" + escape(caller.arn()) + "</Arn>\n"
                + "    <UserId>" + escape(userId(caller)) + "</UserId>\n"
                + "    <Account>" + escape(caller.account()) + "</Account>\n"
                + "  </GetCallerIdentityResult>\n"
                + "  <ResponseMetadata>\n"
                + "    <RequestId>" + requestId + "</RequestId>\n"
                + "  </ResponseMetadata>\n"
                + "</GetCallerIdentityResponse>\n").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] assumeRole(SessionTokens.Credentials c, String sessionPolicy, String requestId) {
        Principal p = c.principal();
        String session = p.arn().substring(p.arn().lastIndexOf('/') + 1);
        return ("<AssumeRoleResponse xmlns=\"" + NS + "\">\n"
                + "  <AssumeRoleResult>\n"
                + "    <AssumedRoleUser>\n"
                + "      <AssumedRoleId>" + escape(uniqueId("AROA", p.roleArn()) + ":" + session) + "</AssumedRoleId>\n"
                + "      <Arn>" + escape(p.arn()) + "</Arn>\n"
                + "    </AssumedRoleUser>\n"
                + credentials(c)
                // AWS: the packed size as a percentage of the allowed; Wharf does not pack, so it is the text's share
                + (sessionPolicy == null ? "" : "    <PackedPolicySize>" + sessionPolicy.length() * 100
                        / SecurityTokenService.MAX_SESSION_POLICY_CHARS + "</PackedPolicySize>\n")
                + "  </AssumeRoleResult>\n"
                + metadata(requestId)
                + "</AssumeRoleResponse>\n").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] webIdentity(SecurityTokenService.WebIdentitySession s, String sessionPolicy, String requestId) {
        Principal p = s.credentials().principal();
        String session = p.arn().substring(p.arn().lastIndexOf('/') + 1);
        return ("<AssumeRoleWithWebIdentityResponse xmlns=\"" + NS + "\">\n"
                + "  <AssumeRoleWithWebIdentityResult>\n"
                + "    <SubjectFromWebIdentityToken>" + escape(s.subject()) + "</SubjectFromWebIdentityToken>\n"
                + "    <Audience>" + escape(s.audience()) + "</Audience>\n"
                + "    <AssumedRoleUser>\n"
                + "      <AssumedRoleId>" + escape(uniqueId("AROA", p.roleArn()) + ":" + session) + "</AssumedRoleId>\n"
                + "      <Arn>" + escape(p.arn()) + "</Arn>\n"
                + "    </AssumedRoleUser>\n"
                + credentials(s.credentials())
                + (sessionPolicy == null ? "" : "    <PackedPolicySize>" + sessionPolicy.length() * 100
                        / SecurityTokenService.MAX_SESSION_POLICY_CHARS + "</PackedPolicySize>\n")
                + "    <Provider>" + escape(s.provider()) + "</Provider>\n"
                + "  </AssumeRoleWithWebIdentityResult>\n"
                + metadata(requestId)
                + "</AssumeRoleWithWebIdentityResponse>\n").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] sessionToken(SessionTokens.Credentials c, String requestId) {
        return ("<GetSessionTokenResponse xmlns=\"" + NS + "\">\n"
                + "  <GetSessionTokenResult>\n"
                + credentials(c)
                + "  </GetSessionTokenResult>\n"
                + metadata(requestId)
                + "</GetSessionTokenResponse>\n").getBytes(StandardCharsets.UTF_8);
    }

    private static String credentials(SessionTokens.Credentials c) {
        return "    <Credentials>\n"
                + "      <AccessKeyId>" + c.accessKeyId() + "</AccessKeyId>\n"
                + "      <SecretAccessKey>" + escape(c.secretAccessKey()) + "</SecretAccessKey>\n"
                + "      <SessionToken>" + escape(c.sessionToken()) + "</SessionToken>\n"
                + "      <Expiration>" + c.expiration() + "</Expiration>\n"
                + "    </Credentials>\n";
    }

    private static String metadata(String requestId) {
        return "  <ResponseMetadata>\n"
                + "    <RequestId>" + requestId + "</RequestId>\n"
                + "  </ResponseMetadata>\n";
    }

    static byte[] error(StsProblem p, String requestId) {
        return ("<ErrorResponse xmlns=\"" + NS + "\">\n"
                + "  <Error>\n"
                + "    <Type>" + p.type() + "</Type>\n"
                + "    <Code>" + p.code + "</Code>\n"
                + "    <Message>" + escape(p.getMessage()) + "</Message>\n"
                + "  </Error>\n"
                + "  <RequestId>" + requestId + "</RequestId>\n"
                + "</ErrorResponse>\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The root's user id is its account id, as in AWS. An IAM user's is {@code AIDA} and 17 base-32
     * characters, like AWS's unique ids; Wharf stores none, so it is derived from the user's ARN: stable
     * for the user's life, but a user deleted and created again under the same name gets the same id.
     */
    static String userId(Principal caller) {
        if (caller.isRoot()) {
            return caller.account();
        }
        if (caller.roleArn() != null) { // a role session: the role's id and the session's name, as in AWS
            return uniqueId("AROA", caller.roleArn()) + ":" + caller.arn().substring(caller.arn().lastIndexOf('/') + 1);
        }
        return uniqueId("AIDA", caller.arn());
    }

    /** An AWS-like unique id: the prefix of its kind and 17 base-32 characters derived from the ARN. */
    private static String uniqueId(String prefix, String arn) {
        byte[] hash = sha256(arn);
        StringBuilder id = new StringBuilder(prefix);
        for (int i = 0; i < 17; i++) {
            id.append(BASE32.charAt(hash[i] & 31));
        }
        return id.toString();
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
