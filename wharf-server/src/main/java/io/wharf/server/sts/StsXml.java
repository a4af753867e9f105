package io.wharf.server.sts;

import io.wharf.core.iam.Principal;
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
        byte[] hash = sha256(caller.arn());
        StringBuilder id = new StringBuilder("AIDA");
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
