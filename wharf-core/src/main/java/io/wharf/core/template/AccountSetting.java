package io.wharf.core.template;

import io.wharf.core.error.ParameterInvalidException;
import io.wharf.core.spi.TemplateIndex;
import java.util.List;

/**
 * The ECR account settings Wharf honours, each with the values it accepts and its default. Values ECR knows but
 * Wharf cannot honour are refused with a message saying so rather than stored and ignored.
 */
public enum AccountSetting {
    /** Whether cross-repository blob mounts link blobs ({@code ENABLED}) or open a plain upload ({@code DISABLED}). */
    BLOB_MOUNTING("ENABLED", List.of("ENABLED", "DISABLED"), List.of()),
    /** The basic scanning engine: Wharf has one, which plays the part of {@code AWS_NATIVE}. */
    BASIC_SCAN_TYPE_VERSION("AWS_NATIVE", List.of("AWS_NATIVE"), List.of("CLAIR")),
    /** How the registry policy is evaluated: Wharf evaluates it on every request for every action, which is V2. */
    REGISTRY_POLICY_SCOPE("V2", List.of("V2"), List.of("V1"));

    private final String defaultValue;
    private final List<String> accepted;
    private final List<String> unsupported;

    AccountSetting(String defaultValue, List<String> accepted, List<String> unsupported) {
        this.defaultValue = defaultValue;
        this.accepted = accepted;
        this.unsupported = unsupported;
    }

    public String defaultValue() {
        return defaultValue;
    }

    /** The setting by its ECR name. */
    public static AccountSetting named(String name) {
        for (AccountSetting s : values()) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new ParameterInvalidException("Invalid parameter at 'name' failed to satisfy constraint: 'Member must "
                + "satisfy enum value set: " + List.of(values()) + "'", name);
    }

    /** {@code value} when this setting accepts it; a clear refusal otherwise. */
    public String validate(String value) {
        if (accepted.contains(value)) {
            return value;
        }
        if (unsupported.contains(value)) {
            throw new ParameterInvalidException("Wharf does not support " + name() + " " + value + "; it supports "
                    + accepted, value);
        }
        throw new ParameterInvalidException("Invalid parameter at 'value' failed to satisfy constraint: 'Member must "
                + "satisfy enum value set: " + accepted + "' for " + name(), value);
    }

    /** The account's value, or the default when it never set one. */
    public String valueIn(TemplateIndex index, String account) {
        return index.accountSetting(account, name()).orElse(defaultValue);
    }
}
