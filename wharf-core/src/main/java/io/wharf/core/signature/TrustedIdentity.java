package io.wharf.core.signature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.core.error.ParameterInvalidException;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A keyless signer a policy trusts: the OIDC issuer and the subject (SAN: email, URI) Fulcio certified, each given
 * exactly or as a regular expression, as cosign's {@code --certificate-identity[-regexp]} and
 * {@code --certificate-oidc-issuer[-regexp]}. Exact values are compared whole; expressions are searched, unanchored,
 * as cosign's Go {@code MatchString} does (write {@code ^…$} to anchor them).
 */
public record TrustedIdentity(String name, String issuer, Pattern issuerRegExp, String subject, Pattern subjectRegExp) {
    static final int MAX_CHARS = 1024;

    /** Whether a certificate naming this issuer and these subjects (its SANs) is this identity's. */
    public boolean matches(String certIssuer, java.util.List<String> certSubjects) {
        return certIssuer != null && matches(issuer, issuerRegExp, certIssuer)
                && certSubjects.stream().anyMatch(s -> matches(subject, subjectRegExp, s));
    }

    private static boolean matches(String exact, Pattern regExp, String value) {
        return exact != null ? exact.equals(value) : regExp.matcher(value).find();
    }

    /** Parses {@code trustedIdentities[index]}; 400 naming the member when it is malformed. */
    static TrustedIdentity parse(JsonNode n, int index, String name) {
        String at = "trustedIdentities[" + index + "].";
        String issuer = text(n, "issuer", at);
        Pattern issuerRegExp = regExp(n, "issuerRegExp", at);
        String subject = text(n, "subject", at);
        Pattern subjectRegExp = regExp(n, "subjectRegExp", at);
        if ((issuer == null) == (issuerRegExp == null) || (subject == null) == (subjectRegExp == null)) {
            throw invalid("trustedIdentities[" + index + "] needs exactly one of issuer / issuerRegExp and one of subject / subjectRegExp");
        }
        return new TrustedIdentity(name, issuer, issuerRegExp, subject, subjectRegExp);
    }

    private static String text(JsonNode n, String field, String at) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.asText().isEmpty() || v.asText().length() > MAX_CHARS) {
            throw invalid(at + field + " must be a string of 1-" + MAX_CHARS + " characters");
        }
        return v.asText();
    }

    private static Pattern regExp(JsonNode n, String field, String at) {
        String text = text(n, field, at);
        try {
            return text == null ? null : Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            throw invalid(at + field + " is not a regular expression: " + e.getDescription());
        }
    }

    void write(ObjectNode o) {
        o.put("name", name);
        putIfSet(o, "issuer", issuer);
        putIfSet(o, "issuerRegExp", issuerRegExp == null ? null : issuerRegExp.pattern());
        putIfSet(o, "subject", subject);
        putIfSet(o, "subjectRegExp", subjectRegExp == null ? null : subjectRegExp.pattern());
    }

    private static void putIfSet(ObjectNode o, String field, String value) {
        if (value != null) {
            o.put(field, value);
        }
    }

    private static ParameterInvalidException invalid(String message) {
        return new ParameterInvalidException("invalid signature policy: " + message, null);
    }
}
