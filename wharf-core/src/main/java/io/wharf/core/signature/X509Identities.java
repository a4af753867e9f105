package io.wharf.core.signature;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * The Notary Project's {@code trustedIdentities} for X.509: {@code x509.subject: <DN>} values, each matching a leaf
 * whose subject holds every attribute the DN names (a full or partial list of the subject's RDNs, in any order), or
 * {@code *}. An empty list trusts any leaf, as {@code *} does.
 */
public final class X509Identities {
    static final String PREFIX = "x509.subject:";
    private final List<Set<String>> subjects;
    private final boolean any;

    private X509Identities(List<Set<String>> subjects, boolean any) {
        this.subjects = List.copyOf(subjects);
        this.any = any;
    }

    /** The identities of a policy entry; IllegalArgumentException naming the one that does not parse. */
    static X509Identities parse(List<String> identities) {
        List<Set<String>> subjects = new ArrayList<>();
        boolean any = identities.isEmpty();
        for (String identity : identities) {
            if (identity.strip().equals("*")) {
                any = true;
            } else if (identity.startsWith(PREFIX)) {
                subjects.add(attributes(identity.substring(PREFIX.length()).strip(), identity));
            } else {
                throw new IllegalArgumentException("identity " + identity + " must be * or " + PREFIX + " <DN>");
            }
        }
        return new X509Identities(subjects, any);
    }

    /** Whether the leaf's subject is one of the identities. */
    boolean matches(X509Certificate leaf) {
        if (any) {
            return true;
        }
        try {
            Set<String> subject = attributes(leaf.getSubjectX500Principal().getName(X500Principal.RFC2253), "the subject");
            return subjects.stream().anyMatch(subject::containsAll);
        } catch (IllegalArgumentException e) {
            return false; // a subject that cannot be read as a DN is no trusted identity
        }
    }

    /** A DN as {@code TYPE=value} strings: types upper-cased ({@code S} is {@code ST}), values unescaped and exact. */
    private static Set<String> attributes(String dn, String what) {
        try {
            Set<String> out = new HashSet<>();
            for (Rdn rdn : new LdapName(dn).getRdns()) {
                rdn.toAttributes().getAll().asIterator().forEachRemaining(a -> out.add(type(a.getID()) + "=" + value(a)));
            }
            if (out.isEmpty()) {
                throw new InvalidNameException("no attributes");
            }
            return out;
        } catch (InvalidNameException | IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not a distinguished name (" + e.getMessage() + ")");
        }
    }

    private static String type(String id) {
        String t = id.strip().toUpperCase(Locale.ROOT);
        return t.equals("S") ? "ST" : t;
    }

    private static String value(javax.naming.directory.Attribute a) {
        try {
            return String.valueOf(a.get());
        } catch (javax.naming.NamingException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }
}
