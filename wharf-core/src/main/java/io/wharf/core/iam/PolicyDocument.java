package io.wharf.core.iam;

import java.util.List;
import java.util.Locale;

/**
 * A parsed, validated IAM policy document. Immutable; keeps the original text, because ECR returns a
 * repository policy exactly as it was set.
 */
public final class PolicyDocument {

    private final String json;
    private final String version;
    private final String id;
    private final List<Statement> statements;

    PolicyDocument(String json, String version, String id, List<Statement> statements) {
        this.json = json;
        this.version = version;
        this.id = id;
        this.statements = List.copyOf(statements);
    }

    /** Parses an IAM policy document, throwing {@link PolicySyntaxException} for anything IAM would reject. */
    public static PolicyDocument parse(String json) {
        return PolicyParser.parse(json);
    }

    /** The document exactly as given to {@link #parse}. */
    public String json() {
        return json;
    }

    /** {@code 2012-10-17}, {@code 2008-10-17}, or null when the document has no Version. */
    public String version() {
        return version;
    }

    /** The optional Id element, or null. */
    public String id() {
        return id;
    }

    List<Statement> statements() {
        return statements;
    }

    /**
     * Checks the extra rules of repository and registry policies (SetRepositoryPolicy, PutRegistryPolicy):
     * every statement must say whom it is about.
     */
    public PolicyDocument requireResourcePolicy() {
        for (int i = 0; i < statements.size(); i++) {
            if (statements.get(i).principal() == null) {
                throw new PolicySyntaxException(
                        "Statement[" + i + "]: a repository or registry policy statement needs Principal or NotPrincipal");
            }
        }
        return this;
    }

    /**
     * Checks the extra rules of a role's trust policy (CreateRole): every statement names its Principal, none names a
     * Resource (the role is the resource), and the actions are STS's ({@code sts:AssumeRole}, …).
     */
    public PolicyDocument requireTrustPolicy() {
        for (int i = 0; i < statements.size(); i++) {
            Statement s = statements.get(i);
            if (s.principal() == null) {
                throw new PolicySyntaxException("Statement[" + i + "]: a trust policy statement needs Principal or NotPrincipal");
            }
            if (s.resources() != null) {
                throw new PolicySyntaxException("Statement[" + i + "]: a trust policy has the prohibited field Resource");
            }
            if (s.notAction() || s.actions().stream().anyMatch(a -> !a.toString().toLowerCase(Locale.ROOT).startsWith("sts:"))) {
                throw new PolicySyntaxException("Statement[" + i + "]: a trust policy may only grant sts: actions such as sts:AssumeRole");
            }
        }
        return this;
    }

    /**
     * Checks the extra rules of identity policies: they are about the identity they are attached to, so
     * they name no Principal, and every statement must name its Resource.
     */
    public PolicyDocument requireIdentityPolicy() {
        for (int i = 0; i < statements.size(); i++) {
            Statement s = statements.get(i);
            if (s.principal() != null) {
                throw new PolicySyntaxException("Statement[" + i + "]: an identity policy may not contain Principal or NotPrincipal");
            }
            if (s.resources() == null) {
                throw new PolicySyntaxException("Statement[" + i + "]: an identity policy statement needs Resource or NotResource");
            }
        }
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PolicyDocument other && json.equals(other.json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return json;
    }
}
