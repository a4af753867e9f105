package io.wharf.core.identity;

import java.time.Instant;
import java.util.Objects;

/**
 * A user's virtual MFA device: its TOTP secret (raw bytes, stored sealed) and the last time step whose code was
 * accepted, so that a code is usable once. One device per user, named {@code arn:aws:iam::<account>:mfa/<user>}.
 */
public record MfaDevice(String account, String user, byte[] secret, long lastUsedStep, Instant createdAt) {
    public MfaDevice {
        IdentityNames.requireAccount(account);
        IdentityNames.requireUserName(user);
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(createdAt, "createdAt");
        secret = secret.clone();
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }

    public String serialNumber() {
        return IdentityNames.mfaArn(account, user);
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "MfaDevice[" + serialNumber() + ", lastUsedStep=" + lastUsedStep + ", createdAt=" + createdAt + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MfaDevice d && d.account.equals(account) && d.user.equals(user)
                && java.util.Arrays.equals(d.secret, secret) && d.lastUsedStep == lastUsedStep && d.createdAt.equals(createdAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(account, user, lastUsedStep, createdAt);
    }
}
