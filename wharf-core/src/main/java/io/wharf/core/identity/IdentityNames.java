package io.wharf.core.identity;

import java.util.regex.Pattern;

/** IAM's syntax rules for account ids, user and policy names, access keys, and the ARNs built from them. */
public final class IdentityNames {
    private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");
    /** IAM's user-name pattern and length (1-64). */
    private static final Pattern USER = Pattern.compile("[\\w+=,.@-]{1,64}");
    /** IAM's policy-name pattern and length (1-128). */
    private static final Pattern POLICY = Pattern.compile("[\\w+=,.@-]{1,128}");
    /** IAM's access-key-id rule is \w{16,128}; real ids are upper-case letters and digits. */
    private static final Pattern KEY_ID = Pattern.compile("[A-Z0-9]{16,128}");
    /** Printable ASCII without spaces; AWS secrets are 40 base64 characters, imported ones may differ. */
    private static final Pattern SECRET = Pattern.compile("[\\x21-\\x7e]{16,128}");

    private IdentityNames() {
    }

    public static String requireAccount(String account) {
        return require(account, ACCOUNT, "account id", "must be 12 digits");
    }

    public static String requireUserName(String name) {
        return require(name, USER, "user name", "must be 1-64 characters of letters, digits and +=,.@_-");
    }

    /** IAM's role-name rule is the user-name rule (1-64 characters of the same set). */
    public static String requireRoleName(String name) {
        return require(name, USER, "role name", "must be 1-64 characters of letters, digits and +=,.@_-");
    }

    public static String requirePolicyName(String name) {
        return require(name, POLICY, "policy name", "must be 1-128 characters of letters, digits and +=,.@_-");
    }

    public static String requireAccessKeyId(String id) {
        return require(id, KEY_ID, "access key id", "must be 16-128 upper-case letters and digits");
    }

    public static String requireSecret(String secret) {
        if (secret == null || !SECRET.matcher(secret).matches()) {
            // never echo the value: it is a secret
            throw new IdentityException(IdentityException.Kind.INVALID_INPUT,
                    "invalid secret access key: must be 16-128 printable characters without spaces");
        }
        return secret;
    }

    public static String rootArn(String account) {
        return "arn:aws:iam::" + account + ":root";
    }

    public static String userArn(String account, String user) {
        return "arn:aws:iam::" + account + ":user/" + user;
    }

    public static String roleArn(String account, String role) {
        return "arn:aws:iam::" + account + ":role/" + role;
    }

    /** A virtual MFA device's serial number: Wharf gives each user one device, named after the user. */
    public static String mfaArn(String account, String user) {
        return "arn:aws:iam::" + account + ":mfa/" + user;
    }

    private static String require(String value, Pattern pattern, String what, String rule) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new IdentityException(IdentityException.Kind.INVALID_INPUT, "invalid " + what + " '" + value + "': " + rule);
        }
        return value;
    }
}
